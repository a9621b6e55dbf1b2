/**
 * `transfers.json`: the list of transfers and what each needs to run again after a restart
 * (its nodes with their kind and name, folder mode, target folder). Written atomically through an
 * exclusively created temporary file (never through a link someone planted); read record by record
 * with the schema of `shared/model/transfers.ts`, so one bad record is skipped, not fatal.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  #file: string;
  #data: () => StoredTransfer[];
  #saving: Promise<void> | null = null;
  #again = false;

  constructor(dataDir: string, data: () => StoredTransfer[]) {
    this.#file = join(dataDir, TRANSFERS_FILE);
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
    const dir = join(this.#file, '..');
    await mkdir(dir, { recursive: true });
    const tmp = `${this.#file}.tmp`;
    // `wx` creates the file or fails: a link planted at the temporary name is removed, never followed.
    await rm(tmp, { force: true });
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, this.#file);
  }
}
