/**
 * The per-token request budget. Infomaniak allows 60 requests per minute per token
 * (docs/infomaniak-api.md, "Rate limit"); every request of one connection's client — JSON calls,
 * probes, downloads, retries and same-origin redirect hops — spends from one `RequestPacer`, so
 * the app itself never causes a 429 storm.
 *
 * Policy: a sliding window. At most `limit` requests are let through in any `windowMs` (default 60
 * per 61 s: one second of margin for the time a request takes to reach the server). A 429 with a
 * delay (`pause(ms)`) holds every request of the token, in every lane, until the server's time is up.
 *
 * Lanes (issue 22.2). A request waits in one of three lanes (`RequestLane`): `interactive` (what
 * the user looks at now), `download` (transfers the user started; the default) and `background`
 * (sync runs, drag staging). The rules:
 * - Order: waiters go in order of their key = arrival time + rank × `agingMs` (rank 0, 1, 2 for
 *   interactive, download, background; `agingMs` defaults to one window); equal keys go in arrival
 *   order. So a download waits behind every interactive request that arrived less than one window
 *   after it, and a background request behind both. A lower waiter thereby ages: after `agingMs` it
 *   ranks one lane higher, after rank × `agingMs` it is first in line and counts as interactive (the
 *   two rules below no longer hold it). It is never starved, also under a constant interactive load.
 * - Room: a lower-lane request goes at t only if, for every k ≥ 1, at least r(k) slots stay free
 *   at t + k slots (a slot = `windowMs / limit`), counting every request granted so far. While the
 *   user is active (an interactive request went within the last window) r(k) = ⌈k × share⌉ (`share`
 *   1/3): an interactive request finds a slot at once and a third of the coming slots stay open for
 *   more, also right after the lower lanes went in a burst. Otherwise r(k) = min(k, reserve)
 *   (`reserve` 1): the lower lanes may fill the window but its last slot only when the next slot is
 *   about to free, so a user who comes back finds a slot at once. A steady stream of one request
 *   per slot always passes (k free at t + k slots), so over time the lower lanes keep the whole
 *   budget; what the rule forbids is spending the window in one burst while the user browses.
 * - Spacing: after the lower lanes were idle they may go in a burst (credit refilled at one per slot
 *   while no lower request waits); while they keep the budget busy, one per slot. So under a
 *   saturating download the window holds one request per slot and one frees every slot.
 * Together: an interactive request waits at most for the next free slot of the window (about one
 * slot under a saturating download), not for the queue.
 *
 * Waiting is reported twice: to the waiting request (`take(…, onWait)`: the expected wait in ms
 * when it starts waiting and whenever the estimate changes in whole seconds, then 0 when it goes) and to status
 * listeners (`onWait(listener)`: the longest expected wait of all waiters, 0 when nobody waits), so
 * a listing or a transfer can say "waiting for Infomaniak's rate limit, 12 s".
 */
import { DEFAULT_LANE, type RequestLane } from './types';

export interface PacerOptions {
  /** Requests allowed per window (default 60). */
  limit?: number;
  /** Window length in ms (default 61 000: 60 s plus a second of margin). */
  windowMs?: number;
  /** How long a lower-lane waiter waits before it ranks one lane higher (default: one window). */
  agingMs?: number;
  /** While the user is active, the share of the coming slots the lower lanes leave free (default 1/3). */
  share?: number;
  /** Otherwise, slots the lower lanes leave for the first interactive requests (default 1). */
  reserve?: number;
  /** false: one FIFO lane, the window alone (the pacer before issue 22.2; the bench's reference). */
  lanes?: boolean;
}

/** Called with the expected wait in ms; 0 means "no longer waiting". */
export type WaitListener = (waitMs: number) => void;

/** What decides when the next request may go (the live one, or a copy for estimates). */
interface Budget {
  /** Times (ms) the last ≤ `limit` requests were let through, oldest first. */
  granted: number[];
  credit: number;
  lastLower: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  onWait: WaitListener | undefined;
  /** The last estimate told to `onWait` (ms), or 0 when not told yet. */
  told: number;
  cleanup: () => void;
  rank: number;
  /** Arrival time + rank × agingMs: the order of service. */
  key: number;
  /** Arrival order (ties). */
  seq: number;
}

const DEFAULT_REQUESTS_PER_WINDOW = 60;
const DEFAULT_WINDOW_MS = 61_000;
const DEFAULT_SHARE = 1 / 3;
const RANK: Record<RequestLane, number> = { interactive: 0, download: 1, background: 2 };

