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
import type { DownloadJob } from '../transfers/types';
import type { DownloadItem } from '../localfs/types';
import type { AdapterContext } from './types';

export interface SimulatorAddress {
  urls: { api: string; calendar: string; contacts: string; mail: string; notify?: string };
  caPem: string;
}

/**
 * A client like the composition root builds, with quick retries for tests. `rateLimit`: the
 * token's budget (default: the app's 60 per 61 s), e.g. scaled down or lifted for a test.
 */
export function clientFor(sim: SimulatorAddress, token: string, rateLimit?: PacerOptions): InfomaniakClient {
  return createInfomaniakClient({
    token,
    endpoints: {
      api: sim.urls.api,
      calendar: sim.urls.calendar,
      contacts: sim.urls.contacts,
      mail: sim.urls.mail,
      ...(sim.urls.notify ? { notify: sim.urls.notify } : {}),
    },
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

/** The messages of an mboxrd file, unquoted (mail-mbox.ts writes them). */
export function splitMbox(mbox: Uint8Array): Buffer[] {
  const text = Buffer.from(mbox.buffer, mbox.byteOffset, mbox.byteLength).toString('latin1');
  const out: Buffer[] = [];
  for (const chunk of text.split(/^From [^\n]*\n/m).slice(1)) {
    const body = chunk.endsWith('\n\n') ? chunk.slice(0, -1) : chunk;
    const lines = body.split('\n').map((line) => (/^>+From /.test(line) ? line.slice(1) : line));
    out.push(Buffer.from(lines.join('\n'), 'latin1'));
  }
  return out;
}

/** The bytes of a job's one item (its `fetch` read to the end, or its generated content). */
export async function itemBytes(job: DownloadJob, index = 0): Promise<Buffer> {
  const items = (await collect(job.items)) as DownloadItem[];
  const item = items[index]!;
  if (item.content) return Buffer.from(await item.content());
  const response = await item.fetch!({});
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
