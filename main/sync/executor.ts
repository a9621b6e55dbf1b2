/**
 * Acting on a plan. Every step is recorded in the manifest as soon as it is done, so a run killed
 * at any moment resumes where it stopped. Bytes go through the transfer writer (`.part` files,
 * resume, verification, never replacing a file); an update of an unchanged file is written beside
 * it and renamed over it only after checking, once more, that the user has not changed it meanwhile.
 */
import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import type { AppError } from '../../shared/model/errors';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts } from '../../shared/model/sync';
import { worthArchive } from '../localfs/archive-fetch';
import { ArchiveIndex } from '../localfs/archive-index';
import type { ArchiveSource } from '../localfs/types';
import { removePart, writeItem } from '../localfs/file-writer';
import { exists, inside } from '../localfs/paths';
import type { LocalTarget } from '../localfs/paths';
import { withCounter } from '../localfs/safe-name';
import { TEMP_SUFFIX } from './local';
import type { Manifest } from './manifest';
import { baseName, conflictName, joinPath, parentPath } from './names';
import { changedLocally } from './planner';
import type { Action, ItemFor, ManifestEntry, Plan, RemoteEntry } from './types';

export interface ExecuteOptions {
  root: string;
  plan: Plan;
  remote: Map<string, RemoteEntry>;
  manifest: Manifest;
  itemFor: ItemFor;
  /** Moves a file to the trash (OS trash in Electron, `.trash` in the pair for the host). */
  trash: (absolutePath: string) => Promise<void>;
  concurrency: number;
  /** `YYYY-MM-DD`, for conflict copies. */
  day: string;
  /** The pair's folder as one archive, stored at `target` while used (many small new files: a first run). */
  archive?: { source: ArchiveSource; target: LocalTarget };
  signal: AbortSignal;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number }) => void;
  log?: (line: string) => void;
}

export interface ExecuteResult {
  counts: SyncCounts;
  errors: AppError[];
}

