/**
 * Acting on a plan. Every step is recorded in the manifest as soon as it is done, so a run killed
 * at any moment resumes where it stopped. Bytes go through the transfer writer (`.part` files,
 * resume, verification, never replacing a file); an update of an unchanged file is written beside
 * it and renamed over it only after checking, once more, that the user has not changed it meanwhile.
 *
 * Every path is written, renamed, created or trashed through localfs (`resolveTarget` and the
 * helpers built on it): a link or a junction anywhere below the pair's folder is refused, never
 * followed (issue 21). A step that fails for its item only (errors/classify.ts `reach: item`: a
 * file in the way, a path too long, a read-only folder, a link) is skipped with its reason and
 * everything else goes on; what lies below a folder that could not be made is skipped with it
 * (issue 25.6). The next run tries those again.
 */
import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import type { AppError } from '../../shared/model/errors';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts } from '../../shared/model/sync';
import { removeArchive, worthArchive } from '../localfs/archive-fetch';
import { ArchiveIndex } from '../localfs/archive-index';
import type { ArchiveSource } from '../localfs/types';
import { removePart, writeItem } from '../localfs/file-writer';
import { inside, mkdirInside, resolveTarget } from '../localfs/paths';
import type { LocalTarget } from '../localfs/paths';
import { renameInside } from '../localfs/placement';
import type { Manifest } from './manifest';
import { finishMove, freePath, mkdirParent, moveDir, stageMove } from './moves';
import type { MoveContext } from './moves';
import { baseName, conflictName, joinPath, parentPath, updateName } from './names';
import { changedLocally } from './planner';
import type { Action, ItemFor, ManifestEntry, Plan, RemoteEntry } from './types';

export interface ExecuteOptions {
  root: string;
  plan: Plan;
  remote: Map<string, RemoteEntry>;
  manifest: Manifest;
  itemFor: ItemFor;
  /** Moves a file to the trash (OS trash in Electron, `.trash` in the pair for the host); the path is checked first. */
  trash: (absolutePath: string) => Promise<unknown>;
  concurrency: number;
  /** `YYYY-MM-DD`, for conflict copies. */
  day: string;
  /** The pair's folder as one archive, stored at `target` while used (many small new files: a first run). */
  archive?: { source: ArchiveSource; target: LocalTarget };
  /** Working files of an older version found by the scan (local.ts): removed unless something is synced there. */
  leftovers?: string[];
  signal: AbortSignal;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number }) => void;
  log?: (line: string) => void;
}

export interface ExecuteResult {
  counts: SyncCounts;
  /** Items that were skipped, each with its reason and its path (`details.path`); at most 20. */
  errors: AppError[];
}

const MAX_ERRORS = 20;

function pathOf(a: Action): string {
  return 'path' in a ? a.path : a.to;
}

export class Executor {
  readonly counts: SyncCounts = { ...EMPTY_COUNTS };
  readonly errors: AppError[] = [];
  #o: ExecuteOptions;
  #filesDone = 0;
  #filesTotal = 0;
  /** Entries of the archive, when this run fetched the folder as one (see `#openArchive`). */
  #archive: ArchiveIndex | null = null;
  /** Folders whose step failed this run: what lies below them is skipped. */
  #failedDirs: string[] = [];

  /** What the moves (moves.ts) use of this run. */
  readonly #moves: MoveContext;

