/**
 * The app's one bandwidth limit (issue 22.4): every downloaded byte the app writes counts against
 * it, on every path — the part writer's loop (`part-download.ts`), the download thread's sink
 * (`main/infomaniak/direct-worker.mjs`, sharing the same bucket through `shared`), so transfers,
 * sync runs and drag staging share one budget. Off by default; `main/app.ts` sets it from the
 * settings (`bandwidthLimit`, `bandwidthMBps`) and changes it live.
 *
 * The bucket itself (a GCRA in a SharedArrayBuffer) is `bandwidth-bucket.mjs`, the one copy both
 * threads run.
 */
import type { Settings } from '../../shared/model/settings';
import { bucketView, rateOf, reserve, setRate } from './bandwidth-bucket.mjs';

/** A wait shorter than this is not slept (it is kept in the schedule and made up by the next one). */
const MIN_SLEEP_MS = 1;

export class Bandwidth {
  /** The bucket's memory: hand it to the download thread so it spends from the same budget. */
  readonly shared: SharedArrayBuffer;
  readonly #view: BigInt64Array;

  constructor(bytesPerSecond: number | null = null) {
    this.shared = new SharedArrayBuffer(16);
    this.#view = bucketView(this.shared);
    this.setLimit(bytesPerSecond);
  }

  /** Bytes per second, or null for no limit. Applies from the next bytes on, on every thread. */
  setLimit(bytesPerSecond: number | null): void {
    setRate(this.#view, bytesPerSecond ?? 0);
  }

  get limit(): number | null {
    const rate = rateOf(this.#view);
    return rate > 0 ? rate : null;
  }

  /**
   * Counts bytes just written; resolves when the writer may take more (at once without a limit,
   * and at once when `signal` aborts: the caller checks it).
   */
  take(bytes: number, signal?: AbortSignal | null): Promise<void> {
    const ms = reserve(this.#view, bytes);
    if (ms < MIN_SLEEP_MS || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** A body read through the limit (bytes that are passed on rather than written, e.g. a drag link's). */
  async *throttled(body: AsyncIterable<Uint8Array>, signal?: AbortSignal | null): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      yield chunk;
      await this.take(chunk.byteLength, signal);
    }
  }
}

/** A megabyte as the setting counts it (10^6 bytes, like the transfer speeds shown). */
export const MB = 1_000_000;

/** The limit the settings ask for: bytes per second, or null when it is off. */
export function limitOf(settings: Pick<Settings, 'bandwidthLimit' | 'bandwidthMBps'>): number | null {
  return settings.bandwidthLimit ? settings.bandwidthMBps * MB : null;
}

/** Keeps a limit on what the settings say: now, and at every change (live, for running downloads too). */
export function followSettings(
  bandwidth: Bandwidth,
  settings: { get(): Settings; onChange(listener: (s: Settings) => void): unknown },
): void {
  const apply = (s: Settings): void => {
    const limit = limitOf(s);
    // Other settings changing leave the running schedule alone.
    if ((limit === null ? null : Math.round(limit)) !== bandwidth.limit) bandwidth.setLimit(limit);
  };
  apply(settings.get());
  settings.onChange(apply);
}

let app: Bandwidth | null = null;

/**
 * The app's one limit (made on first use, off until `main/app.ts` sets it). Every writer uses it
 * unless a caller passes its own (tests, the bench), so no download of the app can go around it.
 */
export function appBandwidth(): Bandwidth {
  app ??= new Bandwidth();
  return app;
}