const MOVE_SUFFIX = '.poweron-move';

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export class Executor {
  readonly counts: SyncCounts = { ...EMPTY_COUNTS };
  readonly errors: AppError[] = [];
  #o: ExecuteOptions;
  #filesDone = 0;
  #filesTotal = 0;
  /** Entries of the archive, when this run fetched the folder as one (see `#openArchive`). */
  #archive: ArchiveIndex | null = null;

  constructor(options: ExecuteOptions) {
    this.#o = options;
  }

  abs(path: string): string {
    return join(this.#o.root, ...path.split('/'));
  }

  async run(): Promise<ExecuteResult> {
    const { actions } = this.#o.plan;
    const transfers = actions.filter((a) => a.kind === 'download' || a.kind === 'update' || a.kind === 'conflict');
    this.#filesTotal = transfers.length;
    this.#progress();
    for (const a of actions) {
      if (a.kind === 'trash' || a.kind === 'forget') await this.#removal(a);
    }
    for (const a of actions) if (a.kind === 'moveDir') await this.#moveDir(a.id, a.from, a.to);
    for (const a of actions) if (a.kind === 'mkdir') await this.#mkdir(a.id, a.path);
    await this.#moves(actions.filter((a): a is Extract<Action, { kind: 'move' }> => a.kind === 'move'));
    for (const a of actions) if (a.kind === 'adopt') await this.#adopt(a.id, a.path);
    await this.#transfers(transfers);
    for (const a of actions) if (a.kind === 'rmdir') await this.#rmdir(a.id, a.path);
    await this.#o.manifest.settle();
    return { counts: this.counts, errors: this.errors };
  }

  #progress(): void {
    this.#o.onProgress?.({ filesDone: this.#filesDone, filesTotal: this.#filesTotal, bytesDone: this.counts.bytes });
  }

  #check(): void {
    if (this.#o.signal.aborted) throw failWith('cancelled', 'sync_stopped', 'The sync was stopped.');
  }

  async #removal(a: Extract<Action, { kind: 'trash' | 'forget' }>): Promise<void> {
    this.#check();
    if (a.kind === 'trash') {
      const m = this.#o.manifest.get(a.id);
      const local = await lstat(this.abs(a.path)).catch(() => null);
      // Checked again right before: a file changed since the scan is kept.
      if (
        local &&
        m &&
        local.isFile() &&
        !changedLocally({ path: a.path, type: 'file', size: local.size, mtime: local.mtimeMs }, m)
      ) {
        await this.#o.trash(this.abs(a.path));
        this.counts.trashed++;
      }
    }
    await this.#o.manifest.remove(a.id);
  }

  async #rewriteBelow(from: string, to: string): Promise<void> {
    const prefix = `${from}/`;
    const puts: Array<Promise<void>> = [];
    for (const m of [...this.#o.manifest.entries.values()]) {
      if (m.path === from) puts.push(this.#o.manifest.put({ ...m, path: to }));
      else if (m.path.startsWith(prefix))
        puts.push(this.#o.manifest.put({ ...m, path: to + m.path.slice(from.length) }));
    }
    await Promise.all(puts);
  }

  async #moveDir(id: string, from: string, to: string): Promise<void> {
    this.#check();
    await mkdir(this.abs(parentPath(to)), { recursive: true });
    if (from.toLowerCase() === to.toLowerCase() || (await exists(this.abs(to)))) {
      // A case-only rename (or a target that is in the way) goes through a temporary name.
      const tmp = joinPath(parentPath(from), `.${fnv1a(id)}${MOVE_SUFFIX}`);
      await rename(this.abs(from), this.abs(tmp));
      await this.#rewriteBelow(from, tmp);
      if (await exists(this.abs(to))) {
        this.#o.log?.(`sync: "${to}" is in the way; the folder stays at "${tmp}"`);
        return;
      }
      await rename(this.abs(tmp), this.abs(to));
      await this.#rewriteBelow(tmp, to);
    } else {
      await rename(this.abs(from), this.abs(to));
      await this.#rewriteBelow(from, to);
    }
    this.counts.moved++;
  }

  async #mkdir(id: string, path: string): Promise<void> {
    this.#check();
    await mkdir(this.abs(path), { recursive: true });
    const info = await lstat(this.abs(path));
    const r = this.#o.remote.get(id);
    await this.#o.manifest.put({
      id,
      type: 'dir',
      path,
      size: 0,
      mtime: info.mtimeMs,
      rsize: 0,
      rtime: r?.mtime ?? null,
    });
  }

  /** Two phases (all to temporary names, then all to their targets), so names can be swapped. */
  async #moves(moves: Array<Extract<Action, { kind: 'move' }>>): Promise<void> {
    const staged: Array<{ id: string; tmp: string; to: string }> = [];
    for (const a of moves) {
      this.#check();
      const m = this.#o.manifest.get(a.id);
      if (!m) continue;
      const tmp = joinPath(parentPath(a.from), `.${fnv1a(a.id)}${MOVE_SUFFIX}`);
      try {
        await rename(this.abs(a.from), this.abs(tmp));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      await this.#o.manifest.put({ ...m, path: tmp });
      staged.push({ id: a.id, tmp, to: a.to });
    }
    for (const s of staged) {
      await mkdir(this.abs(parentPath(s.to)), { recursive: true });
      const to = await this.#freePath(s.to);
      await rename(this.abs(s.tmp), this.abs(to));
      await this.#o.manifest.put({ ...this.#o.manifest.get(s.id)!, path: to });
      this.counts.moved++;
    }
  }

  async #freePath(path: string): Promise<string> {
    let candidate = path;
    for (let n = 1; await exists(this.abs(candidate)); n++) {
      candidate = joinPath(parentPath(path), withCounter(baseName(path), n));
    }
    return candidate;
  }

  async #record(id: string, path: string, r: RemoteEntry): Promise<void> {
    const info = await lstat(this.abs(path));
    const entry: ManifestEntry = {
      id,
      type: 'file',
      path,
      size: info.size,
      mtime: info.mtimeMs,
      rsize: r.size,
      rtime: r.mtime,
    };
    if (r.hash) entry.rhash = r.hash;
    await this.#o.manifest.put(entry);
  }

  async #adopt(id: string, path: string): Promise<void> {
    const r = this.#o.remote.get(id);
    if (!r) return;
    // A kill between placing a file and cleaning up after it leaves its part files beside it.
    await removePart(this.abs(path));
    await this.#record(id, path, r);
  }

  /** At most `concurrency` transfers at a time, each worker taking the next (no task per file queued up front). */
  async #transfers(actions: Action[]): Promise<void> {
    let fatal: unknown = null;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    this.#o.signal.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < actions.length && !fatal && !stop.signal.aborted) {
        const a = actions[next++]!;
        try {
          await this.#transfer(a, stop.signal);
        } catch (error) {
          const appError = appErrorFrom(error);
          // A failure that reaches the job stops the run; one of this item only fails one file (errors/classify.ts).
          if (classifyAppError(appError).reach === 'job') {
            fatal ??= error;
            stop.abort();
            return;
          }
          this.counts.failed++;
          if (this.errors.length < 20) this.errors.push(appError);
          this.#o.log?.(`sync: ${'path' in a ? a.path : a.id}: ${appError.code}: ${appError.message}`);
        } finally {
          this.#filesDone++;
          this.#progress();
        }
      }
    };
    try {
      this.#archive = await this.#openArchive(actions, stop.signal);
      const workers = Math.max(1, Math.min(this.#o.concurrency, actions.length));
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      this.#o.signal.removeEventListener('abort', onAbort);
      await this.#archive?.close();
      this.#archive = null;
    }
    if (fatal) throw fatal;
    this.#check();
  }

  /**
   * Many small new files (a first run) under the budget of 60 requests a minute: the folder as one
   * archive, its entries written through the same writer as downloads (localfs/archive-index.ts).
   * Null when not worth it or refused (then file by file).
   */
  async #openArchive(actions: Action[], signal: AbortSignal): Promise<ArchiveIndex | null> {
    const offer = this.#o.archive;
    const news = actions.filter((a) => a.kind === 'download' && a.reason === 'new');
    const bytes = news.reduce((n, a) => n + (this.#o.remote.get(a.id)?.size ?? 0), 0);
    if (!offer || !worthArchive(news.length, bytes)) return null;
    const log = this.#o.log;
    return ArchiveIndex.open(offer.source, offer.target, { signal, ...(log ? { log } : {}) });
  }

  /** Raw names from the pair's folder down to `r`. */
  #remotePath(r: RemoteEntry): string[] {
    const names = [r.name];
    for (let p = r.parent, depth = 0; p !== null && depth < 1000; depth++) {
      const parent = this.#o.remote.get(p);
      if (!parent) break;
      names.unshift(parent.name);
      p = parent.parent;
    }
    return names;
  }

  async #write(r: RemoteEntry, path: string, signal: AbortSignal, reallocate: boolean): Promise<string> {
    await mkdir(this.abs(parentPath(path)), { recursive: true });
    const item = this.#o.itemFor(r);
    const fromArchive = this.#archive?.fetchFor(this.#remotePath(r));
    if (fromArchive) item.fetch = fromArchive;
    const result = await writeItem(item, inside(this.#o.root, path), {
      signal,
      events: { progress: (delta, fresh) => (fresh ? (this.counts.bytes += delta) : undefined) },
      ...(reallocate ? { reallocate: async () => this.abs(await this.#freePath(path)) } : {}),
      ...(this.#o.log ? { log: this.#o.log } : {}),
    });
    const rel = result.path
      .slice(this.#o.root.length + 1)
      .split(/[\\/]/)
      .join('/');
    return rel;
  }

  async #transfer(a: Action, signal: AbortSignal): Promise<void> {
    const r = this.#o.remote.get(a.id);
    if (!r) return;
    if (a.kind === 'download') {
      const written = await this.#write(r, a.path, signal, true);
      await this.#record(a.id, written, r);
      if (a.reason === 'new') this.counts.added++;
      else this.counts.updated++;
    } else if (a.kind === 'update') {
      await this.#update(a.id, a.path, r, signal);
    } else if (a.kind === 'conflict') {
      const written = await this.#write(r, a.to, signal, true);
      const m = this.#o.manifest.get(a.id);
      if (a.tracked && m) await this.#o.manifest.put({ ...m, rsize: r.size, rtime: r.mtime, rhash: r.hash ?? null });
      else await this.#record(a.id, written, r);
      this.counts.conflicts++;
    }
  }

  async #update(id: string, path: string, r: RemoteEntry, signal: AbortSignal): Promise<void> {
    const tmp = joinPath(parentPath(path), `.${fnv1a(id)}${TEMP_SUFFIX}`);
    await rm(this.abs(tmp), { force: true });
    await this.#write(r, tmp, signal, false);
    const m = this.#o.manifest.get(id);
    const now = await lstat(this.abs(path)).catch(() => null);
    const untouched =
      m && now && now.isFile() && !changedLocally({ path, type: 'file', size: now.size, mtime: now.mtimeMs }, m);
    if (untouched || !now) {
      await rename(this.abs(tmp), this.abs(path));
      await this.#record(id, path, r);
      this.counts.updated++;
      return;
    }
    // Changed by the user while downloading: the new version lands beside it.
    const conflict = await this.#freePath(joinPath(parentPath(path), conflictName(baseName(path), this.#o.day)));
    await rename(this.abs(tmp), this.abs(conflict));
    if (m) await this.#o.manifest.put({ ...m, rsize: r.size, rtime: r.mtime, rhash: r.hash ?? null });
    this.counts.conflicts++;
  }

  async #rmdir(id: string, path: string): Promise<void> {
    const entries = await readdir(this.abs(path)).catch(() => null);
    if (entries && entries.length === 0) await rmdir(this.abs(path)).catch(() => undefined);
    await this.#o.manifest.remove(id);
  }
}

export function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  return new Executor(options).run();
}
