import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clampMinutes, SyncSchedule } from './schedule';

const fakeTimer = {
  set: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clear: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-29T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('SyncSchedule', () => {
  it('off (no interval): start runs nothing and arms nothing', () => {
    const run = vi.fn();
    const s = new SyncSchedule({ every: () => null, run, now: Date.now, timer: fakeTimer });
    s.start();
    vi.advanceTimersByTime(48 * 3600_000);
    expect(run).not.toHaveBeenCalled();
    expect(s.nextRunAt()).toBeNull();
  });

  it('on: runs at start and then every N minutes, with nextRunAt telling when', () => {
    const run = vi.fn();
    const s = new SyncSchedule({ every: () => 15, run, now: Date.now, timer: fakeTimer });
    const t0 = Date.now();
    s.start();
    expect(run).toHaveBeenCalledTimes(1);
    expect(s.nextRunAt()).toBe(t0 + 15 * 60_000);
    vi.advanceTimersByTime(15 * 60_000 - 1);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
    expect(s.nextRunAt()).toBe(t0 + 30 * 60_000);
    vi.advanceTimersByTime(30 * 60_000);
    expect(run).toHaveBeenCalledTimes(4);
    s.dispose();
    vi.advanceTimersByTime(60 * 60_000);
    expect(run).toHaveBeenCalledTimes(4);
    expect(s.nextRunAt()).toBeNull();
  });

  it('a settings change re-arms (no run at once); the same interval keeps the timer; off stops it', () => {
    const run = vi.fn();
    let every: number | null = null;
    const s = new SyncSchedule({ every: () => every, run, now: Date.now, timer: fakeTimer });
    s.start();
    every = 60;
    s.update();
    expect(run).not.toHaveBeenCalled();
    const armed = s.nextRunAt();
    expect(armed).toBe(Date.now() + 3600_000);
    vi.advanceTimersByTime(10 * 60_000);
    s.update();
    expect(s.nextRunAt()).toBe(armed);
    every = 5;
    s.update();
    expect(s.nextRunAt()).toBe(Date.now() + 5 * 60_000);
    vi.advanceTimersByTime(5 * 60_000);
    expect(run).toHaveBeenCalledTimes(1);
    every = null;
    s.update();
    vi.advanceTimersByTime(24 * 3600_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(s.nextRunAt()).toBeNull();
  });

  it('intervals are bounded to 5–1440 minutes', () => {
    expect(clampMinutes(1)).toBe(5);
    expect(clampMinutes(100_000)).toBe(1440);
    expect(clampMinutes(30.4)).toBe(30);
    expect(clampMinutes(Number.NaN)).toBeNull();
    expect(clampMinutes(null)).toBeNull();
  });
});
