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
import { relative, resolve, sep } from 'node:path';
import { AppFailure } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import type { AppError } from '../../shared/model/errors';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts } from '../../shared/model/sync';
import { worthArchive } from '../localfs/archive-fetch';
import { ArchiveIndex } from '../localfs/archive-index';
import type { ArchiveSource } from '../localfs/types';
import { removePart, writeItem } from '../localfs/file-writer';
import { exists, inside, mkdirInside, resolveTarget } from '../localfs/paths';
import type { LocalTarget } from '../localfs/paths';
import { renameInside } from '../localfs/placement';
import { withCounter } from '../localfs/safe-name';
import type { Manifest } from './manifest';
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

const MOVE_SUFFIX = '.poweron-move';
const MAX_ERRORS = 20;

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

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

  constructor(options: ExecuteOptions) {
    this.#o = options;
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
    for (const a of actions) if (a.kind === 'moveDir') await this.#step(a, () => this.#moveDir(a.id, a.from, a.to));
    for (const a of actions) if (a.kind === 'mkdir') await this.#step(a, () => this.#mkdir(a.id, a.path));
    await this.#moves(actions.filter((a): a is Extract<Action, { kind: 'move' }> => a.kind === 'move'));
    for (const a of actions) if (a.kind === 'adopt') await this.#step(a, () => this.#adopt(a.id, a.path));
    await this.#transfers(transfers);
    for (const a of actions) if (a.kind === 'rmdir') await this.#step(a, () => this.#rmdir(a.id, a.path));
    await this.#o.manifest.settle();
    return { counts: this.counts, errors: this.errors };
  }

  #progress(): void {
    this.#o.onProgress?.({ filesDone: this.#filesDone, filesTotal: this.#filesTotal, bytesDone: this.counts.bytes });
  }

  #check(): void {
    if (this.#o.signal.aborted) throw new AppFailure('cancelled', 'The sync was stopped.');
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

  async #mkdirParent(path: string): Promise<void> {
    const parent = parentPath(path);
    if (parent !== '') await mkdirInside(this.at(parent));
    else await resolveTarget(this.at(path));
  }

  async #moveDir(id: string, from: string, to: string): Promise<void> {
    await this.#mkdirParent(to);
    if (from.toLowerCase() === to.toLowerCase() || (await exists(await resolveTarget(this.at(to))))) {
      // A case-only rename (or a target that is in the way) goes through a temporary name.
      const tmp = joinPath(parentPath(from), `.${fnv1a(id)}${MOVE_SUFFIX}`);
      await renameInside(this.at(from), this.at(tmp));
      await this.#rewriteBelow(from, tmp);
      if (await exists(await resolveTarget(this.at(to)))) {
        this.#o.log?.(`sync: "${to}" is in the way; the folder stays at "${tmp}"`);
        return;
      }
      await renameInside(this.at(tmp), this.at(to));
      await this.#rewriteBelow(tmp, to);
    } else {
      await renameInside(this.at(from), this.at(to));
      await this.#rewriteBelow(from, to);
    }
    this.counts.moved++;
  }

  async #mkdir(id: string, path: string): Promise<void> {
    const abs = await mkdirInside(this.at(path));
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

  /** Two phases (all to temporary names, then all to their targets), so names can be swapped. */
  async #moves(moves: Array<Extract<Action, { kind: 'move' }>>): Promise<void> {
    const staged: Array<{ a: Extract<Action, { kind: 'move' }>; tmp: string }> = [];
    for (const a of moves) {
      await this.#step(a, async () => {
        const m = this.#o.manifest.get(a.id);
        if (!m) return;
        const tmp = joinPath(parentPath(a.from), `.${fnv1a(a.id)}${MOVE_SUFFIX}`);
        try {
          await renameInside(this.at(a.from), this.at(tmp));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw error;
        }
        await this.#o.manifest.put({ ...m, path: tmp });
        staged.push({ a, tmp });
      });
    }
    for (const { a, tmp } of staged) {
      await this.#step(a, async () => {
        await this.#mkdirParent(a.to);
        const to = await this.#freePath(a.to);
        await renameInside(this.at(tmp), this.at(to));
        await this.#o.manifest.put({ ...this.#o.manifest.get(a.id)!, path: to });
        this.counts.moved++;
      });
    }
  }

  async #freePath(path: string): Promise<string> {
    let candidate = path;
    for (let n = 1; await exists(await resolveTarget(this.at(candidate))); n++) {
      candidate = joinPath(parentPath(path), withCounter(baseName(path), n));
    }
    return candidate;
  }

  async #record(id: string, path: string, r: RemoteEntry): Promise<void> {
    const info = await lstat(await resolveTarget(this.at(path)));
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
    await this.#mkdirParent(path);
    const item = this.#o.itemFor(r);
    const fromArchive = this.#archive?.fetchFor(this.#remotePath(r));
    if (fromArchive) item.fetch = fromArchive;
    const result = await writeItem(item, this.at(path), {
      signal,
      events: { progress: (delta, fresh) => (fresh ? (this.counts.bytes += delta) : undefined) },
      ...(reallocate ? { reallocate: async () => resolveTarget(this.at(await this.#freePath(path))) } : {}),
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
    const conflict = await this.#freePath(joinPath(parentPath(path), conflictName(baseName(path), this.#o.day)));
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
