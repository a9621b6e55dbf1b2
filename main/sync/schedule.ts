/**
 * The sync schedule: on start and every N minutes (Settings: `syncScheduled`, `syncEveryMinutes`,
 * 5–1440), and one pair within a minute of a "changes seen" signal (`wake`: a change feed's
 * long-poll or cursor answered that the pair's remote changed). The clock and the timer are
 * injected so tests use fake ones.
 */

export const SCHEDULE_MIN_MINUTES = 5;
export const SCHEDULE_MAX_MINUTES = 1440;
/** A woken pair runs once no further signal came for this long… */
export const WAKE_QUIET_MS = 20_000;
/** …and at the latest this long after the first signal (changes arriving in a stream still run within a minute). */
export const WAKE_MAX_MS = 60_000;

export interface ScheduleTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: ScheduleTimer = {
  set: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ScheduleOptions {
  /** Minutes between runs, or null when the schedule is off. */
  every: () => number | null;
  /** Starts the runs (all pairs not paused); must not throw. */
  run: () => void;
  /** Starts one pair's run after `wake` (it decides whether the pair may run); must not throw. */
  runOne?: (key: string) => void;
  now: () => number;
  timer?: ScheduleTimer | undefined;
}

export class SyncSchedule {
  #o: ScheduleOptions;
  #timer: ScheduleTimer;
  #handle: unknown = null;
  #minutes: number | null = null;
  #nextAt: number | null = null;
  /** Pairs woken by a change signal: the timer that runs each, and when its first signal came. */
  #woken = new Map<string, { handle: unknown; firstAt: number }>();

  constructor(o: ScheduleOptions) {
    this.#o = o;
    this.#timer = o.timer ?? realTimer;
  }

  /** When the next scheduled run starts (Unix ms), or null. */
  nextRunAt(): number | null {
    return this.#nextAt;
  }

  /** At app start: with the schedule on, runs now and arms the next run. */
  start(): void {
    this.#minutes = clampMinutes(this.#o.every());
    if (this.#minutes === null) return;
    this.#o.run();
    this.#arm();
  }

  /** After a settings change: re-arms only when the interval changed or the schedule was switched. */
  update(): void {
    const minutes = clampMinutes(this.#o.every());
    if (minutes === this.#minutes) return;
    this.#minutes = minutes;
    this.#cancel();
    if (minutes !== null) this.#arm();
  }

  dispose(): void {
    this.#cancel();
    this.#minutes = null;
    for (const w of this.#woken.values()) this.#timer.clear(w.handle);
    this.#woken.clear();
  }

  /**
   * "Changes seen" for one pair (its id as `key`): with the schedule on, the pair runs once the
   * signals pause for WAKE_QUIET_MS, and never later than WAKE_MAX_MS after the first one; signals
   * in between are one run. With the schedule off it does nothing (false): runs stay manual.
   */
  wake(key: string): boolean {
    if (clampMinutes(this.#o.every()) === null || !this.#o.runOne) return false;
    const now = this.#o.now();
    const before = this.#woken.get(key);
    if (before) this.#timer.clear(before.handle);
    const firstAt = before?.firstAt ?? now;
    const delay = Math.max(0, Math.min(WAKE_QUIET_MS, firstAt + WAKE_MAX_MS - now));
    const handle = this.#timer.set(() => {
      this.#woken.delete(key);
      this.#o.runOne?.(key);
    }, delay);
    this.#woken.set(key, { handle, firstAt });
    return true;
  }

  #arm(): void {
    const ms = this.#minutes! * 60_000;
    this.#nextAt = this.#o.now() + ms;
    this.#handle = this.#timer.set(() => {
      this.#handle = null;
      this.#o.run();
      this.#arm();
    }, ms);
  }

  #cancel(): void {
    if (this.#handle !== null) this.#timer.clear(this.#handle);
    this.#handle = null;
    this.#nextAt = null;
  }
}

/** Null stays null (off); anything else is kept within 5–1440 whole minutes. */
export function clampMinutes(minutes: number | null): number | null {
  if (minutes === null || !Number.isFinite(minutes)) return null;
  return Math.min(SCHEDULE_MAX_MINUTES, Math.max(SCHEDULE_MIN_MINUTES, Math.round(minutes)));
}
