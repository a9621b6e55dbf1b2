/**
 * Smoothed transfer speed: an exponentially weighted moving average of the byte rate between
 * samples, with a time constant (not a sample count) so it behaves the same whatever the tick rate.
 */
export class SpeedMeter {
  readonly #tauMs: number;
  #pending = 0;
  #last: number | null = null;
  #speed = 0;
  #primed = false;

  constructor(tauMs = 3000) {
    this.#tauMs = tauMs;
  }

  /** Counts bytes received since the last sample. */
  add(bytes: number): void {
    if (bytes > 0) this.#pending += bytes;
  }

  /** Takes a sample at `now` (ms) and returns the smoothed speed in bytes per second. */
  sample(now: number): number {
    if (this.#last === null) {
      this.#last = now;
      this.#pending = 0;
      return this.#speed;
    }
    const dt = now - this.#last;
    if (dt <= 0) return this.#speed;
    const rate = (this.#pending * 1000) / dt;
    if (!this.#primed) {
      this.#speed = rate;
      this.#primed = rate > 0;
    } else {
      const alpha = 1 - Math.exp(-dt / this.#tauMs);
      this.#speed += alpha * (rate - this.#speed);
    }
    this.#pending = 0;
    this.#last = now;
    return this.#speed;
  }

  get speed(): number {
    return this.#speed;
  }

  reset(): void {
    this.#pending = 0;
    this.#last = null;
    this.#speed = 0;
    this.#primed = false;
  }
}

/** Seconds left at `speed`, or null when it cannot be told. */
export function etaSeconds(bytesDone: number, bytesTotal: number | null, speed: number): number | null {
  if (bytesTotal === null || speed <= 0) return null;
  return Math.max(0, Math.ceil((bytesTotal - bytesDone) / speed));
}
