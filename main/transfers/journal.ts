/**
 * Per-transfer journal (`<dataDir>/transfers/<id>.jsonl`), append-only, one JSON object a line:
 *   {"t":"dir","raw":[…],"path":[…]}           a folder was created for these raw segments
 *   {"t":"file","raw":[…],"path":[…]}          a file name was allocated (its .part may exist)
 *   {"t":"done","raw":[…],"path":[…],"bytes":n} the file is complete at `path`
 *   {"t":"skip","raw":[…],"path":[…],"bytes":n} a file was at `path` and the user chose Skip
 *                                              (`"same":true`: it was the same file, not asked)
 * `raw` are the API's names (DownloadItem.segments), `path` the names written, both relative to the
 * transfer's target folder. An entry may carry `k`, its slot key, when the raw names alone do not
 * identify the item (one node of a selection, or an item with its own id: two files of the same
 * name in one folder are two slots). After a restart or a retry the same item lands on the same
 * name and finds its part, and finished files are not fetched twice. A torn last line (crash
 * mid-append) is ignored.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { appendInside, targetOf } from '../localfs/paths';
import { basename, dirname } from 'node:path';
import { z } from 'zod';

export type JournalEntry =
  | { t: 'dir'; raw: string[]; path: string[]; k?: string }
  | { t: 'file'; raw: string[]; path: string[]; k?: string }
  | { t: 'done'; raw: string[]; path: string[]; bytes: number; k?: string }
  | { t: 'skip'; raw: string[]; path: string[]; bytes: number; same?: boolean; k?: string };

export interface JournalFile {
  path: string[];
  done: boolean;
  bytes: number;
  /** Skipped because a file of that name was there (counts as done, nothing written). */
  skipped?: boolean;
  /** Skipped because it was the same file (already there). */
  same?: boolean;
}

export function rawKey(raw: readonly string[]): string {
  return JSON.stringify(raw);
}

/**
 * The slot key of a folder or file: its raw names, within a scope (the index of a node in a
 * selection) and, for files, the item's own id when it has one. Without scope and id: `rawKey`.
 */
export function slotKey(raw: readonly string[], scope?: string, item?: string): string {
  if (scope === undefined && item === undefined) return rawKey(raw);
  return JSON.stringify(item === undefined ? [scope ?? '', raw] : [scope ?? '', item]);
}

const names = z.array(z.string().max(4096)).max(1000);
const slot = { raw: names, path: names.min(1), k: z.string().max(8192).optional() };
const bytes = z.number().int().nonnegative();

/** One line, as read back: a line of another shape is skipped (its file is fetched again). */
const journalLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('dir'), ...slot }),
  z.object({ t: z.literal('file'), ...slot }),
  z.object({ t: z.literal('done'), ...slot, bytes }),
  z.object({ t: z.literal('skip'), ...slot, bytes, same: z.boolean().optional() }),
]);

export class Journal {
  readonly file: string;
  readonly dirs = new Map<string, string[]>();
  readonly files = new Map<string, JournalFile>();
  #queue: string[] = [];
  #writing: Promise<void> | null = null;
  #error: unknown = null;

  private constructor(file: string) {
    this.file = file;
  }

  /**
   * The journal at `file` (empty when there is none yet), with its folder made: the transfers'
   * folder also holds the run's archive while it is unpacked, which may be written before the
   * journal's first line (archive-folder.test.ts: it was, under load, and failed as a missing folder).
   */
  static async load(file: string, log?: (line: string) => void): Promise<Journal> {
    const journal = new Journal(file);
    await mkdir(dirname(file), { recursive: true });
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = undefined;
      }
      const parsed = journalLineSchema.safeParse(entry);
      if (parsed.success) journal.#apply(parsed.data);
      else skipped += 1;
    }
    // A torn last line is expected after a crash; more is worth a line in the log.
    if (skipped > 0) log?.(`transfers: ${skipped} line(s) of ${basename(file)} ignored (damaged or of another shape)`);
    return journal;
  }

  #apply(entry: z.infer<typeof journalLineSchema>): void {
    const { t, raw, path, k } = entry;
    const key = k ?? rawKey(raw);
    if (t === 'dir') this.dirs.set(key, path);
    else if (t === 'file') this.files.set(key, { path, done: false, bytes: 0 });
    else if (t === 'done') this.files.set(key, { path, done: true, bytes: entry.bytes });
    else
      this.files.set(key, {
        path,
        done: true,
        bytes: entry.bytes,
        skipped: true,
        ...(entry.same === true ? { same: true } : {}),
      });
  }

  append(entry: JournalEntry): void {
    this.#apply(entry);
    this.#queue.push(JSON.stringify(entry) + '\n');
    this.#writing ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      // The folder was made by load() (the only way to a Journal).
      while (this.#queue.length > 0) {
        const lines = this.#queue.join('');
        this.#queue = [];
        // Never through a link planted at the journal's name or on its way (localfs/paths.ts).
        await appendInside(targetOf(dirname(this.file), this.file), lines);
      }
    } catch (error) {
      this.#error = error;
    } finally {
      this.#writing = null;
    }
  }

  /** Waits until every appended entry is on disk; rethrows a write error. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
    if (this.#error) {
      const error = this.#error;
      this.#error = null;
      throw error;
    }
  }

  /** Entries allocated but not done (their parts may exist). */
  unfinished(): string[][] {
    return [...this.files.values()].filter((f) => !f.done).map((f) => f.path);
  }

  async remove(): Promise<void> {
    await this.flush().catch(() => undefined);
    await rm(this.file, { force: true });
  }
}
