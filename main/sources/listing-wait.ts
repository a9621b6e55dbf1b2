/**
 * "Waiting for Infomaniak's rate limit, 12 s" on a listing's loading row (issue 9.8): the listing's
 * own requests learn from the token's pacer how long they wait (`onWait`, given to every request of
 * the listing by main/infomaniak/observe.ts), and the countdown tells the renderer the seconds left
 * once a second, then 0 when the request goes.
 */
/** Seconds left of a wait, told once a second while it lasts and 0 when it ends. */
export class WaitCountdown {
  #until = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #tell: (seconds: number) => void;
  #now: () => number;

  constructor(tell: (seconds: number) => void, now: () => number = Date.now) {
    this.#tell = tell;
    this.#now = now;
  }

  /** The pacer's estimate in ms (0: the request goes). */
  update(waitMs: number): void {
    if (waitMs <= 0) {
      if (this.#until !== 0) this.#tell(0);
      this.stop();
      return;
    }
    this.#until = this.#now() + waitMs;
    this.#tick();
    this.#timer ??= setInterval(() => this.#tick(), 1000);
  }

  #tick(): void {
    const seconds = Math.max(1, Math.ceil((this.#until - this.#now()) / 1000));
    this.#tell(seconds);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#until = 0;
  }
}
