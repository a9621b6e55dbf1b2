import { getEventListeners } from 'node:events';
import { expect, it } from 'vitest';
import { SignalFanout } from './signal-fanout';

const never = (signal: AbortSignal): Promise<unknown> =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

it('one listener on the parent however many children wait; each child listens on its own signal', async () => {
  const parent = new AbortController();
  const fanout = new SignalFanout(parent.signal);
  const children: AbortSignal[] = [];
  const waits = Array.from({ length: 50 }, () =>
    fanout.run((signal) => {
      children.push(signal);
      return never(signal);
    }),
  );
  expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
  expect(fanout.size).toBe(50);
  expect(new Set(children).size).toBe(50);
  for (const child of children) expect(getEventListeners(child, 'abort')).toHaveLength(1);

  const reason = new Error('stop');
  parent.abort(reason);
  const results = await Promise.allSettled(waits);
  expect(results.every((r) => r.status === 'rejected' && r.reason === reason)).toBe(true);
  expect(children.every((c) => c.aborted && c.reason === reason)).toBe(true);
  expect(fanout.size).toBe(0);
});

it('forgets a child when its task settles (resolved or failed), so it is not aborted later', async () => {
  const parent = new AbortController();
  const fanout = new SignalFanout(parent.signal);
  let done: AbortSignal | null = null;
  let failed: AbortSignal | null = null;
  expect(
    await fanout.run(async (signal) => {
      done = signal;
      return 7;
    }),
  ).toBe(7);
  await expect(
    fanout.run(async (signal) => {
      failed = signal;
      throw new Error('file failed');
    }),
  ).rejects.toThrow('file failed');
  expect(fanout.size).toBe(0);
  parent.abort();
  expect(done!.aborted).toBe(false);
  expect(failed!.aborted).toBe(false);
});

it('a task started after the parent aborted gets an aborted signal with the same reason', async () => {
  const parent = new AbortController();
  const fanout = new SignalFanout(parent.signal);
  parent.abort('gone');
  const seen = await fanout.run(async (signal) => signal);
  expect(seen.aborted).toBe(true);
  expect(seen.reason).toBe('gone');
  expect(fanout.size).toBe(0);
});
