/**
 * The transfer engine: one Transfer per selected node (a big selection is ONE transfer of many
 * items), files of all transfers through one queue (p-queue, default 3 at a time, adjustable
 * live), progress with smoothed speed and ETA sent as throttled per-transfer changes, and state
 * kept in `<dataDir>/transfers.json` plus one journal per transfer so that a restart resumes.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type PQueue from 'p-queue';
import { failWith } from '../../shared/model/errors';
import type { Notice } from '../../shared/model/settings';
import type { DownloadMode, StoredNode, Transfer, TransferChanges, TransferState } from '../../shared/model/transfers';
import { appErrorFrom } from '../errors/app-error';
import type { ExistingFiles } from './existing';
import type { WriteOptions } from '../localfs/file-writer';
import { NameRegistry } from './layout';
import { ChangeNotifier } from './notifier';
import { exists } from '../localfs/paths';
import { TransferRun, dropParts, sweepArchives, type RunTarget } from './run';
import { JobQueue, superviseRun } from './run-fault';
import { clampConcurrency, newTransfer, snapshot } from './records';
import { etaSeconds } from './speed';
import { TRANSFERS_FILE, TransfersWriter, loadTransfers } from './store';
import type { DesktopShell } from '../platform';
import type { JobResolver, NodeFacts } from './types';

export interface TransferManagerDeps {
  /** Folder for `transfers.json` and the `transfers/<id>.jsonl` journals. */
  dataDir: string;
  resolve: JobResolver;
  /** What the sources know of a node at start (kind and name), remembered with the transfer. */
  describe?: (nodeId: string) => NodeFacts | null;
  shell: DesktopShell;
  /** Asks what to do when a name is taken by a file that was there, once per batch; without it, both are kept. */
  existing?: ExistingFiles;
  /** Files downloaded at the same time, across all transfers. Default 3. */
  concurrency?: number;
  now?: () => number;
  /** Batches of changed transfers, at most one per `notifyIntervalMs`. */
  onChange: (changes: TransferChanges) => void;
  /** Something the user should know that is not a transfer's own error (a skipped record). */
  onNotice?: (notice: Notice) => void;
  log?: (line: string) => void;
  /** Writer tuning and test hooks (retries, injected file handles). */
  writer?: Pick<WriteOptions, 'maxAttempts' | 'retryDelayMs' | 'openPart'>;
  /** Minimum ms between two change batches (so ≤ 1000/n batches a second per transfer). Default 100. */
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

/** Selections of more nodes than this are one transfer ("N items"); smaller ones get one each. */
export const GROUP_ABOVE = 20;

interface Entry extends RunTarget {
  run: TransferRun | null;
  done: Promise<void>;
}

export class TransferManager {
  #deps: TransferManagerDeps;
  #now: () => number;
  #entries = new Map<string, Entry>();
  #queue: PQueue;
  #resolveQueue = new JobQueue({ concurrency: 4 });
  #names = new NameRegistry();
  #active = 0;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #notifier: ChangeNotifier;
  #writer: TransfersWriter;
  #disposed = false;

