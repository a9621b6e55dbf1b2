/**
 * Test helpers for the source adapters: the app's own Infomaniak client pointed at a running
 * simulator (its urls and CA passed in, so this file needs nothing of simulator/), and an
 * AdapterContext around it. Used by *.test.ts only.
 */
import { createInfomaniakClient } from '../infomaniak/client';
import type { InfomaniakClient } from '../infomaniak/client';
import type { PacerOptions } from '../infomaniak/pacer';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { SourceNode } from '../../shared/model/sources';
import type { AdapterContext } from './types';

export interface SimulatorAddress {
  urls: { api: string; calendar: string; contacts: string; mail: string };
  caPem: string;
}

/**
 * A client like the composition root builds, with quick retries for tests. `rateLimit`: the
 * token's budget (default: the app's 60 per 61 s), e.g. scaled down or lifted for a test.
 */
export function clientFor(sim: SimulatorAddress, token: string, rateLimit?: PacerOptions): InfomaniakClient {
  return createInfomaniakClient({
    token,
    endpoints: { api: sim.urls.api, calendar: sim.urls.calendar, contacts: sim.urls.contacts, mail: sim.urls.mail },
    ca: [sim.caPem],
    retry: { backoffMs: 5, defaultWaitMs: 10 },
    maxConcurrent: 8,
    ...(rateLimit ? { rateLimit } : {}),
  });
}

/** An adapter context whose node cache is a plain map the test can fill. */
export function contextFor(
  client: InfomaniakClient,
  serviceNodeId: string,
  nodes: Map<string, SourceNode> = new Map(),
): AdapterContext {
  const connectionId = 'c1';
  return {
    connectionId,
    serviceNodeId,
    client,
    settings: DEFAULT_SETTINGS,
    language: 'en',
    lookup: (id) => nodes.get(id),
    signal: new AbortController().signal,
    now: () => Date.now(),
  };
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
