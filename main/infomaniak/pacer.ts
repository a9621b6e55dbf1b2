/**
 * The per-token request budget. Infomaniak allows 60 requests per minute per token
 * (docs/infomaniak-api.md, "Rate limit"); every request of one connection's client — JSON calls,
 * probes, downloads, retries and same-origin redirect hops — spends from one `RequestPacer`, so
 * the app itself never causes a 429 storm.
 *
 * Policy: a sliding window. At most `limit` requests are let through in any `windowMs` (default 60
 * per 61 s: one second of margin for the time a request takes to reach the server). Requests that
 * find the budget spent wait in arrival order (FIFO). A 429 with a delay (`pause(ms)`) holds every
 * request of the token until the server's time is up.
 *
 * Waiting is reported twice: to the waiting request (`take(…, onWait)`: the expected wait in ms
 * when it starts waiting and whenever the estimate changes in whole seconds, then 0 when it goes) and to status
 * listeners (`onWait(listener)`: the longest expected wait of all waiters, 0 when nobody waits), so
 * a listing or a transfer can say "waiting for Infomaniak's rate limit, 12 s".
 */

export interface PacerOptions {
  /** Requests allowed per window (default 60). */
  limit?: number;
  /** Window length in ms (default 61 000: 60 s plus a second of margin). */
  windowMs?: number;
}

/** Called with the expected wait in ms; 0 means "no longer waiting". */
export type WaitListener = (waitMs: number) => void;

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  onWait: WaitListener | undefined;
  /** The last estimate told to `onWait` (ms), or 0 when not told yet. */
  told: number;
  cleanup: () => void;
}

const DEFAULT_REQUESTS_PER_WINDOW = 60;
const DEFAULT_WINDOW_MS = 61_000;
/** A new estimate is told only when it reads differently in whole seconds (as the UI shows it). */
function sameSeconds(a: number, b: number): boolean {
  return Math.ceil(a / 1000) === Math.ceil(b / 1000);
}

export class RequestPacer {
  readonly limit: number;
  readonly windowMs: number;
  /** Times (ms) the last ≤ `limit` requests were let through, oldest first. */
  readonly #granted: number[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #listeners = new Set<WaitListener>();
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reported = 0;

  constructor(options: PacerOptions = {}) {
    this.limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_REQUESTS_PER_WINDOW));
    this.windowMs = Math.max(1, options.windowMs ?? DEFAULT_WINDOW_MS);
  }

  /**
   * Spends one request from the budget, waiting until the budget allows it. `onWait` learns the
   * expected wait (ms) when the request has to wait, and 0 when it goes. Rejects with the signal's
   * reason when the signal aborts while waiting (the request then spends nothing).
   */
  take(signal?: AbortSignal, onWait?: WaitListener): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    const now = this.#now();
    if (this.#waiters.length === 0 && this.#nextSlot(now) <= now) {
      this.#grant(now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, onWait, told: 0, cleanup: () => undefined };
      if (signal) {
        const onAbort = () => {
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

  #now(): number {
    return Date.now();
  }

  /** When the next request may go: `#slots(now, 1)[0]` without copying the window (one per request). */
  #nextSlot(now: number): number {
    const oldest = this.#granted.length >= this.limit ? this.#granted[this.#granted.length - this.limit] : undefined;
    return Math.max(now, this.#pausedUntil, oldest === undefined ? now : oldest + this.windowMs);
  }

  /**
   * When each of the next `count` requests may go (ms, ascending): the later of the pause's end and
   * the moment the window holds fewer than `limit` requests, counting those ahead as granted.
   */
  #slots(now: number, count: number): number[] {
    const pending = [...this.#granted];
    const slots: number[] = [];
    let at = Math.max(now, this.#pausedUntil);
    for (let i = 0; i < count; i++) {
      const oldest = pending.length >= this.limit ? pending[pending.length - this.limit] : undefined;
      if (oldest !== undefined) at = Math.max(at, oldest + this.windowMs);
      pending.push(at);
      slots.push(at);
    }
    return slots;
  }

  #grant(now: number): void {
    this.#granted.push(now);
    if (this.#granted.length > this.limit) this.#granted.splice(0, this.#granted.length - this.limit);
  }

  /** Lets through every waiter the budget allows now, re-arms the timer, tells the rest how long. */
  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.#now();
    while (this.#waiters.length > 0 && this.#nextSlot(now) <= now) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#grant(now);
      waiter.cleanup();
      this.#tell(waiter, 0);
      waiter.resolve();
    }
    if (this.#waiters.length === 0) {
      this.#report(0);
      return;
    }
    const slots = this.#slots(now, this.#waiters.length);
    this.#timer = setTimeout(() => this.#schedule(), Math.max(1, (slots[0] as number) - now));
    let longest = 0;
    this.#waiters.forEach((waiter, index) => {
      const wait = Math.max(1, (slots[index] as number) - now);
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