  constructor(options: ExecuteOptions) {
    this.#o = options;
    this.#moves = {
      made: new Set(),
      at: (path) => this.at(path),
      manifest: options.manifest,
      counts: this.counts,
      ...(options.log ? { log: options.log } : {}),
    };
  }

  /** A path of the pair as a localfs target (resolved, link-checked, by every write). */
  at(path: string): LocalTarget {
    return inside(this.#o.root, path);
  }

  async run(): Promise<ExecuteResult> {
    const { actions } = this.#o.plan;
    const transfers = actions.filter((a) => a.kind === 'download' || a.kind === 'update' || a.kind === 'conflict');
    this.#filesTotal = transfers.length;
    this.#progress();
    await this.#removeLeftovers();
    for (const a of actions) {
      if (a.kind === 'trash' || a.kind === 'forget') await this.#step(a, () => this.#removal(a));
    }
    for (const a of actions)
      if (a.kind === 'moveDir') await this.#step(a, () => moveDir(this.#moves, a.id, a.from, a.to));
    for (const a of actions) if (a.kind === 'mkdir') await this.#step(a, () => this.#mkdir(a.id, a.path));
    await this.#fileMoves(actions.filter((a): a is Extract<Action, { kind: 'move' }> => a.kind === 'move'));
    for (const a of actions) if (a.kind === 'adopt') await this.#step(a, () => this.#adopt(a.id, a.path));
    await this.#transfers(transfers);
    for (const a of actions) if (a.kind === 'rmdir') await this.#step(a, () => this.#rmdir(a.id, a.path));
    await this.#o.manifest.settle();
    return { counts: this.counts, errors: this.errors };
  }

  /** Two phases (all to temporary names, then all to their targets), so names can be swapped. */
  async #fileMoves(moves: Array<Extract<Action, { kind: 'move' }>>): Promise<void> {
    const staged: Array<{ a: Extract<Action, { kind: 'move' }>; tmp: string }> = [];
    for (const a of moves) {
      await this.#step(a, async () => {
        const tmp = await stageMove(this.#moves, a);
        if (tmp !== null) staged.push({ a, tmp });
      });
    }
    for (const { a, tmp } of staged) await this.#step(a, () => finishMove(this.#moves, a, tmp));
  }

  #progress(): void {
    this.#o.onProgress?.({ filesDone: this.#filesDone, filesTotal: this.#filesTotal, bytesDone: this.counts.bytes });
  }

  #check(): void {
    if (this.#o.signal.aborted) throw failWith('cancelled', 'sync_stopped', 'The sync was stopped.');
  }

  #belowFailed(path: string): boolean {
    return this.#failedDirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
  }

  /** Counts a skipped item and keeps its reason, named by its path. */
  #skipped(path: string, error: AppError): void {
    this.counts.failed++;
    const named: AppError = { ...error, details: { ...error.details, path: error.details?.path ?? path } };
    if (this.errors.length < MAX_ERRORS) this.errors.push(named);
    this.#o.log?.(`sync: ${path}: ${error.code}: ${error.message}`);
  }

  /**
   * Runs one step. A failure that reaches the job (errors/classify.ts) stops the run; one of this
   * item only skips it (and, for a folder, what lies below it) and the run goes on.
   */
  async #step(a: Action, work: () => Promise<void>): Promise<void> {
    this.#check();
    const path = pathOf(a);
    if (this.#belowFailed(path)) {
      if (a.kind !== 'forget' && a.kind !== 'rmdir') this.counts.failed++;
      return;
    }
    try {
      await work();
    } catch (error) {
      const appError = appErrorFrom(error);
      if (classifyAppError(appError).reach === 'job') throw error;
      if (a.kind === 'mkdir' || a.kind === 'moveDir') this.#failedDirs.push(path);
      this.#skipped(path, appError);
    }
  }

  /** Update files of an older version (`.<hash>.poweron-sync`): removed where nothing of the pair is. */
  async #removeLeftovers(): Promise<void> {
    const leftovers = this.#o.leftovers ?? [];
    if (leftovers.length === 0) return;
    const used = new Set([...this.#o.manifest.entries.values()].map((m) => m.path));
    for (const a of this.#o.plan.actions) used.add(pathOf(a));
    for (const path of leftovers) {
      if (used.has(path)) continue;
      await rm(await resolveTarget(this.at(path)), { force: true }).catch(() => undefined);
    }
  }

  async #removal(a: Extract<Action, { kind: 'trash' | 'forget' }>): Promise<void> {
    if (a.kind === 'trash') {
      const m = this.#o.manifest.get(a.id);
      const abs = await resolveTarget(this.at(a.path));
      const local = await lstat(abs).catch(() => null);
      // Checked again right before: a file changed since the scan is kept.
      if (
        local &&
        m &&
        local.isFile() &&
        !changedLocally({ path: a.path, type: 'file', size: local.size, mtime: local.mtimeMs }, m)
      ) {
        await this.#o.trash(await resolveTarget(this.at(a.path)));
        this.counts.trashed++;
      }
    }
    await this.#o.manifest.remove(a.id);
  }

  async #mkdir(id: string, path: string): Promise<void> {
    const abs = await mkdirInside(this.at(path));
    this.#moves.made?.add(path);
    const info = await lstat(abs);
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

  async #record(id: string, path: string, r: RemoteEntry): Promise<void> {
    // A read of what was just placed (or adopted) there, never followed: no write, so no walk.
    const info = await lstat(join(this.#o.root, ...path.split('/')));
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
    await removePart(await resolveTarget(this.at(path)));
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
          if (this.#belowFailed(pathOf(a))) this.counts.failed++;
          else await this.#transfer(a, stop.signal);
        } catch (error) {
          const appError = appErrorFrom(error);
          // A failure that reaches the job stops the run; one of this item only fails one file (errors/classify.ts).
          if (classifyAppError(appError).reach === 'job') {
            fatal ??= error;
            stop.abort();
            return;
          }
          this.#skipped(pathOf(a), appError);
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
    if (!offer) return null;
    const news = actions.flatMap((a) => {
      const r = a.kind === 'download' && a.reason === 'new' ? this.#o.remote.get(a.id) : undefined;
      return r ? [r] : [];
    });
    const bytes = news.reduce((n, r) => n + r.size, 0);
    // An archive a killed run left behind is never used: fetchArchive starts anew, or it goes now.
    if (!worthArchive(news.length, bytes)) return removeArchive(offer.target).then(() => null);
    const log = this.#o.log;
    // Only the new files are taken from it, at their listed size (localfs/archive-index.ts).
    const files = news.map((r) => ({ segments: this.#remotePath(r), size: r.size }));
    const wanted = { files, entries: this.#o.remote.size };
    return ArchiveIndex.open(offer.source, offer.target, wanted, { signal, ...(log ? { log } : {}) });
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
    await mkdirParent(this.#moves, path);
    const item = this.#o.itemFor(r);
    const fromArchive = this.#archive?.fetchFor(this.#remotePath(r), item);
    if (fromArchive) item.fetch = fromArchive;
    const result = await writeItem(item, this.at(path), {
      signal,
      events: { progress: (delta, fresh) => (fresh ? (this.counts.bytes += delta) : undefined) },
      ...(reallocate ? { reallocate: async () => resolveTarget(this.at(await freePath(this.#moves, path))) } : {}),
      ...(this.#o.log ? { log: this.#o.log } : {}),
    });
    return relative(resolve(this.#o.root), result.path).split(sep).join('/');
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
    // `<name>.poweron-sync`: a working name no remote file is given (names.ts `workingNames`).
    const tmp = joinPath(parentPath(path), updateName(baseName(path)));
    await rm(await resolveTarget(this.at(tmp)), { force: true });
    await this.#write(r, tmp, signal, false);
    const m = this.#o.manifest.get(id);
    const now = await lstat(await resolveTarget(this.at(path))).catch(() => null);
    const untouched =
      m && now && now.isFile() && !changedLocally({ path, type: 'file', size: now.size, mtime: now.mtimeMs }, m);
    if (untouched || !now) {
      await renameInside(this.at(tmp), this.at(path), { replace: true });
      await this.#record(id, path, r);
      this.counts.updated++;
      return;
    }
    // Changed by the user while downloading: the new version lands beside it.
    const conflict = await freePath(this.#moves, joinPath(parentPath(path), conflictName(baseName(path), this.#o.day)));
    await renameInside(this.at(tmp), this.at(conflict));
    if (m) await this.#o.manifest.put({ ...m, rsize: r.size, rtime: r.mtime, rhash: r.hash ?? null });
    this.counts.conflicts++;
  }

  async #rmdir(id: string, path: string): Promise<void> {
    const abs = await resolveTarget(this.at(path));
    const entries = await readdir(abs).catch(() => null);
    if (entries && entries.length === 0) await rmdir(abs).catch(() => undefined);
    await this.#o.manifest.remove(id);
  }
}

export function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  return new Executor(options).run();
}
