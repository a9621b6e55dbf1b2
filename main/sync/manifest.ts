/**
 * A pair's manifest: what the engine last wrote for each remote id. Kept as a snapshot
 * (`manifest.jsonl`, one entry per line) plus an append-only journal (`manifest.journal`) that
 * gets one line per completed step, fsynced in small groups. A run killed at any moment leaves at
 * worst a torn last journal line, which is ignored on load. `compact()` folds the journal into a
 * new snapshot (temporary file, fsync, atomic rename), then empties the journal; replaying the old
 * journal over the new snapshot would give the same result, so a crash between the two is harmless.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestLineSchema } from '../../shared/model/sync';
import type { ManifestLine } from '../../shared/model/sync';
import { syncDir, writeFileAtomic } from '../localfs/atomic';
import { inside, openAppend } from '../localfs/paths';
import type { ManifestEntry } from './types';

const SNAPSHOT = 'manifest.jsonl';
const JOURNAL = 'manifest.journal';

function toLine(e: ManifestEntry): ManifestLine {
  const line: ManifestLine = {
    i: e.id,
    t: e.type === 'dir' ? 'd' : 'f',
    p: e.path,
    s: e.size,
    m: e.mtime,
    rs: e.rsize,
    rt: e.rtime,
  };
  if (e.rhash) line.rh = e.rhash;
  return line;
}

function fromLine(line: Extract<ManifestLine, { i: string }>): ManifestEntry {
  const entry: ManifestEntry = {
    id: line.i,
    type: line.t === 'd' ? 'dir' : 'file',
    path: line.p,
    size: line.s,
    mtime: line.m,
    rsize: line.rs,
    rtime: line.rt,
  };
  if (line.rh) entry.rhash = line.rh;
  return entry;
}

interface Waiter {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Manifest {
  readonly entries = new Map<string, ManifestEntry>();
  #dir: string;
  #journal: FileHandle | null = null;
  #journalLines = 0;
  #queue: Waiter[] = [];
  #flushing: Promise<void> | null = null;
  #log: (line: string) => void;

  private constructor(dir: string, log: (line: string) => void) {
    this.#dir = dir;
    this.#log = log;
  }

  static async open(dir: string, log: (line: string) => void = () => undefined): Promise<Manifest> {
    await mkdir(dir, { recursive: true });
    const manifest = new Manifest(dir, log);
    await manifest.#load();
    // A journal left over means the last run ended early (its last line may be torn): start clean.
    if (manifest.#journalLines > 0) await manifest.compact();
    return manifest;
  }

  get journalLines(): number {
    return this.#journalLines;
  }

  async #load(): Promise<void> {
    const snapshot = await readText(join(this.#dir, SNAPSHOT));
    if (snapshot !== null) this.#apply(snapshot, 'snapshot');
    const journal = await readText(join(this.#dir, JOURNAL));
    if (journal !== null && journal !== '') this.#journalLines = Math.max(1, this.#apply(journal, 'journal'));
  }

  /** Applies lines; returns how many were read. A journal stops at its first bad (torn) line. */
  #apply(text: string, what: 'snapshot' | 'journal'): number {
    let count = 0;
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      let parsed: ReturnType<typeof manifestLineSchema.safeParse>;
      try {
        parsed = manifestLineSchema.safeParse(JSON.parse(raw));
      } catch {
        parsed = manifestLineSchema.safeParse(undefined);
      }
      if (!parsed.success) {
        this.#log(`sync: ignored a damaged ${what} line in ${this.#dir}`);
        if (what === 'journal') break;
        continue;
      }
      const line = parsed.data;
      if ('d' in line) this.entries.delete(line.d);
      else this.entries.set(line.i, fromLine(line));
      count++;
    }
    return count;
  }

  get(id: string): ManifestEntry | undefined {
    return this.entries.get(id);
  }

  /** Records an entry; resolves once the line is on disk. */
  put(entry: ManifestEntry): Promise<void> {
    this.entries.set(entry.id, entry);
    return this.#enqueue(JSON.stringify(toLine(entry)));
  }

  remove(id: string): Promise<void> {
    if (!this.entries.delete(id)) return Promise.resolve();
    return this.#enqueue(JSON.stringify({ d: id }));
  }

  #enqueue(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Group commit: everything queued goes out in one write and one fsync. */
  async #flush(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0);
        try {
          // Never through a link planted at the journal's name (O_NOFOLLOW) or on its way.
          this.#journal ??= await openAppend(inside(this.#dir, JOURNAL));
          await this.#journal.appendFile(batch.map((w) => `${w.line}\n`).join(''));
          await this.#journal.datasync();
          this.#journalLines += batch.length;
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      // In the same step as the last look at the queue: a line queued after it starts a new flush.
      this.#flushing = null;
    }
  }

  /** Waits for every queued line. */
  async settle(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Folds the journal into a fresh snapshot. */
  async compact(): Promise<void> {
    await this.settle();
    const lines: string[] = [];
    for (const entry of this.entries.values()) lines.push(JSON.stringify(toLine(entry)));
    await writeFileAtomic(inside(this.#dir, SNAPSHOT), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    await this.#journal?.close();
    this.#journal = null;
    await rm(join(this.#dir, JOURNAL), { force: true });
    await syncDir(this.#dir);
    this.#journalLines = 0;
  }

  async close(): Promise<void> {
    await this.settle();
    await this.#journal?.close();
    this.#journal = null;
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