/** A new estimate is told only when it reads differently in whole seconds (as the UI shows it). */
function sameSeconds(a: number, b: number): boolean {
  return Math.ceil(a / 1000) === Math.ceil(b / 1000);
}

function byKey(a: Waiter, b: Waiter): number {
  return a.key - b.key || a.seq - b.seq;
}

export class RequestPacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly agingMs: number;
  /** While the user is active, the share of the coming slots the lower lanes leave free. */
  readonly share: number;
  /** Otherwise, slots the lower lanes leave for the first interactive requests. */
  readonly reserve: number;
  /** One slot: the window's time per request. */
  readonly slotMs: number;
  /** Lower-lane requests that may go without spacing after idling (the room rule bounds a burst further). */
  readonly burst: number;
  /** Times (ms) the last ≤ `limit` requests were let through, oldest first. */
  readonly #granted: number[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #listeners = new Set<WaitListener>();
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reported = 0;
  #seq = 0;
  /** Lower-lane requests that may still go without spacing (a burst); refills only while none waits. */
  #credit: number;
  #creditAt = 0;
  /** When the last lower-lane request went. */
  #lastLower = -Infinity;
  /** When the last interactive request went: the user is active for a window after it. */
  #lastInteractive = -Infinity;
  readonly #lanes: boolean;

  constructor(options: PacerOptions = {}) {
    this.limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_REQUESTS_PER_WINDOW));
    this.windowMs = Math.max(1, options.windowMs ?? DEFAULT_WINDOW_MS);
    this.agingMs = Math.max(1, options.agingMs ?? this.windowMs);
    this.share = Math.max(0, Math.min(1, options.share ?? DEFAULT_SHARE));
    this.#lanes = options.lanes !== false;
    this.slotMs = this.windowMs / this.limit;
    const reserve = options.reserve ?? 1;
    this.reserve = Math.max(0, Math.min(this.limit - 1, Math.floor(reserve)));
    this.burst = this.limit;
    this.#credit = this.burst;
  }

  /**
   * Spends one request from the budget, waiting in `lane` until the budget allows it. `onWait`
   * learns the expected wait (ms) when the request has to wait, and 0 when it goes. Rejects with the
   * signal's reason when the signal aborts while waiting (the request then spends nothing).
   */
  take(signal?: AbortSignal, onWait?: WaitListener, lane: RequestLane = DEFAULT_LANE): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    const now = this.#now();
    const rank = this.#lanes ? (RANK[lane] ?? RANK[DEFAULT_LANE]) : 0;
    this.#accrue(now);
    if (this.#waiters.length === 0 && this.#earliest(this.#state(), now, rank, Infinity) <= now) {
      this.#grant(now, rank > 0, rank === 0 && this.#lanes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const key = now + rank * this.agingMs;
      const waiter: Waiter = {
        resolve,
        reject,
        onWait,
        told: 0,
        cleanup: () => undefined,
        rank,
        key,
        seq: this.#seq++,
      };
      if (signal) {
        const onAbort = () => {
          this.#accrue(this.#now());
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          this.#tell(waiter, 0);
          reject(signal.reason as unknown);
          this.#schedule();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  /** Holds every request for `ms` from now (a 429 with Retry-After or X-RateLimit-Reset). */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    this.#schedule();
  }

  /** Listens to the longest expected wait of all waiting requests (0: nobody waits). Returns an unsubscribe. */
  onWait(listener: WaitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waiting requests (for tests and status). */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Stops the timer and rejects every waiter (the client is closing). */
  close(reason: unknown): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.cleanup();
      this.#tell(waiter, 0);
      waiter.reject(reason);
    }
    this.#report(0);
  }

  /** A monotonic clock: a wall clock set back (by hand, NTP, a test's fake Date) never stalls the pacer. */
  #now(): number {
    return performance.now();
  }

  /** The lower lanes' burst credit refills (one per slot, up to `burst`) only while none of them waits. */
  #accrue(now: number): void {
    if (!this.#waiters.some((w) => w.rank > 0)) {
      this.#credit = Math.min(this.burst, this.#credit + (now - this.#creditAt) / this.slotMs);
    }
    this.#creditAt = now;
  }

  #state(): Budget {
    return { granted: this.#granted, credit: this.#credit, lastLower: this.#lastLower };
  }

  /**
   * When a request may go, at `now` or later, given the budget `b`: the later of the pause's end and
   * the window's next free slot; for a lower lane (rank > 0) also the room rule and the spacing (see
   * the top of this file), unless it has aged to the top by then (its `key`).
   */
  #earliest(b: Budget, now: number, rank: number, key: number): number {
    const n = b.granted.length;
    const base = n - this.limit;
    const oldest = base >= 0 ? b.granted[base] : undefined;
    const window = Math.max(now, this.#pausedUntil, oldest === undefined ? now : oldest + this.windowMs);
    if (rank === 0 || key <= window) return window;
    let lower = b.credit >= 1 ? window : Math.max(window, b.lastLower + this.slotMs);
    // Room: at t + k slots, at least r(k) slots stay free; the c-th one binds first at k(c).
    const active = now - this.#lastInteractive < this.windowMs && this.share > 0;
    const most = active ? Math.ceil((this.limit - 1) * this.share) : this.reserve;
    for (let c = Math.max(1, this.limit - n); c <= most; c++) {
      const k = active ? Math.floor((c - 1) / this.share) + 1 : c;
      const at = b.granted[base + c];
      if (at !== undefined) lower = Math.max(lower, at + this.windowMs - k * this.slotMs);
    }
    return Math.min(lower, Math.max(window, key));
  }

  /** Records a request let through at `at` in `b` (a lower one, not aged: spacing and credit too). */
  #spend(b: Budget, at: number, lower: boolean): void {
    b.granted.push(at);
    if (b.granted.length > this.limit) b.granted.splice(0, b.granted.length - this.limit);
    if (!lower) return;
    if (at < b.lastLower + this.slotMs) b.credit = Math.max(0, b.credit - 1);
    b.lastLower = at;
  }

  /**
   * When each waiter (in order of service) may go: each one after those ahead of it, counting them
   * as granted.
   */
  #slots(now: number, waiters: readonly Waiter[]): number[] {
    const b: Budget = { granted: this.#granted.slice(-this.limit), credit: this.#credit, lastLower: this.#lastLower };
    const slots: number[] = [];
    let at = now;
    for (const waiter of waiters) {
      at = this.#earliest(b, at, waiter.rank, waiter.key);
      this.#spend(b, at, waiter.rank > 0 && waiter.key > at);
      slots.push(at);
    }
    return slots;
  }

  #grant(now: number, lower: boolean, interactive = false): void {
    if (interactive) this.#lastInteractive = now;
    const b = this.#state();
    this.#spend(b, now, lower);
    this.#credit = b.credit;
    this.#lastLower = b.lastLower;
  }

  /** Lets through every waiter the budget allows now, re-arms the timer, tells the rest how long. */
  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.#now();
    this.#accrue(now);
    this.#waiters.sort(byKey);
    // The first in line blocked means all are: those behind it are later in key and no lower in lane.
    while (this.#waiters.length > 0) {
      const first = this.#waiters[0] as Waiter;
      if (this.#earliest(this.#state(), now, first.rank, first.key) > now) break;
      this.#waiters.shift();
      this.#grant(now, first.rank > 0 && first.key > now, first.rank === 0 && this.#lanes);
      first.cleanup();
      this.#tell(first, 0);
      first.resolve();
    }
    if (this.#waiters.length === 0) {
      this.#report(0);
      return;
    }
    const slots = this.#slots(now, this.#waiters);
    this.#timer = setTimeout(() => this.#schedule(), Math.max(1, Math.ceil((slots[0] as number) - now)));
    let longest = 0;
    this.#waiters.forEach((waiter, index) => {
      const wait = Math.max(1, Math.ceil((slots[index] as number) - now));
      longest = Math.max(longest, wait);
      if (waiter.told === 0 || !sameSeconds(waiter.told, wait)) this.#tell(waiter, wait);
    });
    this.#report(longest);
  }

  #tell(waiter: Waiter, waitMs: number): void {
    if (waitMs === 0 && waiter.told === 0) return;
    waiter.told = waitMs;
    try {
      waiter.onWait?.(waitMs);
    } catch {
      // A listener's bug must not stall the budget.
    }
  }

  #report(waitMs: number): void {
    if (waitMs === 0 && this.#reported === 0) return;
    if (waitMs !== 0 && this.#reported !== 0 && sameSeconds(this.#reported, waitMs)) return;
    this.#reported = waitMs;
    for (const listener of this.#listeners) {
      try {
        listener(waitMs);
      } catch {
        // as above
      }
    }
  }
}
