import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestPacer } from './pacer';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `n` takes at once; returns the fake time at which each one was let through. */
function burst(pacer: RequestPacer, n: number, onWait?: (index: number, ms: number) => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    void pacer.take(undefined, onWait ? (ms) => onWait(i, ms) : undefined).then(() => times.push(Date.now()));
  }
  return times;
}

/** The most requests let through in any window of `windowMs`. */
function peakInWindow(times: number[], windowMs: number): number {
  let peak = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] as number;
    peak = Math.max(peak, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return peak;
}

describe('RequestPacer', () => {
  it('holds the budget under a burst: never more than the limit in any window', async () => {
    const pacer = new RequestPacer({ limit: 5, windowMs: 1000 });
    const times = burst(pacer, 23);
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toHaveLength(5);
    expect(pacer.waiting).toBe(18);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(times).toHaveLength(23);
    expect(peakInWindow(times, 1000)).toBe(5);
    // 23 requests at 5 per second: the last one goes in the fifth window, not later.
    expect(times[22]).toBe(4000);
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.slice(5, 10)).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('defaults to 60 requests per 61 s', async () => {
    const pacer = new RequestPacer();
    const times = burst(pacer, 61);
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toHaveLength(60);
    await vi.advanceTimersByTimeAsync(60_999);
    expect(times).toHaveLength(60);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toHaveLength(61);
  });

  it('tells each waiter how long it will wait, then 0 when it goes', async () => {
    const pacer = new RequestPacer({ limit: 2, windowMs: 10_000 });
    const told: Array<[number, number]> = [];
    burst(pacer, 5, (index, ms) => told.push([index, ms]));
    await vi.advanceTimersByTimeAsync(0);
    // The first two go at once (nothing told); the third waits one window, the fifth two.
    expect(told).toEqual([
      [2, 10_000],
      [3, 10_000],
      [4, 20_000],
    ]);
    told.length = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    // Two went; the last one is told its shorter estimate.
    expect(told).toEqual([
      [2, 0],
      [3, 0],
      [4, 10_000],
    ]);
    told.length = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(told).toEqual([[4, 0]]);
  });

  it('reports the longest wait to status listeners, and 0 when nobody waits', async () => {
    const pacer = new RequestPacer({ limit: 1, windowMs: 5000 });
    const status: number[] = [];
    const unsubscribe = pacer.onWait((ms) => status.push(ms));
    burst(pacer, 3);
    await vi.advanceTimersByTimeAsync(0);
    // The second request waits one window, the third two: the longest grows as they arrive.
    expect(status).toEqual([5000, 10_000]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(status).toEqual([5000, 10_000, 5000]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(status).toEqual([5000, 10_000, 5000, 0]);
    unsubscribe();
    burst(pacer, 2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(status).toEqual([5000, 10_000, 5000, 0]);
  });

  it('a pause (429 with a delay) holds everyone on the token, and waiters learn the new wait', async () => {
    const pacer = new RequestPacer({ limit: 100, windowMs: 1000 });
    const told: Array<[number, number]> = [];
    pacer.pause(12_000);
    const times = burst(pacer, 3, (index, ms) => told.push([index, ms]));
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toEqual([]);
    expect(told).toEqual([
      [0, 12_000],
      [1, 12_000],
      [2, 12_000],
    ]);
    await vi.advanceTimersByTimeAsync(11_999);
    expect(times).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([12_000, 12_000, 12_000]);

    // A pause while requests already wait: they are told the longer wait.
    const slow = new RequestPacer({ limit: 1, windowMs: 1000 });
    const later: number[] = [];
    burst(slow, 2, (index, ms) => index === 1 && later.push(ms));
    await vi.advanceTimersByTimeAsync(0);
    expect(later).toEqual([1000]);
    slow.pause(30_000);
    expect(later).toEqual([1000, 30_000]);
  });

  it('a waiter whose signal aborts leaves the queue at once and spends nothing', async () => {
    const pacer = new RequestPacer({ limit: 1, windowMs: 1000 });
    await pacer.take();
    const controller = new AbortController();
    const aborted = pacer.take(controller.signal);
    const next = burst(pacer, 1);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(pacer.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    // The aborted take did not use the slot: the next waiter got it.
    expect(next).toEqual([1000]);
    await expect(pacer.take(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('close() rejects every waiter', async () => {
    const pacer = new RequestPacer({ limit: 1, windowMs: 1000 });
    await pacer.take();
    const waiting = pacer.take();
    pacer.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    expect(pacer.waiting).toBe(0);
  });
});

describe('RequestPacer cost', () => {
  it('spends a request without copying the window: 60,000 takes under a large budget stay fast', async () => {
    // The sync bench lifts the budget (1,000,000 per window); copying the granted times on every
    // take made each request cost O(requests so far): 60,000 takes took about 30 s.
    vi.useRealTimers();
    const pacer = new RequestPacer({ limit: 1_000_000, windowMs: 60_000 });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 60_000; i++) await pacer.take();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(2_000);
  });
});
