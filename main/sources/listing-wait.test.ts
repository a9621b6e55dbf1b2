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
  const waits: number[] = [];
  const paced = observe(client, { onWait: (ms) => waits.push(ms) });
  const signal = new AbortController().signal;
  await paced.get('api', '/1/accounts', { signal });
  expect(waits).toEqual([]);
  const started = Date.now();
  await collect(listFolder(paced, DRIVE, 1, signal));
  // The wait is what is left of the 1.5 s since the first request went (its round trip, the first
  // TLS connection included, took part of it: how much depends on the machine's load).
  expect(waits[0]).toBeGreaterThan(0);
  expect(waits[0]).toBeLessThanOrEqual(1500);
  expect(Date.now() - started).toBeGreaterThanOrEqual(waits[0]! - 50);
  expect(waits.at(-1)).toBe(0);
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
