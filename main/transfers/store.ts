/**
 * `transfers.json`: the list of transfers and what each needs to run again after a restart
 * (its nodes with their kind and name, folder mode, target folder). Written with the one atomic
 * write (main/localfs/atomic.ts: an exclusively created temporary file, never through a planted
 * link, flushed, renamed into place); read record by record with the schema of
 * `shared/model/transfers.ts`, so one bad record is skipped, not fatal.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../localfs/atomic';
import { inside } from '../localfs/paths';
import { storedTransferSchema, transfersFileSchema } from '../../shared/model/transfers';
import type { StoredTransfer } from '../../shared/model/transfers';

export const TRANSFERS_FILE = 'transfers.json';

export interface LoadedTransfers {
  records: StoredTransfer[];
  /** Records that did not match the schema and were left out. */
  skipped: number;
  /** Where an unreadable file was moved, when it was. */
  movedTo: string | null;
}

export async function loadTransfers(dataDir: string, now: number): Promise<LoadedTransfers> {
  const file = join(dataDir, TRANSFERS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, movedTo: null };
    throw error;
  }
  let list: unknown[];
  try {
    list = transfersFileSchema.parse(JSON.parse(text)).transfers;
  } catch {
    const movedTo = join(dataDir, `transfers.corrupt-${now}.json`);
    await rename(file, movedTo);
    return { records: [], skipped: 0, movedTo };
  }
  const records: StoredTransfer[] = [];
  let skipped = 0;
  for (const value of list) {
    const parsed = storedTransferSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped, movedTo: null };
}

/** Coalescing, atomic writer: calls while a write runs end in one more write with the latest data. */
export class TransfersWriter {
  #dir: string;
  #data: () => StoredTransfer[];
  #saving: Promise<void> | null = null;
  #again = false;

  constructor(dataDir: string, data: () => StoredTransfer[]) {
    this.#dir = dataDir;
    this.#data = data;
  }

  save(): Promise<void> {
    if (this.#saving) {
      this.#again = true;
      return this.#saving;
    }
    this.#saving = (async () => {
      try {
        do {
          this.#again = false;
          await this.#write(JSON.stringify({ version: 2, transfers: this.#data() }));
        } while (this.#again);
      } finally {
        this.#saving = null;
      }
    })();
    return this.#saving;
  }

  /** Resolves when no write is pending (errors are the caller of `save`'s to report). */
  async settled(): Promise<void> {
    while (this.#saving) await this.#saving.catch(() => undefined);
  }

  async #write(text: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await writeFileAtomic(inside(this.#dir, TRANSFERS_FILE), text);
  }
}
