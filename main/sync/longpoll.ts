/**
 * A kDrive pair's run within a minute of a change, where the drive's long-poll answers this token
 * (docs/infomaniak-api.md, "Change feeds"):
 *   GET https://notify.kdrive.infomaniak.com/2/drive/{d}/files/listing/longpoll?cursor=&timeout=50s
 *     → {"changes": bool}
 * with the cursor the pair's last run kept (`<pair>/remote.json`, the cursor feed). Whether a
 * personal token is accepted there is unknown: the first answer decides for the drive and is
 * remembered (FeedMemory); a refusal, a redirect or an answer of another shape turns the
 * long-poll off for that drive for a day (never required: the schedule still runs every pair). The token
 * goes there only over https, and only to the configured notify host (`endpoints.notify`).
 *
 * Watched: kDrive pairs that are not paused and not running, while automatic sync is on in the
 * running app (never for `--sync-now`). A change wakes the pair's run (at most one a minute); the
 * run's end watches again with its new cursor. One request per pair per 50 s at most, counted in
 * the token's budget like any other.
 */
import type { InfomaniakApi, ProbeResult } from '../infomaniak/types';
import type { FeedMemory } from './feed';
import { storedCursor } from './feed';
import { realTimer } from './schedule';
import type { ScheduleTimer } from './schedule';

/** Shortest time between two runs of one pair started by the long-poll. */
export const WAKE_GAP_MS = 60_000;
/** Waits after a failed long-poll: 1 minute, doubled up to 15 minutes. */
const BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 15 * 60_000;

export interface WatchedPair {
  id: string;
  driveId: number;
  /** Key of the drive in the feed memory (connection and drive id). */
  driveKey: string;
  /** The pair's state folder (its `remote.json`). */
  stateDir: string;
}

export interface ChangeWatchDeps {
  /** The pairs to watch now (kDrive, not paused, not running; none while automatic sync is off). */
  pairs: () => WatchedPair[];
  /** The client of a pair's connection. */
  client: (pairId: string, signal: AbortSignal) => Promise<InfomaniakApi>;
  memory: FeedMemory;
  /** Starts the pair's run. */
  wake: (pairId: string) => void;
  /** When the pair's last run started (unix ms), or null. */
  lastRunAt: (pairId: string) => number | null;
  now: () => number;
  timer?: ScheduleTimer | undefined;
  log: (line: string) => void;
  /** Shortest gap between two woken runs of a pair (default WAKE_GAP_MS; tests shorten it). */
  gapMs?: number;
}

/** The pairs to watch among the statuses: kDrive, not paused, not running. */
export function watchable(
  statuses: Array<{ pair: { id: string; kind: string; paused: boolean }; state: string }>,
  target: (pairId: string) => WatchedPair,
): WatchedPair[] {
  return statuses
    .filter((s) => s.pair.kind === 'kdrive' && !s.pair.paused && s.state !== 'syncing' && s.state !== 'paused')
    .map((s) => target(s.pair.id));
}

type Answer = { changes: boolean } | 'refused' | 'again';

/** What a long-poll answered: changes or not; refused (turn it off for the drive); or ask again later. */
export function readLongPoll(result: ProbeResult): Answer {
  if (result.kind === 'json' && result.status === 200) {
    const changes = (result.body as { changes?: unknown } | null)?.changes;
    return typeof changes === 'boolean' ? { changes } : 'refused';
  }
  if (result.kind === 'http' && (result.status === 429 || result.status >= 500 || result.status === 400))
    return 'again';
  return 'refused';
}

export class ChangeWatch {
  #d: ChangeWatchDeps;
  #timer: ScheduleTimer;
  #watching = new Map<string, AbortController>();

  constructor(deps: ChangeWatchDeps) {
    this.#d = deps;
    this.#timer = deps.timer ?? realTimer;
  }

  /** Watches the pairs `pairs()` names now; stops watching the others. Cheap: call it on every change. */
  update(): void {
    const wanted = new Map(this.#d.pairs().map((p) => [p.id, p]));
    for (const [id, controller] of this.#watching) {
      if (wanted.has(id)) continue;
      controller.abort();
      this.#watching.delete(id);
    }
    for (const [id, pair] of wanted) {
      if (this.#watching.has(id)) continue;
      const controller = new AbortController();
      this.#watching.set(id, controller);
      // A watch that ended (a change woke the run, no cursor, refused) stays listed until the pair
      // leaves `pairs()` (it runs, is paused or removed): it starts again after the pair's next run.
      void this.#watch(pair, controller.signal).catch((error: unknown) =>
        this.#d.log(`sync: long-poll of pair ${id} stopped: ${String(error)}`),
      );
    }
  }

  /** Pairs with a watch since their last run (tests). */
  get watching(): string[] {
    return [...this.#watching.keys()];
  }

  dispose(): void {
    for (const controller of this.#watching.values()) controller.abort();
    this.#watching.clear();
  }

  async #watch(pair: WatchedPair, signal: AbortSignal): Promise<void> {
    let backoff = BACKOFF_MS;
    while (!signal.aborted) {
      const cursor = await storedCursor(pair.stateDir);
      if (cursor === null || (await this.#d.memory.longPoll(pair.driveKey)) === false) return;
      const client = await this.#d.client(pair.id, signal);
      if (!client.endpoints.notify?.startsWith('https://')) return;
      let answer: Answer;
      try {
        answer = readLongPoll(
          await client.probe('notify', `/2/drive/${pair.driveId}/files/listing/longpoll`, {
            searchParams: { cursor, timeout: '50s' },
            timeoutMs: 65_000,
            signal,
          }),
        );
      } catch {
        answer = 'again'; // no connection, a timeout: ask again later
      }
      if (signal.aborted) return;
      if (answer === 'refused') {
        this.#d.log(
          `sync: drive ${pair.driveKey}: the long-poll does not answer this token; runs stay on the schedule`,
        );
        await this.#d.memory.setLongPoll(pair.driveKey, false);
        return;
      }
      if (answer === 'again') {
        await this.#sleep(backoff, signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      backoff = BACKOFF_MS;
      if ((await this.#d.memory.longPoll(pair.driveKey)) !== true) {
        this.#d.log(`sync: drive ${pair.driveKey}: the long-poll answers: runs follow changes`);
        await this.#d.memory.setLongPoll(pair.driveKey, true);
      }
      if (!answer.changes) continue;
      const last = this.#d.lastRunAt(pair.id);
      const wait = last === null ? 0 : last + (this.#d.gapMs ?? WAKE_GAP_MS) - this.#d.now();
      if (wait > 0) await this.#sleep(wait, signal);
      if (signal.aborted) return;
      this.#d.wake(pair.id);
      return; // the run's end watches again, with its new cursor
    }
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.#timer.set(done, ms);
      function done(): void {
        signal.removeEventListener('abort', stop);
        resolve();
      }
      const timer = this.#timer;
      function stop(): void {
        timer.clear(handle);
        resolve();
      }
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}
