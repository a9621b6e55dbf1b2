/**
 * `QuickSync`: pairs (create, list, preview, run, pause, remove, open), one run per pair at a
 * time, state and progress pushed as `sync:changed`, the last run of each pair remembered. Built
 * in main/app.ts; the Electron tray and `--sync-now` call the same methods. A new pair waits for
 * its Start (`pending`: Create → Preview → Start); after that the schedule runs it, and a change
 * the long-poll reports (longpoll.ts) runs it within a minute.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { appErrorFrom } from '../errors/app-error';
import { classifyAppError } from '../errors/classify';
import { runAsJob } from '../jobs';
import type { AppError } from '../../shared/model/errors';
import { EMPTY_COUNTS, syncRunResultSchema } from '../../shared/model/sync';
import type {
  SyncDecision,
  SyncPair,
  SyncPairStatus,
  SyncPlanSummary,
  SyncRunResult,
  SyncState,
} from '../../shared/model/sync';
import { writeFileAtomic } from '../localfs/atomic';
import { inside } from '../localfs/paths';
import { readBack } from '../localfs/read-back';
import { previewPair, runPair } from './engine';
import type { RunOptions, RunOutcome, RunSource } from './engine';
import { foldFor } from './names';
import { SyncSchedule } from './schedule';
import { trashInside } from '../localfs/trash';
import { PairStore } from './pairs';
import type { CreatePairInput, Runtime, SyncDeps } from './service-types';
import { FeedMemory, KdriveFeedSource, kdriveTarget } from './feed';
import { endedRun, forgetHeld, question, readHeld, writeHeld } from './guard';
import { newPair } from './create-pair';
import { ChangeWatch, watchable } from './longpoll';

export type { CreatePairInput, SyncDeps } from './service-types';

export class QuickSync {
  #deps: SyncDeps;
  #store: PairStore;
  #runtime = new Map<string, Runtime>();
  #emitTimer: NodeJS.Timeout | null = null;
  #fold: (s: string) => string;
  #feeds: FeedMemory;
  #schedule: SyncSchedule;
  /** Wakes a pair's run on a change where the long-poll answers (longpoll.ts); on with the schedule. */
  #watch: ChangeWatch;
  #watchOn = false;

  constructor(deps: SyncDeps) {
    this.#deps = deps;
    this.#schedule = new SyncSchedule({
      every: () => (deps.settings().syncScheduled ? deps.settings().syncEveryMinutes : null),
      run: () => void this.start(),
      now: () => this.#now(),
      timer: deps.timer,
    });
    this.#feeds = new FeedMemory(deps.dataDir, deps.log);
    this.#store = new PairStore(deps.dataDir, deps.log);
    this.#fold = foldFor(deps.platform);
    const target = (id: string) => ({ id, ...kdriveTarget(this.#store.get(id)), stateDir: this.#stateDir(id) });
    this.#watch = new ChangeWatch({
      pairs: () => (this.#watchOn && deps.settings().syncScheduled ? watchable(this.list(), target) : []),
      client: async (id, signal) =>
        (await deps.sources.subtree(this.#store.get(id).nodeId, { layout: 'tree', signal, log: deps.log })).client,
      ...{ memory: this.#feeds, wake: (id: string) => this.#runWoken(id), timer: deps.timer, log: deps.log },
      ...{ lastRunAt: (id: string) => this.#rt(id).lastRun?.startedAt ?? null, now: () => this.#now() },
    });
  }

  async init(): Promise<void> {
    await mkdir(this.#deps.dataDir, { recursive: true });
    const aside = await this.#store.load();
    if (aside) {
      const message = `The list of synced folders could not be read; it was set aside as ${aside}. Set up the pairs again.`;
      this.#deps.notice?.({ level: 'warning', code: 'sync_pairs_corrupt', message });
    }
    for (const pair of this.#store.list()) {
      const rt = this.#rt(pair.id);
      rt.lastRun = await this.#readLastRun(pair.id);
      rt.held = await readHeld(this.#stateDir(pair.id), this.#deps.log);
      rt.state = pair.paused ? 'paused' : rt.held && !rt.held.confirmed ? 'attention' : 'idle';
    }
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  #rt(id: string): Runtime {
    let rt = this.#runtime.get(id);
    if (!rt) {
      rt = { state: 'idle', progress: null, lastRun: null, error: null, controller: null, running: null, held: null };
      this.#runtime.set(id, rt);
    }
    return rt;
  }

  #stateDir(id: string): string {
    return join(this.#deps.dataDir, id);
  }

  list(): SyncPairStatus[] {
    return this.#store.list().map((pair) => {
      const rt = this.#rt(pair.id);
      const nextRunAt = pair.paused || pair.pending ? null : this.#schedule.nextRunAt();
      const held = rt.held && !rt.held.confirmed ? question(rt.held) : null;
      return { pair, state: rt.state, progress: rt.progress, lastRun: rt.lastRun, nextRunAt, error: rt.error, held };
    });
  }

  /** The shells call this once at start (not for `--sync-now`): with the schedule on, runs now and arms it. */
  startSchedule(): void {
    this.#watchOn = true;
    this.#schedule.start();
    this.#emit(true);
  }

  /** After a settings change: the schedule follows `syncScheduled` / `syncEveryMinutes`. */
  settingsChanged(): void {
    const before = this.#schedule.nextRunAt();
    this.#schedule.update();
    if (this.#schedule.nextRunAt() !== before) this.#emit(true);
  }

  #emit(now = false): void {
    this.#watch.update();
    if (now) {
      if (this.#emitTimer) clearTimeout(this.#emitTimer);
      this.#emitTimer = null;
      this.#deps.onChange(this.list());
      return;
    }
    this.#emitTimer ??= setTimeout(() => {
      this.#emitTimer = null;
      this.#deps.onChange(this.list());
    }, 200);
  }

  async create(input: CreatePairInput): Promise<SyncPairStatus> {
    const pairs = this.#store.list();
    const pair = await newPair(input, {
      pairs,
      connectionLabel: (id) => this.#deps.connections.get(id).label,
      lookupNode: this.#deps.lookupNode,
      downloadsDir: this.#deps.downloadsDir(),
      chooseDirectory: this.#deps.chooseDirectory,
      fold: this.#fold,
      now: this.#now(),
    });
    await this.#store.save([...pairs, pair]);
    this.#emit(true);
    return this.list().find((s) => s.pair.id === pair.id)!;
  }

  async remove(id: string): Promise<void> {
    const pair = this.#store.get(id);
    const rt = this.#rt(id);
    rt.controller?.abort();
    await rt.running?.catch(() => undefined);
    await this.#store.save(this.#store.list().filter((p) => p.id !== pair.id));
    await rm(this.#stateDir(id), { recursive: true, force: true });
    this.#runtime.delete(id);
    this.#emit(true);
  }

  async pause(id: string, paused: boolean): Promise<void> {
    const pair = this.#store.get(id);
    await this.#store.save(this.#store.list().map((p) => (p.id === id ? { ...pair, paused } : p)));
    const rt = this.#rt(id);
    if (paused) rt.controller?.abort();
    if (!rt.running) rt.state = paused ? 'paused' : 'idle';
    this.#emit(true);
  }

  /**
   * The answer to a held run (guard.ts). `confirm`: the next run, started now, acts on what was
   * held (only what is still gone remotely and unchanged locally). `keep`: the pair is paused and
   * the files stay; for held deletions the manifest forgets them (they are the user's own now).
   */
  async decide(id: string, choice: SyncDecision): Promise<void> {
    this.#store.get(id);
    const rt = this.#rt(id);
    await rt.running?.catch(() => undefined);
    const held = rt.held;
    if (!held || held.confirmed) return;
    if (choice === 'confirm') {
      rt.held = { ...held, confirmed: true };
      await writeHeld(this.#stateDir(id), rt.held);
      rt.state = 'idle';
      this.start([id]);
      return;
    }
    if (held.reason === 'mass') await forgetHeld(this.#stateDir(id), held.ids);
    rt.held = null;
    await writeHeld(this.#stateDir(id), null);
    await this.pause(id, true);
  }

  async openFolder(id: string): Promise<void> {
    await this.#deps.openPath(this.#store.get(id).localPath);
  }

  async preview(id: string): Promise<SyncPlanSummary> {
    const pair = this.#store.get(id);
    const controller = new AbortController();
    return previewPair(await this.#options(pair, controller.signal), id);
  }

  /**
   * Starts runs and resolves when they end: the given pairs (the user's Start or Sync now, which
   * also ends "not started yet"), or all pairs neither paused nor waiting for their Start.
   */
  async runNow(ids?: string[]): Promise<SyncRunResult[]> {
    const pairs = ids ? await this.#store.markStarted(ids) : this.#store.list().filter((p) => !p.paused && !p.pending);
    const results: SyncRunResult[] = [];
    for (const pair of pairs) results.push(await this.#run(pair));
    return results;
  }

  /** Like runNow, without waiting (the IPC channel). */
  start(ids?: string[]): string[] {
    const pairs = ids
      ? ids.map((id) => this.#store.get(id))
      : this.#store.list().filter((p) => !p.paused && !p.pending);
    void this.runNow(pairs.map((p) => p.id)).catch((e: unknown) => this.#deps.log(`sync: ${String(e)}`));
    return pairs.map((p) => p.id);
  }

  /**
   * The run of a pair the long-poll woke, if it may run: not removed, paused or waiting for its
   * Start (a woken run never starts a pair the user has not started).
   */
  #runWoken(id: string): void {
    const pair = this.#store.list().find((p) => p.id === id);
    if (!pair || pair.paused || pair.pending) return;
    void this.#run(pair).catch((e: unknown) => this.#deps.log(`sync: ${String(e)}`));
  }

  #run(pair: SyncPair): Promise<SyncRunResult> {
    const rt = this.#rt(pair.id);
    if (rt.running) return rt.running;
    const controller = new AbortController();
    rt.controller = controller;
    rt.fault = null;
    const fail = (error: Error) => {
      rt.fault = error;
      controller.abort();
    };
    const job = runAsJob({ label: `sync pair ${pair.id}`, fail }, () => this.#execute(pair, rt, controller));
    const run: Promise<SyncRunResult> = job.catch((error: unknown) => {
      // Only a bug gets here (#execute reports every failure in its result): never leave the pair running.
      if (rt.running === run) Object.assign(rt, { state: 'error', progress: null, running: null, controller: null });
      throw error;
    });
    rt.running = run;
    return run;
  }

  async #execute(pair: SyncPair, rt: Runtime, controller: AbortController): Promise<SyncRunResult> {
    const startedAt = this.#now();
    rt.state = 'syncing';
    rt.error = null;
    rt.progress = { phase: 'listing', filesDone: 0, filesTotal: 0, bytesDone: 0 };
    this.#emit(true);
    let result: SyncRunResult;
    let state: SyncState;
    let failure: AppError | null;
    const requests = { count: 0 };
    try {
      const options = await this.#options(pair, controller.signal, requests);
      const outcome = await runPair(options);
      if (rt.fault) throw rt.fault;
      ({ result, state, failure } = await this.#ended(pair, rt, outcome, startedAt, requests.count));
    } catch (error) {
      const appError = appErrorFrom(rt.fault ?? error);
      result = {
        startedAt,
        finishedAt: this.#now(),
        ok: false,
        counts: { ...EMPTY_COUNTS },
        via: 'listing',
        requests: requests.count,
        error: appError,
        ...(classifyAppError(appError).attention ? { attention: true } : {}),
      };
      const paused = this.#store.list().find((p) => p.id === pair.id)?.paused;
      state =
        paused || appError.code === 'disk_full'
          ? 'paused'
          : classifyAppError(appError).attention
            ? 'attention'
            : 'error';
      failure = appError.code === 'cancelled' && paused ? null : appError;
      this.#deps.log(`sync: pair ${pair.id} failed: ${appError.code}: ${appError.message}`);
    }
    if (this.#store.list().some((p) => p.id === pair.id)) {
      await writeFileAtomic(inside(this.#stateDir(pair.id), 'last-run.json'), JSON.stringify(result)).catch(
        () => undefined,
      );
    }
    // The run's end is shown only when it is over (last run written, a new run may start): a pair
    // seen as `error` or `idle` while `running` was still set made a Sync now (or the schedule's
    // tick) join the ending run instead of starting one.
    Object.assign(rt, { state, error: failure, progress: null, lastRun: result, running: null, controller: null });
    this.#emit(true);
    return result;
  }

  /** A run that ended: its held question kept (or cleared), its result and the pair's state. */
  async #ended(pair: SyncPair, rt: Runtime, outcome: RunOutcome, startedAt: number, requests: number) {
    if (this.#store.list().some((p) => p.id === pair.id)) {
      rt.held = outcome.held;
      await writeHeld(this.#stateDir(pair.id), outcome.held);
    }
    const paused = this.#store.list().find((p) => p.id === pair.id)?.paused ?? false;
    return endedRun(outcome, { startedAt, finishedAt: this.#now(), requests, paused });
  }

  /** The pair's last run from disk; a file that is not one (damaged, another version's shape) counts as none, logged. */
  async #readLastRun(id: string): Promise<SyncRunResult | null> {
    return readBack(join(this.#stateDir(id), 'last-run.json'), syncRunResultSchema, this.#deps.log);
  }

  /** The pair's node as its adapter lists it; a kDrive pair's behind its change feed. Every request counts in `requests`. */
  async #source(pair: SyncPair, signal: AbortSignal, requests?: { count: number }): Promise<RunSource> {
    const { subtree, client } = await this.#deps.sources.subtree(pair.nodeId, {
      layout: pair.layout,
      signal,
      log: this.#deps.log,
      ...(requests ? { observers: { onRequest: () => requests.count++ } } : {}),
    });
    if (pair.kind === 'kdrive') {
      const { driveId, folderId, driveKey } = kdriveTarget(pair);
      const feed = { memory: this.#feeds, driveKey, stateDir: this.#stateDir(pair.id), now: () => this.#now() };
      return new KdriveFeedSource({ subtree, client, target: { driveId, folderId }, ...feed, log: this.#deps.log });
    }
    return subtree;
  }

  async #options(pair: SyncPair, signal: AbortSignal, requests?: { count: number }): Promise<RunOptions> {
    const rt = this.#rt(pair.id);
    const root = pair.localPath;
    return {
      root,
      stateDir: this.#stateDir(pair.id),
      source: await this.#source(pair, signal, requests),
      fold: this.#fold,
      ignoreLocalDeletes: pair.ignoreLocalDeletes,
      guard: {
        limits: {
          maxFiles: this.#deps.settings().syncMaxDeleteFiles,
          maxPercent: this.#deps.settings().syncMaxDeletePercent,
        },
        confirmed: rt.held?.confirmed ? rt.held : null,
      },
      trash: this.#deps.trashItem ?? ((path) => trashInside(root, path)),
      concurrency: this.#deps.concurrency ?? 6,
      signal,
      now: () => this.#now(),
      onPhase: (phase) => {
        if (rt.progress) rt.progress = { ...rt.progress, phase };
        this.#emit();
      },
      onProgress: (p) => {
        rt.progress = { phase: 'applying', ...p };
        this.#emit();
      },
      log: this.#deps.log,
    };
  }

  dispose(): void {
    this.#schedule.dispose();
    this.#watch.dispose();
    for (const rt of this.#runtime.values()) rt.controller?.abort();
    if (this.#emitTimer) clearTimeout(this.#emitTimer);
  }
}
