// @ts-check
/**
 * The arithmetic of the app's one bandwidth limit, shared by every thread that writes downloaded
 * bytes: the part writer on the app's thread (`throttle.ts`) and the download thread
 * (`main/infomaniak/direct-worker.mjs`). Plain JavaScript with no imports, so the download thread
 * loads it as it is.
 *
 * The bucket is a GCRA (generic cell rate algorithm, the "virtual scheduling" form of a token
 * bucket) kept in a SharedArrayBuffer and changed only with Atomics, so both threads spend from the
 * same budget without a lock:
 *
 *   [0] the rate in bytes per second (0: no limit)
 *   [1] TAT, the theoretical arrival time (µs): when every byte counted so far has "gone out" at
 *       the rate
 *
 * Counting `n` bytes moves TAT on by n / rate from max(TAT, now − burst) and tells the writer how
 * long to wait before it takes more bytes: until the new TAT. After a pause the writer may run
 * ahead by at most `BURST_US` worth of bytes; in a steady flow the rate is exact.
 */

/** Slots in the shared BigInt64Array. */
export const BUCKET_SLOTS = 2;
const RATE = 0;
const TAT = 1;
/**
 * How far ahead a writer may run after a pause (µs): 100 ms worth of bytes. It is also how much of
 * a stall (a slow disk write, a busy thread) the bucket makes up for afterwards; the bench's busy
 * 2-core machine lost up to 15 % on the download thread with 50 ms.
 */
export const BURST_US = 100_000n;

/** Microseconds on a clock every thread of the process shares (the time origin differs per thread). */
export function nowMicros() {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

/** @param {SharedArrayBuffer} shared */
export function bucketView(shared) {
  return new BigInt64Array(shared, 0, BUCKET_SLOTS);
}

/**
 * Sets the rate (bytes per second; 0, negative or not finite: no limit) and starts a fresh
 * schedule, so a new rate applies from the next bytes on.
 * @param {BigInt64Array} view @param {number} bytesPerSecond @param {bigint} [now]
 */
export function setRate(view, bytesPerSecond, now = nowMicros()) {
  const rate = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? BigInt(Math.round(bytesPerSecond)) : 0n;
  Atomics.store(view, TAT, now);
  Atomics.store(view, RATE, rate);
}

/** The rate in bytes per second, 0 when there is no limit. @param {BigInt64Array} view */
export function rateOf(view) {
  return Number(Atomics.load(view, RATE));
}

/**
 * Counts `bytes` just written (or about to be) and returns how many milliseconds the writer should
 * wait before it takes more (0: go on at once).
 * @param {BigInt64Array} view @param {number} bytes @param {bigint} [now]
 */
export function reserve(view, bytes, now = nowMicros()) {
  const rate = Atomics.load(view, RATE);
  if (rate <= 0n || bytes <= 0) return 0;
  const cost = (BigInt(bytes) * 1_000_000n) / rate;
  const floor = now - BURST_US;
  for (;;) {
    const tat = Atomics.load(view, TAT);
    const next = (tat > floor ? tat : floor) + cost;
    if (Atomics.compareExchange(view, TAT, tat, next) === tat) {
      const wait = next - now;
      return wait > 0n ? Number(wait) / 1000 : 0;
    }
  }
}
