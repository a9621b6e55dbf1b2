/**
 * One run of one transfer: resolve its nodes into jobs (one after the other, lazily: a selection
 * of 10,000 items is never expanded up front), lay out every item on disk, hand each file to the
 * shared file queue, and count progress. The manager owns the list; a run only changes its own
 * Transfer record and says so through `changed` / `stateChanged`.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type PQueue from 'p-queue';
import { AppFailure } from '../../shared/model/errors';
import type { AppError } from '../../shared/model/errors';
import type { RenameReason } from '../../shared/model/existing';
import { MAX_RENAMED_SHOWN } from '../../shared/model/transfers';
import type { DownloadMode, StoredNode, Transfer } from '../../shared/model/transfers';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import { alreadyThere, settleExisting, type ExistingBatch } from './existing';
import { removePart } from '../localfs/file-writer';
import { adoptPlaced, writeSlot, type FileHooks } from './run-file';
import type { WriteOptions } from '../localfs/file-writer';
import { throughArchive } from './archive-route';
import { Journal, slotKey } from './journal';
import { Layout } from './layout';
import type { FileSlot, NameRegistry } from './layout';
import { exists } from '../localfs/paths';
import { SignalFanout } from './signal-fanout';
import { SpeedMeter } from './speed';
import type { DownloadJob, JobResolver } from './types';
import { isFileItem } from '../localfs/types';
import type { ArchiveSource, DownloadFolder, DownloadItem } from '../localfs/types';

export interface RunTarget {
  transfer: Transfer;
  nodes: StoredNode[];
  folderMode: DownloadMode;
  targetDir: string;
}

export interface RunDeps {
  queue: PQueue;
  resolveQueue: PQueue;
  names: NameRegistry;
  resolve: JobResolver;
  journalPath: string;
  writer?: Pick<WriteOptions, 'maxAttempts' | 'retryDelayMs' | 'openPart'> | undefined;
  log?: ((line: string) => void) | undefined;
  /** Progress changed (throttled by the notifier). */
  changed: () => void;
  /** State changed: notify and persist. */
  stateChanged: () => void;
  /** The batch this run belongs to, asked when a file of the same name was there (existing.ts). */
  existing?: ExistingBatch | undefined;
}

/** How a run ended: `queued` when stopped by shutdown (resumes at the next start); `skipped`: every file was. */
export type RunOutcome = 'queued' | 'cancelled' | 'failed' | 'done' | 'skipped';

const isFile = isFileItem;

function cancelledError(): AppFailure {
  return new AppFailure('cancelled', 'Cancelled.');
}

/** Deletes the parts of a transfer's unfinished files (cancel, clear). */
export async function dropParts(journalPath: string, targetDir: string): Promise<void> {
  const journal = await Journal.load(journalPath);
  for (const path of journal.unfinished()) await removePart(join(targetDir, ...path));
}

export class TransferRun {
  readonly abort = new AbortController();
  reason: 'cancel' | 'dispose' | 'fail' | null = null;
  readonly meter = new SpeedMeter();
  #target: RunTarget;
  #deps: RunDeps;
  #errors: AppError[] = [];
  #tasks: Promise<void>[] = [];
  /** The file writers themselves: cancel waits for them before it removes parts (p-queue rejects
   * `add()` at once on abort while a writer may still write its part or sidecar). */
  #writers = new Set<Promise<void>>();
  /** Files waiting for the token's request budget, and until when (unix ms). */
  #waits = new Map<object, number>();
  /** Sizes: the job's total if given (one node), else the sum of known sizes once the walk has ended. */
  #jobBytesTotal: number | null = null;
  #jobFilesTotal: number | null = null;
  #knownBytes = 0;
  #unknownSizes = 0;
  #filesSeen = 0;
  #walked = false;
  /** Folders of this run that came as an archive. */
  #archived = 0;
  /** Settles when the run is aborted: one listener per run (listeners per file made adding O(n)). */
  #aborted: Promise<void>;
  /** Each file's own signal, aborted with the run's: its listeners are the file's, not the run's. */
  #files: SignalFanout;

