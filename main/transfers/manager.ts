/**
 * The transfer engine: one Transfer per selected node, files of all transfers through one queue
 * (p-queue, default 3 at a time, adjustable live), progress with smoothed speed and ETA, and state
 * kept in `<dataDir>/transfers.json` plus one journal per transfer so that a restart resumes.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import PQueue from 'p-queue';
import { z } from 'zod';
import { AppFailure, ERROR_CODES } from '../../shared/model/errors';
import type { AppError } from '../../shared/model/errors';
import type { DownloadMode, Transfer, TransferState } from '../../shared/model/transfers';
import { toTransferError } from './errors';
import { removePart, writeItem } from './file-writer';
import type { WriteOptions } from './file-writer';
import { Journal } from './journal';
import { Layout, NameRegistry } from './layout';
import type { FileSlot } from './layout';
import { SpeedMeter, etaSeconds } from './speed';
import type { DesktopShell, DownloadFolder, DownloadItem, DownloadJob, JobResolver } from './types';

export interface TransferManagerDeps {
  /** Folder for `transfers.json` and the `transfers/<id>.jsonl` journals. */
  dataDir: string;
  resolve: JobResolver;
  shell: DesktopShell;
  /** Files downloaded at the same time, across all transfers. Default 3. */
  concurrency?: number;
  now?: () => number;
  /** The whole list, at most ~5 times a second, and at once on every state change. */
  onChange: (transfers: Transfer[]) => void;
  log?: (line: string) => void;
  /** Writer tuning and test hooks (retries, injected file handles). */
  writer?: Pick<WriteOptions, 'maxAttempts' | 'retryDelayMs' | 'openPart'>;
  /** Minimum ms between two progress notifications. Default 200. */
  notifyIntervalMs?: number;
  /** Speed sampling period in ms. Default 250. */
  tickMs?: number;
}

export interface StartSpec {
  nodeIds: string[];
  folderMode: DownloadMode;
  /** Absolute folder the downloads go into. */
  targetDir: string;
}

/** One line of `transfers.json`. */
export interface StoredTransfer {
  transfer: Transfer;
  nodeId: string;
  folderMode: DownloadMode;
  targetDir: string;
}

export interface TransfersFile {
  version: 1;
  transfers: StoredTransfer[];
}

const FILE_NAME = 'transfers.json';
const MAX_RENAMED = 1000;
/** Errors after which the other files of the same transfer are not worth trying. */
const PER_FILE_ERRORS = new Set<AppError['code']>(['integrity', 'not_found', 'api_error', 'forbidden']);

const appErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
const transferSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  kind: z.enum(['file', 'folder', 'zip', 'export']),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  filesDone: z.number(),
  filesTotal: z.number().nullable(),
  speed: z.number(),
  etaSeconds: z.number().nullable(),
  targetPath: z.string().nullable(),
  renamed: z.array(z.tuple([z.string(), z.string()])),
  resumes: z.number(),
  error: appErrorSchema.optional(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  transfers: z.array(
    z.object({
      transfer: transferSchema,
      nodeId: z.string().min(1),
      folderMode: z.enum(['files', 'zip']),
      targetDir: z.string().min(1),
    }),
  ),
});

interface Run {
  abort: AbortController;
  reason: 'cancel' | 'dispose' | 'fail' | null;
  meter: SpeedMeter;
  errors: AppError[];
  done: Promise<void>;
  /** Sizes: the job's total if given, else the sum of known sizes once the walk has ended. */
  jobBytesTotal: number | null;
  jobFilesTotal: number | null;
  knownBytes: number;
  unknownSizes: number;
  filesSeen: number;
  walked: boolean;
}

interface Entry {
  transfer: Transfer;
  nodeId: string;
  folderMode: DownloadMode;
  targetDir: string;
  run: Run | null;
}

function isFile(item: DownloadItem | DownloadFolder): item is DownloadItem {
  return Boolean(('fetch' in item && item.fetch) || ('content' in item && item.content));
}

