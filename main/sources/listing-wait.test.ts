/**
 * A listing that waits for the token's request budget says so (issue 9.8): its requests learn the
 * wait from the pacer (real client against the simulator), and the countdown tells the seconds left.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { listFolder } from './kdrive-walk';
import { observe } from '../infomaniak/observe';
import { WaitCountdown } from './listing-wait';
import { clientFor, collect } from './test-support';

/** A drive of the demo scenario. */
const DRIVE = 610001;
let sim: Simulator;
let client: InfomaniakClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const token = sim.tokens[0]!.value;
  // One request per 1.5 s: the second listing request has to wait.
  client = clientFor(sim, token, { limit: 1, windowMs: 1500 });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

it("a listing's request that waits for the budget reports the wait, then 0 when it goes", async () => {
  // Each wait with the moment it was reported: the wait must end when the window of the first
  // request ends, however long the machine took between the two requests (it may be loaded).
  const waits: Array<{ ms: number; at: number }> = [];
  const paced = observe(client, { onWait: (ms) => waits.push({ ms, at: Date.now() }) });
  const signal = new AbortController().signal;
  const beforeFirst = Date.now();
  await paced.get('api', '/1/accounts', { signal });
  const afterFirst = Date.now();
  expect(waits).toEqual([]);
  await collect(listFolder(paced, DRIVE, 1, signal));
  const done = Date.now();
  const first = waits[0]!;
  expect(first.ms).toBeGreaterThan(0);
  expect(first.ms).toBeLessThanOrEqual(1500);
  // The first request took the budget between beforeFirst and afterFirst; 1.5 s later it frees.
  expect(first.at + first.ms).toBeGreaterThanOrEqual(beforeFirst + 1500 - 5);
  expect(first.at + first.ms).toBeLessThanOrEqual(afterFirst + 1500 + 5);
  expect(done).toBeGreaterThanOrEqual(beforeFirst + 1500);
  expect(waits.at(-1)!.ms).toBe(0);
});

it('the countdown tells the seconds left once a second, and 0 when the request goes', () => {
  vi.useFakeTimers();
  try {
    const told: number[] = [];
    const countdown = new WaitCountdown((s) => told.push(s));
    countdown.update(3200);
    vi.advanceTimersByTime(2000);
    countdown.update(0);
    vi.advanceTimersByTime(3000);
    expect(told).toEqual([4, 3, 2, 0]);
  } finally {
    vi.useRealTimers();
  }
});