  constructor(target: RunTarget, deps: RunDeps) {
    this.#target = target;
    this.#deps = deps;
    const signal = this.abort.signal;
    this.#aborted = new Promise((resolveAbort) =>
      signal.addEventListener('abort', () => resolveAbort(), { once: true }),
    );
    this.#files = new SignalFanout(signal);
    const t = target.transfer;
    t.bytesDone = 0;
    t.filesDone = 0;
    t.speed = 0;
    t.etaSeconds = null;
    t.verified = null;
    t.route = null;
    Object.assign(t, { waitingForDecision: false, skipped: 0, alreadyThere: 0 }); // counted again from the journal
  }

  /** Runs to the end; never throws. */
  async execute(): Promise<RunOutcome> {
    const t = this.#target.transfer;
    let journal: Journal | null = null;
    const walked = this.#deps.existing?.walking();
    try {
      journal = await Journal.load(this.#deps.journalPath, this.#deps.log);
      await mkdir(this.#target.targetDir, { recursive: true });
      // The download folder as the real folder it is (a link the user set up is followed here, once):
      // every write below it refuses links and junctions (localfs/paths.ts, issue 21).
      const layout = new Layout(await realpath(this.#target.targetDir), journal, this.#deps.names, (from, to, why) =>
        this.#renamed(from, to, why),
      );
      await this.#walkNodes(layout, journal);
    } catch (error) {
      // A listing or layout failure: like a file's, it stops the rest unless it is per file.
      this.#fileFailed(error);
    }
    this.#walked = true;
    walked?.();
    this.#updateTotals();
    await Promise.all(this.#tasks);
    await Promise.allSettled([...this.#writers]);
    await journal?.flush().catch((error: unknown) => {
      this.#deps.log?.(`transfers: journal not written: ${appErrorFrom(error).message}`);
    });
    t.speed = 0;
    t.etaSeconds = null;
    if (this.reason === 'dispose') return 'queued';
    if (this.reason === 'cancel') {
      await dropParts(this.#deps.journalPath, this.#target.targetDir).catch(() => undefined);
      return 'cancelled';
    }
    const [first] = this.#errors;
    if (first) {
      const failedFiles = this.#errors.length;
      t.error =
        failedFiles > 1 && classifyAppError(first).reach === 'item'
          ? { ...first, message: `${failedFiles} files failed. First: ${first.message}` }
          : first;
      return 'failed';
    }
    t.bytesTotal ??= t.bytesDone;
    t.filesTotal ??= t.filesDone;
    await journal?.remove();
    return t.filesDone > 0 && t.skipped + t.alreadyThere === t.filesDone ? 'skipped' : 'done';
  }

  #renamed(original: string, written: string, reason: RenameReason): void {
    const t = this.#target.transfer;
    if (t.renamed.some(([o, w]) => o === original && w === written)) return;
    t.renamedCount += 1;
    if (reason === 'exists') t.keptBoth += 1;
    if (t.renamed.length < MAX_RENAMED_SHOWN) t.renamed.push([original, written, reason]);
    this.#deps.changed();
  }

  async #walkNodes(layout: Layout, journal: Journal): Promise<void> {
    const { nodes, folderMode } = this.#target;
    const signal = this.abort.signal;
    const many = nodes.length > 1;
    for (const [index, node] of nodes.entries()) {
      if (signal.aborted) return;
      let job: DownloadJob;
      try {
        job = await this.#deps.resolveQueue.add(() => this.#deps.resolve(node, folderMode, signal), { signal });
      } catch (error) {
        if (!many) throw error;
        // One item of a selection that is gone: the others still come.
        this.#fileFailed(error);
        continue;
      }
      if (signal.aborted) throw cancelledError();
      if (!many) this.#adoptJob(job);
      await this.#walk(job, layout, journal, many ? String(index) : undefined);
    }
  }

  #adoptJob(job: DownloadJob): void {
    const t = this.#target.transfer;
    t.name = job.name;
    t.kind = job.kind;
    this.#jobBytesTotal = job.bytesTotal ?? null;
    this.#jobFilesTotal = job.filesTotal ?? null;
    this.#updateTotals();
  }

  /** Segments are relative to the target folder; a folder job's first segment is its own folder. */
  #noteRoot(job: DownloadJob, written: string[]): void {
    const t = this.#target.transfer;
    if (t.kind !== 'folder' || job.kind !== 'folder' || t.targetPath !== null || written.length === 0) return;
    t.targetPath = join(this.#target.targetDir, written[0] as string);
    this.#deps.stateChanged();
  }

  async #walk(job: DownloadJob, layout: Layout, journal: Journal, scope: string | undefined): Promise<void> {
    const t = this.#target.transfer;
    let items = job.items;
    if (job.kind === 'folder' && job.archive && this.#target.folderMode === 'files') {
      items = await this.#viaArchive(job, job.archive, layout, journal, scope);
    } else if (job.kind === 'folder') {
      t.route = t.route ?? 'files';
    }
    for await (const item of items) {
      if (this.abort.signal.aborted) break;
      if (!(await this.#handle(item, job, layout, journal, scope))) break;
    }
  }

  /** One item: its folder, or its file (finished before, adopted, or queued). False once aborted. */
  async #handle(
    item: DownloadItem | DownloadFolder,
    job: DownloadJob,
    layout: Layout,
    journal: Journal,
    scope: string | undefined,
  ): Promise<boolean> {
    const t = this.#target.transfer;
    const signal = this.abort.signal;
    const queue = this.#deps.queue;
    if (!isFile(item)) {
      this.#noteRoot(job, await layout.dir(item.segments, scope));
      return true;
    }
    this.#filesSeen += 1;
    const slot = await layout.file(item.segments, scope, item.key);
    this.#noteRoot(job, slot.path);
    if (t.kind !== 'folder' && t.kind !== 'selection' && t.targetPath === null) t.targetPath = slot.abs;
    if ((slot.done && (await exists(slot.abs))) || (await adoptPlaced(layout, item, slot))) {
      t.filesDone += 1;
      t.bytesDone += slot.bytes;
      this.#knownBytes += item.size ?? slot.bytes;
      if (slot.skipped && slot.same) t.alreadyThere += 1;
      else if (slot.skipped) t.skipped += 1;
      this.#updateTotals();
      return true;
    }
    if (item.size !== null) this.#knownBytes += item.size;
    else this.#unknownSizes += 1;
    this.#updateTotals();
    if (slot.existing) {
      // Waits for the user's answer outside the file queue: it holds no slot and spends no request.
      const settled = this.#files.run((own) => this.#settle(layout, journal, item, slot, own));
      this.#tasks.push(settled.catch((error: unknown) => this.#fileFailed(error)));
      return true;
    }
    await journal.flush();
    await Promise.race([queue.onSizeLessThan(Math.max(queue.concurrency * 2, 4)), this.#aborted]);
    if (signal.aborted) return false;
    this.#tasks.push(
      this.#files
        .run((own) => queue.add(() => this.#tracked(this.#runFile(layout, item, slot, own)), { signal: own }))
        .catch((error: unknown) => {
          this.#fileFailed(error);
        }),
    );
    return true;
  }

  /** Files mode, a folder that can also come as one archive: see archive-route.ts. */
  #viaArchive(
    job: DownloadJob,
    source: ArchiveSource,
    layout: Layout,
    journal: Journal,
    scope: string | undefined,
  ): Promise<AsyncIterable<DownloadItem | DownloadFolder>> {
    const t = this.#target.transfer;
    const signal = this.abort.signal;
    return throughArchive(job, source, {
      signal,
      archive: { root: dirname(this.#deps.journalPath), path: `${basename(this.#deps.journalPath)}.zip` },
      writer: { ...this.#deps.writer, ...(this.#deps.log ? { log: this.#deps.log } : {}) },
      pending: async (item) =>
        !journal.files.get(slotKey(item.segments, scope, item.key))?.done &&
        !(await alreadyThere(this.#target.targetDir, item)),
      totals: (files, bytes) => {
        if (scope !== undefined) return;
        this.#jobFilesTotal = files;
        this.#jobBytesTotal = bytes;
        this.#updateTotals();
      },
      route: (route, fallback) => {
        // A selection of folders: `archive` when any of them came as one.
        if (route === 'archive') this.#archived += 1;
        else if (fallback) this.#archived -= 1;
        t.route = this.#archived > 0 ? 'archive' : 'files';
        if (route === 'archive' && t.state === 'queued') t.state = 'running';
        this.#deps.stateChanged();
      },
      fetched: (delta) => this.meter.add(delta),
      waiting: (ms) => this.#waiting(job, ms),
      handle: (item) => this.#handle(item, job, layout, journal, scope),
      settled: async () => {
        await Promise.allSettled([...this.#tasks, ...this.#writers]);
      },
      failed: (error) => this.#fileFailed(error),
    });
  }

  /** A file of this name was there: the user's answer (existing.ts), then the file queue as usual. */
  async #settle(
    layout: Layout,
    journal: Journal,
    item: DownloadItem,
    slot: FileSlot,
    signal: AbortSignal,
  ): Promise<void> {
    const { transfer } = this.#target;
    const changed = (): void => this.#deps.stateChanged();
    const context = { batch: this.#deps.existing, layout, transfer, targetDir: layout.targetDir, signal, changed };
    if ((await settleExisting(context, slot, item)) === 'skip') {
      if (item.size === null) this.#unknownSizes -= 1;
      return this.#updateTotals();
    }
    await journal.flush();
    await this.#deps.queue.add(() => this.#tracked(this.#runFile(layout, item, slot, signal)), { signal });
  }

  #tracked(writer: Promise<void>): Promise<void> {
    this.#writers.add(writer);
    void writer.then(
      () => this.#writers.delete(writer),
      () => this.#writers.delete(writer),
    );
    return writer;
  }

  /** `signal`: the file's own (see #files). */
  #runFile(layout: Layout, item: DownloadItem, slot: FileSlot, signal: AbortSignal): Promise<void> {
    const sized = (total: number): void => {
      this.#knownBytes += total;
      this.#unknownSizes -= 1;
      this.#updateTotals();
    };
    const { writer, log, changed, stateChanged } = this.#deps;
    const hooks: FileHooks = {
      transfer: this.#target.transfer,
      signal,
      meter: this.meter,
      writer: { ...writer, ...(log ? { log } : {}) },
      changed,
      stateChanged,
      sized,
      finished: () => this.#updateTotals(),
      waiting: (ms) => this.#waiting(hooks, ms),
      retrying: (ms) => this.#retrying(ms),
    };
    return writeSlot(hooks, layout, item, slot);
  }

  /** "Waiting for Infomaniak's rate limit, 12 s": until the last waiting file (`file`) may go. */
  #waiting(file: object, ms: number): void {
    if (ms > 0) this.#waits.set(file, Date.now() + ms);
    else this.#waits.delete(file);
    const latest = Math.max(0, ...this.#waits.values());
    this.#target.transfer.waitingUntil = latest > 0 ? latest : null;
    this.#deps.changed();
  }

  /** "Waiting for the server, retrying in 12 s": when the writer's next attempt starts (cleared by fresh bytes). */
  #retrying(ms: number): void {
    this.#target.transfer.retryingAt = Date.now() + ms;
    this.#deps.changed();
  }

  #fileFailed(error: unknown): void {
    const signal = this.abort.signal;
    if (signal.aborted && this.reason !== 'fail') return;
    const appError = appErrorFrom(error);
    if (appError.code === 'cancelled' && this.reason === 'fail') return;
    this.#errors.push(appError);
    if (classifyAppError(appError).reach === 'job' && !signal.aborted) {
      // Disk full, token revoked, network gone: the other files would fail the same way (errors/classify.ts).
      this.reason = 'fail';
      this.abort.abort();
    }
  }

  #updateTotals(): void {
    const t = this.#target.transfer;
    t.filesTotal = this.#jobFilesTotal ?? (this.#walked ? this.#filesSeen : null);
    t.bytesTotal = this.#jobBytesTotal ?? (this.#walked && this.#unknownSizes === 0 ? this.#knownBytes : null);
    this.#deps.changed();
  }
}
