import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { disposeWithin, exitOnSignals, holdQuitForDispose } from './shutdown';

afterEach(() => vi.useRealTimers());

/** A dispose that takes `ms` and records when it finished. */
function slowDispose(ms: number) {
  const state = { finished: false };
  const dispose = () =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        state.finished = true;
        resolve();
      }, ms),
    );
  return { dispose, state };
}

describe('bounded shutdown (issue 8.20)', () => {
  it('waits for a dispose that ends within the bound', async () => {
    vi.useFakeTimers();
    const { dispose, state } = slowDispose(1000);
    const outcome = disposeWithin(dispose, 3000, () => {});
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcome).toBe('done');
    expect(state.finished).toBe(true);
  });

  it('gives up after the bound on a dispose that hangs, and says so', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const { dispose, state } = slowDispose(60_000);
    const outcome = disposeWithin(dispose, 3000, (l) => log.push(l));
    await vi.advanceTimersByTimeAsync(3000);
    expect(await outcome).toBe('timeout');
    expect(state.finished).toBe(false);
    expect(log).toEqual(['shutdown: gave up waiting for pending work after 3000 ms']);
  });

  it('Electron: holds the first before-quit until dispose ends, then quits once', async () => {
    vi.useFakeTimers();
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    const { dispose, state } = slowDispose(500);
    holdQuitForDispose(app, dispose, () => {});
    const first = { preventDefault: vi.fn() };
    app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    // A second quit request while disposing is held too, and does not dispose twice.
    const second = { preventDefault: vi.fn() };
    app.emit('before-quit', second);
    expect(second.preventDefault).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(499);
    expect(app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(state.finished).toBe(true);
    expect(app.quit).toHaveBeenCalledTimes(1);
    // The quit it triggers passes through.
    const last = { preventDefault: vi.fn() };
    app.emit('before-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('Electron: quits after the bound even when dispose hangs', async () => {
    vi.useFakeTimers();
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    holdQuitForDispose(
      app,
      () => new Promise<void>(() => {}),
      () => {},
      3000,
    );
    app.emit('before-quit', { preventDefault: () => {} });
    await vi.advanceTimersByTimeAsync(2999);
    expect(app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  it('host: SIGTERM closes the server, waits for a slow dispose, then exits 0 (1 when it had to give up)', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const proc = Object.assign(new EventEmitter(), { exit: vi.fn((code: number) => order.push(`exit ${code}`)) });
    const { dispose, state } = slowDispose(2000);
    exitOnSignals(
      proc,
      { close: async () => void order.push('close'), dispose: () => dispose().then(() => void order.push('disposed')) },
      () => {},
    );
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    await vi.advanceTimersByTimeAsync(1999);
    expect(proc.exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(state.finished).toBe(true);
    expect(order).toEqual(['close', 'disposed', 'exit 0']);

    const stuck = Object.assign(new EventEmitter(), { exit: vi.fn() });
    exitOnSignals(stuck, { close: async () => {}, dispose: () => new Promise<void>(() => {}) }, () => {});
    stuck.emit('SIGINT');
    await vi.advanceTimersByTimeAsync(3000);
    expect(stuck.exit).toHaveBeenCalledWith(1);
  });
});
