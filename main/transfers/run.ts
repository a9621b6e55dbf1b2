/**
 * One run of one transfer: resolve its nodes into jobs (one after the other, lazily: a selection
 * of 10,000 items is never expanded up front), lay out every item on disk, hand each file to the
 * shared file queue, and count progress. A folder of many small files, and a selection of many
 * files of one folder, come as archives (archive-route.ts, selection-route.ts). The manager owns
 * the list; a run only changes its own Transfer record and says so through `changed` / `stateChanged`.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type PQueue from 'p-queue';
import { AppFailure } from '../../shared/model/errors';
import type { AppError } from '../../shared/model/errors';
import type { DownloadMode, StoredNode, Transfer } from '../../shared/model/transfers';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import { alreadyThere, settleExisting, type ExistingBatch } from './existing';
import { removePart } from '../localfs/file-writer';
import { adoptPlaced, writeSlot, type FileHooks } from './run-file';
import type { WriteOptions } from '../localfs/file-writer';
import { archiveTarget, throughArchive } from './archive-route';
import type { ArchiveHost, Prepared } from './archive-route';
export { sweepArchives } from './archive-route';
import { removeArchive } from '../localfs/archive-fetch';
import { Journal, slotKey } from './journal';
import { Layout } from './layout';
import type { FileSlot, NameRegistry } from './layout';
import { exists } from '../localfs/paths';
import { noteRenamed } from './records';
import { RunTally } from './run-tally';
import { SelectionGroups, selectionThroughArchives } from './selection-route';
import { SignalFanout } from './signal-fanout';
import { SpeedMeter } from './speed';
import type { DownloadJob, JobResolver } from './types';
import { isFileItem } from '../localfs/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';

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
  /** The file writers: cancel waits for them before removing parts (on abort p-queue rejects, writers go on). */
  #writers = new Set<Promise<void>>();
  /** Totals, the budget estimate, the waits shown on the row. */
  #tally: RunTally;
  /** Folders (or selected groups) of this run that came as an archive. */
  #archived = 0;
  /** Settles when the run is aborted: one listener per run (listeners per file made adding O(n)). */
  #aborted: Promise<void>;
  /** Each file's own signal, aborted with the run's: its listeners are the file's, not the run's. */
  #files: SignalFanout;
  /** Set once the journal is loaded (execute). */
  #layout!: Layout;
  #journal!: Journal;

  constructor(target: RunTarget, deps: RunDeps) {
    this.#target = target;
    this.#deps = deps;
    const signal = this.abort.signal;
    this.#aborted = new Promise((resolveAbort) =>
      signal.addEventListener('abort', () => resolveAbort(), { once: true }),
    );
    this.#files = new SignalFanout(signal);
    this.#tally = new RunTally(target.transfer, deps.changed);
    // skipped, alreadyThere: counted again from the journal
    const counts = { bytesDone: 0, filesDone: 0, skipped: 0, alreadyThere: 0, speed: 0 };
    const cleared = { etaSeconds: null, verified: null, route: null, estimate: null, waitingForDecision: false };
    Object.assign(target.transfer, counts, cleared);
  }

  /** Runs to the end; never throws. */
  async execute(): Promise<RunOutcome> {
    const t = this.#target.transfer;
    let journal: Journal | null = null;
    const walked = this.#deps.existing?.walking();
    try {
      journal = await Journal.load(this.#deps.journalPath, this.#deps.log);
      this.#journal = journal;
      await mkdir(this.#target.targetDir, { recursive: true });
      // The download folder through realpath, once (a link the user set up): every write below refuses links.
      this.#layout = new Layout(await realpath(this.#target.targetDir), journal, this.#deps.names, (from, to, why) => {
        if (noteRenamed(t, from, to, why)) this.#deps.changed();
      });
      await this.#walkNodes();
    } catch (error) {
      // A listing or layout failure: like a file's, it stops the rest unless it is per file.
      this.#fileFailed(error);
    }
    this.#tally.walked = true;
    walked?.();
    this.#tally.update();
    await Promise.all(this.#tasks);
    await Promise.allSettled([...this.#writers]);
    // However the run ends, its archive is not kept (a new run makes a new one: issue 25.2).
    await removeArchive(archiveTarget(this.#deps.journalPath)).catch(() => undefined);
    await journal?.flush().catch((error: unknown) => {
      this.#deps.log?.(`transfers: journal not written: ${appErrorFrom(error).message}`);
    });
    Object.assign(t, { speed: 0, etaSeconds: null, estimate: null });
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

  /**
   * Every node in order; in a selection, files of one folder wait until all nodes are resolved
   * (no request while they are known): many of them come as archives (selection-route.ts).
   */
  async #walkNodes(): Promise<void> {
    const { nodes, folderMode } = this.#target;
    const signal = this.abort.signal;
    const many = nodes.length > 1;
    const groups = many && folderMode === 'files' ? new SelectionGroups() : null;
    if (groups) this.#tally.waitingRequests = () => groups.requests();
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
      this.#tally.budget ??= job.budget;
      if (!many) this.#adoptJob(job);
      if (await groups?.add(job, String(index))) {
        this.#tally.update();
        continue;
      }
      await this.#walk(job, many ? String(index) : undefined);
    }
    this.#tally.resolved = true;
    for (let files = groups?.next(); files && !signal.aborted; files = groups?.next()) {
      const left = await selectionThroughArchives(files, this.#archiveHost(undefined));
      this.#tally.counted(this.#tally.filesSeen + left.length);
      for (const { item, job, scope } of left) if (!(await this.#handle(item, job, scope))) return;
    }
  }

  #adoptJob(job: DownloadJob): void {
    const t = this.#target.transfer;
    t.name = job.name;
    t.kind = job.kind;
    this.#tally.jobTotals(job.filesTotal ?? null, job.bytesTotal ?? null);
  }

  /** Segments are relative to the target folder; a folder job's first segment is its own folder. */
  #noteRoot(job: DownloadJob | undefined, written: string[]): void {
    const t = this.#target.transfer;
    if (t.kind !== 'folder' || job?.kind !== 'folder' || t.targetPath !== null || written.length === 0) return;
    t.targetPath = join(this.#target.targetDir, written[0] as string);
    this.#deps.stateChanged();
  }

  async #walk(job: DownloadJob, scope: string | undefined): Promise<void> {
    const t = this.#target.transfer;
    let items = job.items;
    if (job.kind === 'folder' && job.archive && this.#target.folderMode === 'files') {
      items = await throughArchive(job, job.archive, this.#archiveHost(job, scope), scope);
    } else if (job.kind === 'folder') {
      t.route = t.route ?? 'files';
    }
    for await (const item of items) {
      if (this.abort.signal.aborted) break;
      if (!(await this.#handle(item, job, scope))) break;
    }
  }

  /** One item: its folder, or its file (finished before, adopted, asked about, or queued). False once aborted. */
  async #handle(item: DownloadItem | DownloadFolder, job: DownloadJob, scope: string | undefined): Promise<boolean> {
    if (!isFile(item)) {
      this.#noteRoot(job, await this.#layout.dir(item.segments, scope));
      return true;
    }
    const slot = await this.#place(item, job, scope);
    if (!slot) return true;
    if (slot.existing) {
      // Waits for the user's answer outside the file queue: it holds no slot and spends no request.
      const settled = this.#files.run(async (own) => {
        if (await this.#decide(item, slot, own)) await this.#enqueue(item, slot, item.fetch, own);
      });
      this.#tasks.push(settled.catch((error: unknown) => this.#fileFailed(error)));
      return true;
    }
    return this.#queued(item, slot, item.fetch);
  }

  /** Lays one file out and counts it: null when it is done (finished before, skipped before, or adopted). */
  async #place(item: DownloadItem, job: DownloadJob | undefined, scope: string | undefined): Promise<FileSlot | null> {
    const t = this.#target.transfer;
    const tally = this.#tally;
    tally.filesSeen += 1;
    const slot = await this.#layout.file(item.segments, scope, item.key);
    this.#noteRoot(job, slot.path);
    if (t.kind !== 'folder' && t.kind !== 'selection' && t.targetPath === null) t.targetPath = slot.abs;
    if ((slot.done && (await exists(slot.abs))) || (await adoptPlaced(this.#layout, item, slot))) {
      t.filesDone += 1;
      t.bytesDone += slot.bytes;
      tally.knownBytes += item.size ?? slot.bytes;
      if (slot.skipped && slot.same) t.alreadyThere += 1;
      else if (slot.skipped) t.skipped += 1;
      tally.update();
      return null;
    }
    if (item.size !== null) tally.knownBytes += item.size;
    else tally.unknownSizes += 1;
    tally.update();
    return slot;
  }

  /** Hands a laid-out file to the file queue once it has room (the walk waits meanwhile). False once aborted. */
  async #queued(item: DownloadItem, slot: FileSlot, fetch: DownloadItem['fetch']): Promise<boolean> {
    const queue = this.#deps.queue;
    await this.#journal.flush();
    await Promise.race([queue.onSizeLessThan(Math.max(queue.concurrency * 2, 4)), this.#aborted]);
    if (this.abort.signal.aborted) return false;
    const done = this.#files.run((own) => this.#enqueue(item, slot, fetch, own));
    this.#tasks.push(done.catch((error: unknown) => this.#fileFailed(error)));
    return true;
  }

  /** Writes the file in its turn (`signal`: the file's own, see #files); `fetch`: its own or an archive entry's. */
  async #enqueue(item: DownloadItem, slot: FileSlot, fetch: DownloadItem['fetch'], signal: AbortSignal): Promise<void> {
    await this.#journal.flush();
    const fromEntry = fetch !== item.fetch;
    const file = fetch === item.fetch ? item : { ...item, fetch };
    try {
      await this.#deps.queue.add(() => this.#tracked(this.#runFile(file, slot, signal)), { signal });
    } finally {
      if (fromEntry) this.#tally.planned -= 1;
    }
  }

  /** A file of this name was there: the user's answer (existing.ts). True when the file is to be written. */
  async #decide(item: DownloadItem, slot: FileSlot, signal: AbortSignal): Promise<boolean> {
    const { transfer } = this.#target;
    const layout = this.#layout;
    const changed = (): void => this.#deps.stateChanged();
    const context = { batch: this.#deps.existing, layout, transfer, targetDir: layout.targetDir, signal, changed };
    if ((await settleExisting(context, slot, item)) !== 'skip') return true;
    if (item.size === null) this.#tally.unknownSizes -= 1;
    this.#tally.update();
    return false;
  }

  /** What the archive routes need: layout, questions and the file queue of this run (archive-route.ts). */
  #archiveHost(job: DownloadJob | undefined, jobScope?: string): ArchiveHost {
    const t = this.#target.transfer;
    const tally = this.#tally;
    return {
      signal: this.abort.signal,
      archive: archiveTarget(this.#deps.journalPath),
      writer: { ...this.#deps.writer, ...(this.#deps.log ? { log: this.#deps.log } : {}) },
      pending: async (item, scope) =>
        !this.#journal.files.get(slotKey(item.segments, scope, item.key))?.done &&
        !(await alreadyThere(this.#layout.targetDir, item)),
      totals: (files, bytes) => (jobScope === undefined ? tally.jobTotals(files, bytes) : undefined),
      counted: (files) => tally.counted(tally.filesSeen + files),
      route: (route, fallback) => {
        // A selection of folders: `archive` when any of them came as one.
        if (route === 'archive') this.#archived += 1;
        else if (fallback) this.#archived -= 1;
        t.route = this.#archived > 0 ? 'archive' : 'files';
        if (route === 'archive' && t.state === 'queued') t.state = 'running';
        this.#deps.stateChanged();
      },
      fetched: (delta) => this.meter.add(delta),
      waiting: (ms) => tally.waiting(this, ms),
      archives: (count) => tally.addArchives(count),
      planned: (count) => tally.addPlanned(count),
      folder: async (item) => {
        this.#noteRoot(job, await this.#layout.dir(item.segments, jobScope));
        return !this.abort.signal.aborted;
      },
      prepare: (item, scope) => this.#prepare(item, job, scope),
      write: (file, fetch) => this.#queued(file.item, file.slot as FileSlot, fetch),
      settled: async () => {
        await Promise.allSettled([...this.#tasks, ...this.#writers]);
      },
    };
  }

  /** A file laid out and, when its name was taken, asked about, before its archive is made. */
  async #prepare(
    item: DownloadItem,
    job: DownloadJob | undefined,
    scope: string | undefined,
  ): Promise<Prepared | 'skipped' | 'done'> {
    const slot = await this.#place(item, job, scope);
    if (!slot) return 'done';
    if (slot.existing && !(await this.#files.run((own) => this.#decide(item, slot, own)))) return 'skipped';
    return { item, slot };
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
  #runFile(item: DownloadItem, slot: FileSlot, signal: AbortSignal): Promise<void> {
    const tally = this.#tally;
    const sized = (total: number): void => {
      tally.knownBytes += total;
      tally.unknownSizes -= 1;
      tally.update();
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
      finished: () => tally.update(),
      waiting: (ms) => tally.waiting(hooks, ms),
      retrying: (ms) => tally.retrying(ms),
    };
    return writeSlot(hooks, this.#layout, item, slot);
  }

  #fileFailed(error: unknown): void {
    const signal = this.abort.signal;
    if (signal.aborted && this.reason !== 'fail') return;
    const appError = appErrorFrom(error);
    if (appError.code === 'cancelled' && this.reason === 'fail') return;
    this.#errors.push(appError);
    this.#tally.failedFiles += 1;
    if (classifyAppError(appError).reach === 'job' && !signal.aborted) {
      // Disk full, token revoked, network gone: the other files would fail the same way (errors/classify.ts).
      this.reason = 'fail';
      this.abort.abort();
    }
  }
}