function cancelledError(): AppFailure {
  return new AppFailure('cancelled', 'Cancelled.');
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

export class TransferManager {
  #deps: TransferManagerDeps;
  #now: () => number;
  #entries = new Map<string, Entry>();
  #queue: PQueue;
  #resolveQueue = new PQueue({ concurrency: 4 });
  #names = new NameRegistry();
  #active = 0;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #emitTimer: ReturnType<typeof setTimeout> | null = null;
  #lastEmit = 0;
  #saving: Promise<void> | null = null;
  #saveAgain = false;
  #disposed = false;

  constructor(deps: TransferManagerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#queue = new PQueue({ concurrency: clampConcurrency(deps.concurrency ?? 3) });
  }

  get concurrency(): number {
    return this.#queue.concurrency;
  }

  /** Changes how many files download at once; running files continue, queued ones follow the new limit. */
  setConcurrency(n: number): void {
    this.#queue.concurrency = clampConcurrency(n);
  }

  list(): Transfer[] {
    return [...this.#entries.values()].map((entry) => structuredClone(entry.transfer));
  }

  /** One transfer per node; returns their ids at once, jobs resolve and run in the background. */
  async start(spec: StartSpec): Promise<string[]> {
    if (this.#disposed) throw new AppFailure('internal', 'The transfer manager is shut down.');
    if (!isAbsolute(spec.targetDir))
      throw new AppFailure('validation', 'The download folder must be an absolute path.');
    if (spec.nodeIds.length === 0) return [];
    const targetDir = resolve(spec.targetDir);
    const ids: string[] = [];
    for (const nodeId of spec.nodeIds) {
      const id = randomUUID();
      ids.push(id);
      this.#entries.set(id, {
        nodeId,
        folderMode: spec.folderMode,
        targetDir,
        run: null,
        transfer: {
          id,
          name: nodeId,
          kind: 'file',
          state: 'queued',
          bytesDone: 0,
          bytesTotal: null,
          filesDone: 0,
          filesTotal: null,
          speed: 0,
          etaSeconds: null,
          targetPath: null,
          renamed: [],
          resumes: 0,
          createdAt: this.#now(),
        },
      });
    }
    for (const id of ids) this.#launch(this.#entries.get(id) as Entry);
    this.#stateChanged();
    return ids;
  }

  /** Reloads `transfers.json`; transfers that were queued or running start again and resume. */
  async restore(): Promise<void> {
    const file = join(this.#deps.dataDir, FILE_NAME);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let stored: StoredTransfer[];
    try {
      stored = fileSchema.parse(JSON.parse(text)).transfers as StoredTransfer[];
    } catch {
      const movedTo = join(this.#deps.dataDir, `transfers.corrupt-${this.#now()}.json`);
      await rename(file, movedTo);
      this.#log(`transfers: ${FILE_NAME} was unreadable; moved aside to ${movedTo}`);
      return;
    }
    const resume: Entry[] = [];
    for (const item of stored) {
      if (this.#entries.has(item.transfer.id)) continue;
      const entry: Entry = { ...item, targetDir: resolve(item.targetDir), run: null };
      entry.transfer.speed = 0;
      entry.transfer.etaSeconds = null;
      if (entry.transfer.state === 'running' || entry.transfer.state === 'queued') {
        entry.transfer.state = 'queued';
        resume.push(entry);
      }
      this.#entries.set(entry.transfer.id, entry);
    }
    for (const entry of resume) this.#launch(entry);
    this.#stateChanged();
  }

  /** Stops a transfer and deletes the parts of its unfinished files; finished files stay. */
  async cancel(id: string): Promise<void> {
    const entry = this.#get(id);
    if (entry.run) {
      entry.run.reason = 'cancel';
      entry.run.abort.abort();
      await entry.run.done;
      return;
    }
    if (entry.transfer.state === 'done' || entry.transfer.state === 'cancelled') return;
    await this.#dropParts(entry);
    this.#finish(entry, 'cancelled');
  }

  /** Runs a failed or cancelled transfer again: same names, resuming from the parts left. */
  async retry(id: string): Promise<void> {
    const entry = this.#get(id);
    if (entry.run || (entry.transfer.state !== 'failed' && entry.transfer.state !== 'cancelled')) return;
    if (this.#disposed) throw new AppFailure('internal', 'The transfer manager is shut down.');
    entry.transfer.state = 'queued';
    delete entry.transfer.error;
    delete entry.transfer.finishedAt;
    this.#launch(entry);
    this.#stateChanged();
  }

  async open(id: string): Promise<void> {
    const path = await this.#existingTarget(this.#get(id));
    if (!path) throw new AppFailure('not_found', 'The downloaded file is not there (yet).');
    await this.#deps.shell.openPath(path);
  }

  /** Shows the result in the file manager (the target folder while nothing is written yet). */
  async reveal(id: string): Promise<void> {
    const entry = this.#get(id);
    const path = await this.#existingTarget(entry);
    if (path) await this.#deps.shell.showItemInFolder(path);
    else await this.#deps.shell.openPath(entry.targetDir);
  }

  /** Removes finished, failed and cancelled transfers from the list (and the parts failed ones left). */
  async clearFinished(): Promise<void> {
    const removed: Entry[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.run) continue;
      const state = entry.transfer.state;
      if (state === 'done' || state === 'failed' || state === 'cancelled') removed.push(entry);
    }
    for (const entry of removed) {
      this.#entries.delete(entry.transfer.id);
      if (entry.transfer.state === 'failed') await this.#dropParts(entry).catch(() => undefined);
      await rm(this.#journalPath(entry.transfer.id), { force: true });
    }
    if (removed.length > 0) this.#stateChanged();
  }

  /** Stops everything, keeping parts and queued states so that `restore()` resumes next time. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const runs: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      if (!entry.run) continue;
      entry.run.reason = 'dispose';
      entry.run.abort.abort();
      runs.push(entry.run.done);
    }
    await Promise.allSettled(runs);
    this.#stopTicker();
    if (this.#emitTimer) clearTimeout(this.#emitTimer);
    this.#emitTimer = null;
    await this.#save().catch((error: unknown) => {
      this.#log(`transfers: could not save ${FILE_NAME}: ${toTransferError(error).message}`);
    });
  }

  /**
   * Absolute paths of what finished transfers of these nodes wrote (a file, or a folder for folder
   * jobs), newest transfer per node, only if still on disk. For dragging items out to the desktop.
   */
  completedFilesFor(nodeIds: string[]): string[] {
    const paths: string[] = [];
    const entries = [...this.#entries.values()].reverse();
    for (const nodeId of new Set(nodeIds)) {
      const entry = entries.find(
        (e) => e.nodeId === nodeId && e.transfer.state === 'done' && e.transfer.targetPath !== null,
      );
      const path = entry?.transfer.targetPath;
      if (path && existsSync(path)) paths.push(path);
    }
    return paths;
  }

  /** Resolves when no transfer is running (for tests and the host's shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const runs = [...this.#entries.values()].flatMap((e) => (e.run ? [e.run.done] : []));
      if (runs.length === 0) break;
      await Promise.allSettled(runs);
    }
    await this.#saving?.catch(() => undefined);
  }

  #get(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new AppFailure('not_found', 'No such transfer.');
    return entry;
  }

  async #existingTarget(entry: Entry): Promise<string | null> {
    const path = entry.transfer.targetPath;
    return path && (await pathExists(path)) ? path : null;
  }

  #journalPath(id: string): string {
    return join(this.#deps.dataDir, 'transfers', `${id}.jsonl`);
  }

  async #dropParts(entry: Entry): Promise<void> {
    const journal = await Journal.load(this.#journalPath(entry.transfer.id));
    for (const path of journal.unfinished()) await removePart(join(entry.targetDir, ...path));
  }

  #log(line: string): void {
    this.#deps.log?.(line);
  }

  // ── running ────────────────────────────────────────────────────────────────────────────────

  #launch(entry: Entry): void {
    const run: Run = {
      abort: new AbortController(),
      reason: null,
      meter: new SpeedMeter(),
      errors: [],
      done: Promise.resolve(),
      jobBytesTotal: null,
      jobFilesTotal: null,
      knownBytes: 0,
      unknownSizes: 0,
      filesSeen: 0,
      walked: false,
    };
    entry.run = run;
    const t = entry.transfer;
    t.bytesDone = 0;
    t.filesDone = 0;
    t.speed = 0;
    t.etaSeconds = null;
    this.#active += 1;
    this.#startTicker();
    run.done = this.#execute(entry, run)
      .catch((error: unknown) => {
        this.#log(`transfers: unexpected failure: ${toTransferError(error).message}`);
      })
      .finally(() => {
        entry.run = null;
        this.#active -= 1;
        if (this.#active === 0) {
          this.#stopTicker();
          this.#names.clear();
        }
      });
  }

  async #execute(entry: Entry, run: Run): Promise<void> {
    const t = entry.transfer;
    const signal = run.abort.signal;
    let journal: Journal | null = null;
    try {
      journal = await Journal.load(this.#journalPath(t.id));
      const job = await this.#resolveQueue.add(() => this.#deps.resolve(entry.nodeId, entry.folderMode), { signal });
      if (signal.aborted) throw cancelledError();
      await this.#walk(entry, run, job, journal);
    } catch (error) {
      if (!(signal.aborted && run.reason !== 'fail')) run.errors.push(toTransferError(error));
    }
    await journal?.flush().catch((error: unknown) => {
      this.#log(`transfers: journal not written: ${toTransferError(error).message}`);
    });

    t.speed = 0;
    t.etaSeconds = null;
    if (run.reason === 'dispose') {
      t.state = 'queued';
      return;
    }
    if (run.reason === 'cancel') {
      await this.#dropParts(entry).catch(() => undefined);
      this.#finish(entry, 'cancelled');
      return;
    }
    const [first] = run.errors;
    if (first) {
      const failedFiles = run.errors.length;
      t.error =
        failedFiles > 1 && PER_FILE_ERRORS.has(first.code)
          ? { ...first, message: `${failedFiles} files failed. First: ${first.message}` }
          : first;
      this.#finish(entry, 'failed');
      return;
    }
    t.bytesTotal ??= t.bytesDone;
    t.filesTotal ??= t.filesDone;
    await journal?.remove();
    this.#finish(entry, 'done');
  }

  async #walk(entry: Entry, run: Run, job: DownloadJob, journal: Journal): Promise<void> {
    const t = entry.transfer;
    const signal = run.abort.signal;
    t.name = job.name;
    t.kind = job.kind;
    run.jobBytesTotal = job.bytesTotal ?? null;
    run.jobFilesTotal = job.filesTotal ?? null;
    this.#updateTotals(entry, run);
    await mkdir(entry.targetDir, { recursive: true });
    const layout = new Layout(entry.targetDir, journal, this.#names, (original, written) => {
      if (t.renamed.some(([o, w]) => o === original && w === written)) return;
      if (t.renamed.length < MAX_RENAMED) t.renamed.push([original, written]);
      this.#scheduleEmit();
    });
    // Segments are relative to the target folder; a folder job's first segment is its own folder.
    const noteRoot = (written: string[]): void => {
      if (job.kind !== 'folder' || t.targetPath !== null || written.length === 0) return;
      t.targetPath = join(layout.targetDir, written[0] as string);
      this.#stateChanged();
    };

    const tasks: Promise<void>[] = [];
    const aborted = new Promise<void>((resolveAbort) =>
      signal.addEventListener('abort', () => resolveAbort(), { once: true }),
    );
    for await (const item of job.items) {
      if (signal.aborted) break;
      const raw = item.segments;
      if (!isFile(item)) {
        noteRoot(await layout.dir(raw));
        continue;
      }
      run.filesSeen += 1;
      const slot = await layout.file(raw);
      noteRoot(slot.path);
      if (job.kind !== 'folder' && t.targetPath === null) t.targetPath = slot.abs;
      if (slot.done && (await pathExists(slot.abs))) {
        t.filesDone += 1;
        t.bytesDone += slot.bytes;
        run.knownBytes += item.size ?? slot.bytes;
        this.#updateTotals(entry, run);
        continue;
      }
      if (item.size !== null) run.knownBytes += item.size;
      else run.unknownSizes += 1;
      this.#updateTotals(entry, run);
      await journal.flush();
      await Promise.race([this.#queue.onSizeLessThan(Math.max(this.#queue.concurrency * 2, 4)), aborted]);
      if (signal.aborted) break;
      tasks.push(
        this.#queue
          .add(() => this.#runFile(entry, run, layout, raw, item, slot), { signal })
          .catch((error: unknown) => {
            this.#fileFailed(run, error);
          }),
      );
    }
    run.walked = true;
    this.#updateTotals(entry, run);
    await Promise.all(tasks);
  }

  async #runFile(entry: Entry, run: Run, layout: Layout, raw: string[], item: DownloadItem, slot: FileSlot) {
    const t = entry.transfer;
    const signal = run.abort.signal;
    if (signal.aborted) throw cancelledError();
    if (t.state === 'queued') {
      t.state = 'running';
      this.#stateChanged();
    }
    let counted = 0;
    let sizeCounted = item.size !== null;
    try {
      const result = await writeItem(item, slot.abs, {
        ...this.#deps.writer,
        signal,
        ...(this.#deps.log ? { log: this.#deps.log } : {}),
        reallocate: (taken) => layout.reallocate(raw, taken),
        events: {
          progress: (delta, fresh) => {
            counted += delta;
            t.bytesDone += delta;
            if (fresh) run.meter.add(delta);
            this.#scheduleEmit();
          },
          size: (total) => {
            if (sizeCounted) return;
            sizeCounted = true;
            run.knownBytes += total;
            run.unknownSizes -= 1;
            this.#updateTotals(entry, run);
          },
          resumed: () => {
            t.resumes += 1;
            this.#scheduleEmit();
          },
        },
      });
      if (!sizeCounted) {
        run.knownBytes += result.bytes;
        run.unknownSizes -= 1;
      }
      layout.markDone(raw, result.path, result.bytes);
      if (entry.transfer.kind !== 'folder' && (t.targetPath === slot.abs || t.targetPath === null)) {
        t.targetPath = result.path;
      }
      t.filesDone += 1;
      this.#updateTotals(entry, run);
      this.#scheduleEmit();
    } catch (error) {
      t.bytesDone -= counted;
      throw error;
    }
  }

  #fileFailed(run: Run, error: unknown): void {
    if (run.abort.signal.aborted && run.reason !== 'fail') return;
    const appError = toTransferError(error);
    if (appError.code === 'cancelled' && run.reason === 'fail') return;
    run.errors.push(appError);
    if (!PER_FILE_ERRORS.has(appError.code) && !run.abort.signal.aborted) {
      // Disk full, token revoked, network gone: the other files would fail the same way.
      run.reason = 'fail';
      run.abort.abort();
    }
  }

  #updateTotals(entry: Entry, run: Run): void {
    const t = entry.transfer;
    t.filesTotal = run.jobFilesTotal ?? (run.walked ? run.filesSeen : null);
    t.bytesTotal = run.jobBytesTotal ?? (run.walked && run.unknownSizes === 0 ? run.knownBytes : null);
    this.#scheduleEmit();
  }

  #finish(entry: Entry, state: TransferState): void {
    entry.transfer.state = state;
    entry.transfer.finishedAt = this.#now();
    entry.transfer.speed = 0;
    entry.transfer.etaSeconds = null;
    this.#stateChanged();
  }

  // ── notifications, speed and persistence ────────────────────────────────────────────────────

  #startTicker(): void {
    if (this.#ticker) return;
    this.#ticker = setInterval(() => this.#tick(), this.#deps.tickMs ?? 250);
    this.#ticker.unref?.();
  }

  #stopTicker(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  #tick(): void {
    const now = this.#now();
    let changed = false;
    for (const entry of this.#entries.values()) {
      if (!entry.run) continue;
      const t = entry.transfer;
      const speed = entry.run.meter.sample(now);
      const eta = etaSeconds(t.bytesDone, t.bytesTotal, speed);
      if (speed !== t.speed || eta !== t.etaSeconds) {
        t.speed = speed;
        t.etaSeconds = eta;
        changed = true;
      }
    }
    if (changed) this.#scheduleEmit();
  }

  /** A progress change: notify now if the last notification is old enough, else once a little later. */
  #scheduleEmit(): void {
    if (this.#disposed || this.#emitTimer) return;
    const interval = this.#deps.notifyIntervalMs ?? 200;
    const wait = this.#lastEmit + interval - Date.now();
    if (wait <= 0) {
      this.#emit();
      return;
    }
    this.#emitTimer = setTimeout(() => {
      this.#emitTimer = null;
      this.#emit();
    }, wait);
  }

  /** A state change: notify at once and persist. */
  #stateChanged(): void {
    if (this.#emitTimer) clearTimeout(this.#emitTimer);
    this.#emitTimer = null;
    if (!this.#disposed) this.#emit();
    void this.#save().catch((error: unknown) => {
      this.#log(`transfers: could not save ${FILE_NAME}: ${toTransferError(error).message}`);
    });
  }

  #emit(): void {
    this.#lastEmit = Date.now();
    try {
      this.#deps.onChange(this.list());
    } catch (error) {
      this.#log(`transfers: onChange threw: ${toTransferError(error).message}`);
    }
  }

  /** Writes `transfers.json` atomically; calls while a write runs coalesce into one more write. */
  async #save(): Promise<void> {
    if (this.#saving) {
      this.#saveAgain = true;
      return this.#saving;
    }
    this.#saving = (async () => {
      try {
        do {
          this.#saveAgain = false;
          const data: TransfersFile = {
            version: 1,
            transfers: [...this.#entries.values()].map((e) => ({
              transfer: e.transfer,
              nodeId: e.nodeId,
              folderMode: e.folderMode,
              targetDir: e.targetDir,
            })),
          };
          const file = join(this.#deps.dataDir, FILE_NAME);
          await mkdir(dirname(file), { recursive: true });
          const tmp = `${file}.tmp`;
          await writeFile(tmp, JSON.stringify(data));
          await rename(tmp, file);
        } while (this.#saveAgain);
      } finally {
        this.#saving = null;
      }
    })();
    return this.#saving;
  }
}

function clampConcurrency(n: number): number {
  if (!Number.isFinite(n)) return 3;
  return Math.min(16, Math.max(1, Math.floor(n)));
}
