/**
 * The sync schedule: on start and every N minutes (Settings: `syncScheduled`, on by default, and
 * `syncEveryMinutes`, 5–1440, 15 by default; a change between runs is longpoll.ts's). The clock and the timer are injected so tests use fake ones.
 */

export const SCHEDULE_MIN_MINUTES = 5;
export const SCHEDULE_MAX_MINUTES = 1440;

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
  now: () => number;
  timer?: ScheduleTimer | undefined;
}

export class SyncSchedule {
  #o: ScheduleOptions;
  #timer: ScheduleTimer;
  #handle: unknown = null;
  #minutes: number | null = null;
  #nextAt: number | null = null;

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