  constructor(deps: TransferManagerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#queue = new JobQueue({ concurrency: clampConcurrency(deps.concurrency ?? 3) });
    this.#notifier = new ChangeNotifier({
      snapshot: (id) => {
        const entry = this.#entries.get(id);
        return entry ? snapshot(entry.transfer) : undefined;
      },
      send: deps.onChange,
      ...(deps.notifyIntervalMs !== undefined ? { intervalMs: deps.notifyIntervalMs } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
    this.#writer = new TransfersWriter(deps.dataDir, () =>
      [...this.#entries.values()].map((e) => ({
        transfer: e.transfer,
        nodes: e.nodes,
        folderMode: e.folderMode,
        targetDir: e.targetDir,
      })),
    );
  }

  get concurrency(): number {
    return this.#queue.concurrency;
  }

  /** Changes how many files download at once; running files continue, queued ones follow the new limit. */
  setConcurrency(n: number): void {
    this.#queue.concurrency = clampConcurrency(n);
  }

  list(): Transfer[] {
    return [...this.#entries.values()].map((entry) => snapshot(entry.transfer));
  }

  /**
   * Starts downloads and returns the transfer ids at once; jobs resolve and run in the background.
   * Up to GROUP_ABOVE nodes: one transfer each. More: one transfer of all of them.
   */
  async start(spec: StartSpec): Promise<string[]> {
    if (this.#disposed) throw failWith('internal', 'shut_down', 'The transfer manager is shut down.');
    if (!isAbsolute(spec.targetDir))
      throw failWith('validation', 'downloads_dir_relative', 'The download folder must be an absolute path.');
    if (spec.nodeIds.length === 0) return [];
    const targetDir = resolve(spec.targetDir);
    const nodes = spec.nodeIds.map((id) => this.#node(id));
    const groups = nodes.length > GROUP_ABOVE ? [nodes] : nodes.map((node) => [node]);
    const created: Entry[] = groups.map((group) => {
      const id = randomUUID();
      const first = group[0] as StoredNode;
      const name = group.length > 1 ? `${group.length} items` : (first.name ?? first.id);
      const transfer = newTransfer(id, name, this.#now());
      if (group.length > 1) {
        transfer.kind = 'selection';
        transfer.items = group.length;
        transfer.targetPath = targetDir;
      }
      const entry: Entry = {
        transfer,
        nodes: group,
        folderMode: spec.folderMode,
        targetDir,
        run: null,
        done: Promise.resolve(),
      };
      this.#entries.set(id, entry);
      return entry;
    });
    const batch = this.#deps.existing?.batch(); // one start = one batch: asked once, "apply to all" holds for it
    for (const entry of created) this.#launch(entry, batch);
    return created.map((entry) => entry.transfer.id);
  }

  #node(id: string): StoredNode {
    const { kind = null, name = null, parent } = this.#deps.describe?.(id) ?? {};
    return { id, kind, name, ...(parent ? { parent } : {}) };
  }

  /** Reloads `transfers.json` (removing archives killed runs left); queued or running transfers resume. */
  async restore(): Promise<void> {
    const { movedTo, skipped, records } = await loadTransfers(this.#deps.dataDir, this.#now());
    if (movedTo) {
      this.#log(`transfers: ${TRANSFERS_FILE} was unreadable; moved aside to ${movedTo}`);
      this.#notice(
        'transfers_file_corrupt',
        `The list of downloads could not be read; it was moved aside to ${movedTo}.`,
      );
    }
    if (skipped > 0) {
      this.#log(`transfers: skipped ${skipped} unreadable record(s) of ${TRANSFERS_FILE}`);
      this.#notice(
        'transfers_record_skipped',
        `${skipped} download(s) in the list could not be read and were left out.`,
      );
    }
    await sweepArchives(join(this.#deps.dataDir, 'transfers'), new Set(this.#entries.keys()), this.#deps.log);
    const resume: Entry[] = [];
    for (const item of records) {
      if (this.#entries.has(item.transfer.id)) continue;
      const entry: Entry = { ...item, targetDir: resolve(item.targetDir), run: null, done: Promise.resolve() };
      const idle = { speed: 0, etaSeconds: null, waitingUntil: null, retryingAt: null, waitingForDecision: false };
      Object.assign(entry.transfer, idle);
      if (entry.transfer.state === 'running' || entry.transfer.state === 'queued') {
        entry.transfer.state = 'queued';
        resume.push(entry);
      }
      this.#entries.set(entry.transfer.id, entry);
      this.#notifier.changed(entry.transfer.id);
    }
    for (const entry of resume) this.#launch(entry);
  }

  /** Stops a transfer and deletes the parts of its unfinished files; finished files stay. */
  async cancel(id: string): Promise<void> {
    const entry = this.#get(id);
    if (entry.run) {
      entry.run.reason = 'cancel';
      entry.run.abort.abort();
      await entry.done;
      return;
    }
    if (['done', 'skipped', 'cancelled'].includes(entry.transfer.state)) return;
    await dropParts(this.#journalPath(id), entry.targetDir);
    this.#finish(entry, 'cancelled');
  }

  /** Runs a failed or cancelled transfer again: same names, resuming from the parts left. */
  async retry(id: string): Promise<void> {
    const entry = this.#get(id);
    if (entry.run || (entry.transfer.state !== 'failed' && entry.transfer.state !== 'cancelled')) return;
    if (this.#disposed) throw failWith('internal', 'shut_down', 'The transfer manager is shut down.');
    entry.transfer.state = 'queued';
    delete entry.transfer.error;
    delete entry.transfer.finishedAt;
    this.#launch(entry);
  }

  async open(id: string): Promise<void> {
    const path = await this.#existingTarget(this.#get(id));
    if (!path) throw failWith('not_found', 'file_not_there', 'The downloaded file is not there (yet).');
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
    const removed = [...this.#entries.values()].filter(
      (e) => !e.run && ['done', 'skipped', 'failed', 'cancelled'].includes(e.transfer.state),
    );
    for (const entry of removed) {
      const id = entry.transfer.id;
      this.#entries.delete(id);
      this.#notifier.removed(id);
      if (entry.transfer.state === 'failed')
        await dropParts(this.#journalPath(id), entry.targetDir).catch(() => undefined);
      await rm(this.#journalPath(id), { force: true });
    }
    if (removed.length > 0) this.#persist();
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
      runs.push(entry.done);
    }
    await Promise.allSettled(runs);
    this.#stopTicker();
    this.#notifier.close();
    await this.#writer.settled();
    await this.#writer.save().catch((error: unknown) => {
      this.#log(`transfers: could not save ${TRANSFERS_FILE}: ${appErrorFrom(error).message}`);
    });
  }

  /** What finished single-node transfers of these nodes wrote (newest per node), for drag-out (which checks it on disk). */
  completedFilesFor(nodeIds: string[]): string[] {
    const paths: string[] = [];
    const entries = [...this.#entries.values()].reverse();
    for (const nodeId of new Set(nodeIds)) {
      const entry = entries.find(
        (e) =>
          e.nodes.length === 1 &&
          e.nodes[0]?.id === nodeId &&
          e.transfer.state === 'done' &&
          e.transfer.targetPath !== null,
      );
      const path = entry?.transfer.targetPath;
      if (path) paths.push(path);
    }
    return paths;
  }

  /** Resolves when no transfer is running, the last changes are sent and the list is saved. */
  async idle(): Promise<void> {
    for (;;) {
      const runs = [...this.#entries.values()].flatMap((e) => (e.run ? [e.done] : []));
      if (runs.length === 0) break;
      await Promise.allSettled(runs);
    }
    await this.#notifier.drained();
    await this.#writer.settled();
  }

  #get(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw failWith('not_found', 'transfer_gone', 'No such transfer.');
    return entry;
  }

  async #existingTarget(entry: Entry): Promise<string | null> {
    const path = entry.transfer.targetPath;
    return path && (await exists(path)) ? path : null;
  }

  #journalPath(id: string): string {
    return join(this.#deps.dataDir, 'transfers', `${id}.jsonl`);
  }

  #log(line: string): void {
    this.#deps.log?.(line);
  }

  #notice(code: string, message: string): void {
    this.#deps.onNotice?.({ level: 'warning', code, message });
  }

  #launch(entry: Entry, batch = this.#deps.existing?.batch()): void {
    const id = entry.transfer.id;
    const run = new TransferRun(entry, {
      queue: this.#queue,
      resolveQueue: this.#resolveQueue,
      names: this.#names,
      resolve: this.#deps.resolve,
      journalPath: this.#journalPath(id),
      writer: this.#deps.writer,
      log: this.#deps.log,
      changed: () => this.#notifier.changed(id),
      stateChanged: () => this.#stateChanged(id),
      existing: batch,
    });
    entry.run = run;
    this.#active += 1;
    this.#startTicker();
    this.#stateChanged(id);
    entry.done = superviseRun(run, entry.transfer)
      .then((outcome) => {
        if (outcome === 'queued') entry.transfer.state = 'queued';
        else this.#finish(entry, outcome);
      })
      .catch((error: unknown) => {
        this.#log(`transfers: unexpected failure: ${appErrorFrom(error).message}`);
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

  #finish(entry: Entry, state: TransferState): void {
    entry.transfer.state = state;
    entry.transfer.finishedAt = this.#now();
    Object.assign(entry.transfer, { speed: 0, etaSeconds: null, waitingUntil: null, retryingAt: null });
    this.#stateChanged(entry.transfer.id);
  }

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
    for (const entry of this.#entries.values()) {
      if (!entry.run) continue;
      const t = entry.transfer;
      const speed = entry.run.meter.sample(now);
      const eta = etaSeconds(t.bytesDone, t.bytesTotal, speed);
      if (speed === t.speed && eta === t.etaSeconds) continue;
      t.speed = speed;
      t.etaSeconds = eta;
      this.#notifier.changed(t.id);
    }
  }

  /** A state change: goes out with the next batch, and the list is saved. */
  #stateChanged(id: string): void {
    this.#notifier.changed(id);
    this.#persist();
  }

  #persist(): void {
    void this.#writer.save().catch((error: unknown) => {
      this.#log(`transfers: could not save ${TRANSFERS_FILE}: ${appErrorFrom(error).message}`);
    });
  }
}
