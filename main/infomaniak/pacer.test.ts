import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestPacer } from './pacer';
import type { RequestLane } from './types';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Starts `n` takes at once in the interactive lane (the window alone decides; the lower lanes' extra
 * rules are tested below); returns the fake time at which each one was let through.
 */
function burst(pacer: RequestPacer, n: number, onWait?: (index: number, ms: number) => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    void pacer
      .take(undefined, onWait ? (ms) => onWait(i, ms) : undefined, 'interactive')
      .then(() => times.push(Date.now()));
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
    // Interactive: the lower lanes leave the window's last slots to it (see the lane tests below).
    const times: number[] = [];
    for (let i = 0; i < 61; i++)
      void pacer.take(undefined, undefined, 'interactive').then(() => times.push(Date.now()));
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

/** Takes in `lane`; returns the fake times at which each one was let through (in order of arrival). */
function lane(pacer: RequestPacer, which: RequestLane, n: number, onWait?: (index: number, ms: number) => void) {
  const times: Array<number | undefined> = new Array<number | undefined>(n).fill(undefined);
  for (let i = 0; i < n; i++) {
    void pacer.take(undefined, onWait ? (ms) => onWait(i, ms) : undefined, which).then(() => (times[i] = Date.now()));
  }
  return times;
}

/** `n` workers that each take a download request as soon as their last one went (a saturating transfer). */
function downloadWorkers(pacer: RequestPacer, n: number): { count: number; stop(): void } {
  const state = { count: 0, stopped: false, stop: () => (state.stopped = true) };
  const work = (): void => {
    if (state.stopped) return;
    void pacer.take(undefined, undefined, 'download').then(() => {
      state.count++;
      work();
    });
  };
  for (let i = 0; i < n; i++) work();
  return state;
}

describe('RequestPacer lanes (issue 22.2)', () => {
  it('under a saturated budget, interactive requests go before downloads, downloads before background work', async () => {
    const pacer = new RequestPacer({ limit: 2, windowMs: 1000, share: 0, reserve: 0 });
    await pacer.take();
    await pacer.take();
    const order: string[] = [];
    const take = (which: RequestLane, name: string) =>
      void pacer.take(undefined, undefined, which).then(() => order.push(name));
    take('background', 'b1');
    take('download', 'd1');
    take('background', 'b2');
    take('interactive', 'i1');
    take('download', 'd2');
    take('interactive', 'i2');
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(order).toEqual(['i1', 'i2', 'd1', 'd2', 'b1', 'b2']);
  });

  it('an untagged request is in the download lane: behind interactive work, ahead of background work', async () => {
    const pacer = new RequestPacer({ limit: 1, windowMs: 1000, share: 0, reserve: 0 });
    await pacer.take();
    const order: string[] = [];
    void pacer.take(undefined, undefined, 'background').then(() => order.push('background'));
    void pacer.take().then(() => order.push('untagged'));
    void pacer.take(undefined, undefined, 'interactive').then(() => order.push('interactive'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(order).toEqual(['interactive', 'untagged', 'background']);
  });

  it('an interactive request waits for the next free slot of the window, not behind the queue, and is told so', async () => {
    // The app's budget: 60 per 61 s, one slot ≈ 1017 ms. A file-by-file download saturates it: the
    // transfers queue runs 3 files at a time, each taking its next request as soon as one is done.
    const pacer = new RequestPacer();
    const slot = pacer.windowMs / pacer.limit;
    const downloads = downloadWorkers(pacer, 3);
    await vi.advanceTimersByTimeAsync(95_000); // past the first window: the steady state
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      const told: number[] = [];
      const asked = Date.now();
      let went = -1;
      void pacer.take(undefined, (ms) => told.push(ms), 'interactive').then(() => (went = Date.now()));
      await vi.advanceTimersByTimeAsync(Math.ceil(slot));
      expect(went).toBeGreaterThanOrEqual(asked);
      waits.push(went - asked);
      for (const ms of told.filter((m) => m > 0)) expect(ms).toBeLessThanOrEqual(slot);
      await vi.advanceTimersByTimeAsync(2_300 + (i % 7) * 450); // the user opens a folder every few seconds
    }
    expect(Math.max(...waits)).toBeLessThanOrEqual(slot);
    // The downloads kept going at the budget's pace meanwhile (the interactive requests took 40 slots).
    const seconds = (Date.now() - 95_000) / 1000;
    expect(downloads.count).toBeGreaterThan(95 + seconds - 40 - 10);
    downloads.stop();
  });

  it('without lanes (everything in one lane), the same request waits behind the queue', async () => {
    const pacer = new RequestPacer();
    const slot = pacer.windowMs / pacer.limit;
    const downloads = downloadWorkers(pacer, 3);
    await vi.advanceTimersByTimeAsync(95_000);
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const asked = Date.now();
      let went = -1;
      void pacer.take(undefined, undefined, 'download').then(() => (went = Date.now()));
      await vi.advanceTimersByTimeAsync(61_000);
      waits.push(went - asked);
      await vi.advanceTimersByTimeAsync(2_300 + i * 450);
    }
    // Behind the three downloads that wait before it: at least three slots, often a window's burst.
    expect(Math.min(...waits)).toBeGreaterThan(slot);
    downloads.stop();
  });

  it('the download lane keeps the budget: 600 requests at 60 per 61 s take ten windows, as without lanes', async () => {
    const pacer = new RequestPacer();
    const times = lane(pacer, 'download', 600);
    await vi.advanceTimersByTimeAsync(11 * 61_000);
    expect(times.every((t) => t !== undefined)).toBe(true);
    expect(peakInWindow(times as number[], 61_000)).toBeLessThanOrEqual(60);
    // Not slower than the plain window: the 600th request goes within the tenth window.
    expect(Math.max(...(times as number[]))).toBeLessThanOrEqual(10 * 61_000);
  });

  it('while the user is idle, the lower lanes may fill the window but for its last slot', async () => {
    const pacer = new RequestPacer();
    const downloads = lane(pacer, 'download', 60);
    await vi.advanceTimersByTimeAsync(0);
    expect(downloads.filter((t) => t === 0)).toHaveLength(59);
    const interactive = lane(pacer, 'interactive', 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(interactive).toEqual([0]);
    // The 60th goes when the window is about to free a slot (within one slot of 61 s).
    await vi.advanceTimersByTimeAsync(61_000);
    expect(downloads[59]).toBeGreaterThanOrEqual(61_000 - 1017);
  });

  it('while the user is active, the lower lanes leave a third of the coming slots open, also after a burst', async () => {
    const pacer = new RequestPacer();
    await pacer.take(undefined, undefined, 'interactive'); // the user opened a folder
    const downloads = lane(pacer, 'download', 60);
    await vi.advanceTimersByTimeAsync(0);
    // 60 − ⌈59 / 3⌉ = 40 in the window, the interactive one included.
    expect(downloads.filter((t) => t === 0)).toHaveLength(39);
    // The downloads go on at the pace the open slots allow (about one per 3 slots), not after a window…
    await vi.advanceTimersByTimeAsync(10_000);
    expect(downloads.filter((t) => t !== undefined && t > 0).length).toBeGreaterThanOrEqual(2);
    // …and interactive requests still find slots at once.
    const interactive = lane(pacer, 'interactive', 10);
    await vi.advanceTimersByTimeAsync(0);
    expect(interactive.every((t) => t === 10_000)).toBe(true);
  });

  it('a small download goes at once', async () => {
    const pacer = new RequestPacer();
    const downloads = lane(pacer, 'download', 30);
    await vi.advanceTimersByTimeAsync(0);
    expect(downloads.every((t) => t === 0)).toBe(true);
  });

  it('lower lanes age: a background request goes even under a constant interactive load', async () => {
    const pacer = new RequestPacer({ limit: 2, windowMs: 1000, share: 0, reserve: 0 });
    let backgroundAt = -1;
    let interactiveGone = 0;
    // Keep three interactive requests waiting at all times.
    const more = (): void =>
      void pacer.take(undefined, undefined, 'interactive').then(
        () => {
          interactiveGone++;
          more();
        },
        () => undefined, // closed at the end
      );
    more();
    more();
    more();
    void pacer.take(undefined, undefined, 'background').then(() => (backgroundAt = Date.now()));
    await vi.advanceTimersByTimeAsync(pacer.agingMs * 2 + 2000);
    // The rule: a waiter ranks one lane higher per `agingMs` waited (default: one window).
    expect(backgroundAt).toBeGreaterThan(0);
    expect(backgroundAt).toBeLessThanOrEqual(pacer.agingMs * 2 + 1000);
    expect(interactiveGone).toBeGreaterThan(0);
    pacer.close(new Error('done'));
  });

  it('lanes: false is one FIFO lane, the window alone (the reference of the bench)', async () => {
    const pacer = new RequestPacer({ limit: 1, windowMs: 1000, lanes: false });
    await pacer.take();
    const order: string[] = [];
    void pacer.take(undefined, undefined, 'background').then(() => order.push('background'));
    void pacer.take(undefined, undefined, 'interactive').then(() => order.push('interactive'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(order).toEqual(['background', 'interactive']);
  });

  it('a 429 pause holds every lane', async () => {
    const pacer = new RequestPacer({ limit: 100, windowMs: 1000 });
    pacer.pause(5000);
    const lanes = [lane(pacer, 'interactive', 2), lane(pacer, 'download', 2), lane(pacer, 'background', 2)];
    await vi.advanceTimersByTimeAsync(4999);
    expect(lanes.flat().every((t) => t === undefined)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(lanes.flat()).toEqual([5000, 5000, 5000, 5000, 5000, 5000]);
  });
});

describe('RequestPacer and the wall clock', () => {
  it('a wall clock set back (by hand, NTP) does not hold requests: the pacer counts on a monotonic clock', async () => {
    const pacer = new RequestPacer({ limit: 2, windowMs: 1000 });
    vi.setSystemTime(15 * 60_000); // the wall clock runs 15 min ahead while the budget is spent…
    const first = burst(pacer, 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(first).toHaveLength(2);
    vi.setSystemTime(0); // …then is set back; only the monotonic clock moves on
    const later = burst(pacer, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(later).toHaveLength(1); // with Date.now() this waited until the clock caught up (15 min)
  });
});
