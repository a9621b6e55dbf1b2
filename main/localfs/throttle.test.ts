/**
 * The bandwidth limit's bucket (bandwidth-bucket.mjs) on a clock the test sets, and the Bandwidth
 * around it: off by default, the rate held in a steady flow and shared by several writers, a short
 * burst after a pause only, a new rate from the next bytes on, and a worker thread spending from
 * the same memory.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { BURST_US, bucketView, reserve, setRate } from './bandwidth-bucket.mjs';
import type { Settings } from '../../shared/model/settings';
import { Bandwidth, MB, appBandwidth, followSettings, limitOf } from './throttle';

const S = 1_000_000n; // µs

function bucket(rate: number, now = 0n) {
  const view = bucketView(new SharedArrayBuffer(16));
  setRate(view, rate, now);
  return view;
}

/** A writer that takes `chunk` bytes, waits as told, and goes on until `until` (µs); returns bytes written. */
function flow(view: BigInt64Array, chunk: number, from: bigint, until: bigint): number {
  let now = from;
  let bytes = 0;
  while (now < until) {
    const ms = reserve(view, chunk, now);
    bytes += chunk;
    now += BigInt(Math.round(ms * 1000));
  }
  return bytes;
}

describe('the bucket', () => {
  it('is off by default: the settings, a new Bandwidth and the app’s one limit say no limit, and nothing waits', async () => {
    expect(DEFAULT_SETTINGS.bandwidthLimit).toBe(false);
    expect(limitOf(DEFAULT_SETTINGS)).toBeNull();
    expect(limitOf({ bandwidthLimit: true, bandwidthMBps: 2.5 })).toBe(2.5 * MB);
    expect(new Bandwidth().limit).toBeNull();
    expect(appBandwidth().limit).toBeNull();
    const view = bucket(0);
    for (let i = 0; i < 1000; i += 1) expect(reserve(view, 1 << 20, 0n)).toBe(0);
  });

  it('holds the rate in a steady flow, whatever the chunk size', () => {
    for (const chunk of [16_384, 65_536, 1 << 20]) {
      const view = bucket(20 * MB);
      const bytes = flow(view, chunk, 0n, 10n * S);
      // 10 s at 20 MB/s, plus at most the burst and one chunk.
      expect(bytes).toBeGreaterThanOrEqual(200 * MB - chunk);
      expect(bytes).toBeLessThanOrEqual(200 * MB + Number((BURST_US * 20n * BigInt(MB)) / S) + chunk);
    }
  });

  it('is one budget for several writers: three flows together get the rate, not three times it', () => {
    const view = bucket(9 * MB);
    const clocks = [0n, 0n, 0n];
    const bytes = [0, 0, 0];
    // Always the writer whose turn comes first (as the event loop would run them).
    for (;;) {
      const i = clocks.indexOf(clocks.reduce((a, b) => (a < b ? a : b)));
      if (clocks[i]! >= 10n * S) break;
      const ms = reserve(view, 65_536, clocks[i]);
      bytes[i]! += 65_536;
      clocks[i]! += BigInt(Math.round(ms * 1000));
    }
    const total = bytes.reduce((a, b) => a + b, 0);
    expect(total / 10 / (9 * MB)).toBeGreaterThan(0.97);
    expect(total / 10 / (9 * MB)).toBeLessThan(1.03);
    for (const b of bytes) expect(b / total).toBeGreaterThan(0.3); // and fairly
  });

  it('after a pause, lets a writer run ahead by the burst only (no credit saved up for minutes)', () => {
    const view = bucket(10 * MB);
    flow(view, 65_536, 0n, 1n * S);
    // An hour idle, then a burst: what goes without waiting is the burst's worth, not an hour's.
    const at = 3600n * S;
    let free = 0;
    while (reserve(view, 10_000, at) === 0) free += 10_000;
    expect(free).toBeLessThanOrEqual(Number((BURST_US * 10n * BigInt(MB)) / S));
    expect(free).toBeGreaterThan(0);
  });

  it('applies a new rate from the next bytes on (a live change), and turning it off stops every wait', () => {
    const view = bucket(1 * MB);
    expect(flow(view, 65_536, 0n, 2n * S) / 2).toBeLessThan(1.1 * MB);
    setRate(view, 20 * MB, 2n * S);
    const faster = flow(view, 65_536, 2n * S, 4n * S) / 2;
    expect(faster).toBeGreaterThan(19 * MB);
    expect(faster).toBeLessThan(21 * MB);
    setRate(view, 0, 4n * S);
    expect(reserve(view, 1 << 30, 4n * S)).toBe(0);
  });

  it('a worker thread spends from the same memory: its bytes make the app’s writer wait', async () => {
    const bandwidth = new Bandwidth(4 * MB);
    const url = new URL('./bandwidth-bucket.mjs', import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(url)}).then(({ bucketView, reserve }) => {
         const { parentPort, workerData } = require('node:worker_threads');
         parentPort.postMessage(reserve(bucketView(workerData), 2_000_000));
       });`,
      { eval: true, workerData: bandwidth.shared },
    );
    const waited = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(waited).toBeGreaterThan(350); // 2 MB at 4 MB/s (500 ms), less the burst (100 ms)
    const started = performance.now();
    await bandwidth.take(1, null);
    // The worker's 2 MB are ahead of this byte: it waits for them.
    expect(performance.now() - started).toBeGreaterThan(300);
  });

  it('take returns at once when the signal aborts', async () => {
    const bandwidth = new Bandwidth(1000);
    const abort = new AbortController();
    const started = performance.now();
    const taken = bandwidth.take(1_000_000, abort.signal);
    abort.abort();
    await taken;
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('follows the settings live: on with its MB/s, a new value at once, off again', () => {
    let current: Settings = { ...DEFAULT_SETTINGS };
    const listeners: Array<(s: Settings) => void> = [];
    const store = {
      get: () => current,
      onChange: (l: (s: Settings) => void) => listeners.push(l),
      set(patch: Partial<Settings>) {
        current = { ...current, ...patch };
        for (const l of listeners) l(current);
      },
    };
    const bandwidth = new Bandwidth(123);
    followSettings(bandwidth, store);
    expect(bandwidth.limit).toBeNull();
    store.set({ bandwidthLimit: true, bandwidthMBps: 20 });
    expect(bandwidth.limit).toBe(20 * MB);
    store.set({ bandwidthMBps: 0.5 });
    expect(bandwidth.limit).toBe(500_000);
    store.set({ bandwidthLimit: false });
    expect(bandwidth.limit).toBeNull();
  });
});
