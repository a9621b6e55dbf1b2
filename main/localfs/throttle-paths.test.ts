/**
 * The bandwidth limit on both byte paths of the writer, through the simulator and the app's own
 * client: a body the download thread sinks into the part (a large file of known size over https)
 * and a body read by the part writer's loop (undici: a size the listing did not give). At 20 MB/s
 * each lands within ±10 % (the rate of the body: from the response's head to the placed file, so
 * a TLS handshake slowed down by a busy machine is not counted); a limit changed while a download
 * runs applies to the rest of it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { createInfomaniakClient } from '../infomaniak/client';
import type { InfomaniakClient } from '../infomaniak/client';
import { DirectWorker } from '../infomaniak/direct-wire';
import { BURST_US } from './bandwidth-bucket.mjs';
import type { DownloadRequest } from '../infomaniak/types';
import { writeItem } from './file-writer';
import { inside } from './paths';
import { Bandwidth, MB } from './throttle';
import type { DownloadItem } from './types';

const TOKEN = 'throttle-test-token-0123456789';
const DRIVE = 9301;
const SIZE = 40 * MB;

const SCENARIO = {
  name: 'throttle',
  description: 'One 40 MB file for the bandwidth limit.',
  epoch: '2025-01-01T00:00:00Z',
  tokens: [{ value: TOKEN, label: 'throttle', scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 5301, name: 'Throttle AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Throttle',
      account_id: 5301,
      size: '1 TiB',
      pack: { name: 'ksuite_enterprise', display_name: 'kSuite Enterprise', is_free: false },
      tree: { common: [{ name: 'big.bin', size: SIZE }] },
    },
  ],
} as unknown as ScenarioInput;

let sim: Simulator;
let worker: DirectWorker;
let client: InfomaniakClient;
let fileId: number;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: SCENARIO, quiet: true });
  worker = new DirectWorker();
  expect(await worker.ready()).toBe(true);
  client = createInfomaniakClient({
    token: TOKEN,
    endpoints: { api: sim.urls.api, calendar: sim.urls.calendar, contacts: sim.urls.contacts, mail: sim.urls.mail },
    ca: [sim.caPem],
    downloadWorker: worker,
    rateLimit: { limit: 1000, windowMs: 60_000 },
  });
  type Listed = Array<{ id: number; name: string }>;
  const root = await client.get<Listed>('api', `/3/drive/${DRIVE}/files/1/files`);
  const common = root.data.find((f) => f.name === 'Common documents')!.id;
  const listing = await client.get<Listed>('api', `/3/drive/${DRIVE}/files/${common}/files`);
  fileId = listing.data.find((f) => f.name === 'big.bin')!.id;
});
afterAll(async () => {
  await client.close();
  await worker.close();
  await sim.close();
});
beforeEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'throttle-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The file as the writer gets it. `knownSize` false: the listing gave no size, so the request
 * does not announce one and undici reads it (the loop's path). `seen` says which path it took.
 */
function item(knownSize: boolean, seen: { sink: boolean | null; head: number }): DownloadItem {
  return {
    segments: ['big.bin'],
    size: knownSize ? SIZE : null,
    fetch: async (request: Pick<DownloadRequest, 'start' | 'ifRange' | 'signal' | 'onWait'>) => {
      const response = await client.download('api', `/2/drive/${DRIVE}/files/${fileId}/download`, request);
      seen.sink = typeof response.sink === 'function';
      seen.head = performance.now();
      return response;
    },
  };
}

/** Downloads the file through the limit; the rate from the response's head to the placed file (MB/s). */
async function measure(bandwidth: Bandwidth, knownSize: boolean, onBytes?: (total: number, delta: number) => void) {
  const seen = { sink: null as boolean | null, head: 0 };
  let total = 0;
  const result = await writeItem(item(knownSize, seen), inside(dir, `big-${knownSize}.bin`), {
    bandwidth,
    events: {
      progress: (delta) => {
        total += delta;
        onBytes?.(total, delta);
      },
    },
  });
  const seconds = (performance.now() - seen.head) / 1000;
  expect((await stat(result.path)).size).toBe(SIZE);
  return { rate: SIZE / MB / seconds, sink: seen.sink };
}

describe('the bandwidth limit through the simulator', () => {
  it('20 MB/s on the download thread (sink): within ±10 %', async () => {
    const { rate, sink } = await measure(new Bandwidth(20 * MB), true);
    expect(sink).toBe(true);
    expect(rate).toBeGreaterThan(18);
    expect(rate).toBeLessThan(22);
  }, 30_000);

  it('20 MB/s on the part writer’s loop (undici): within ±10 %', async () => {
    const { rate, sink } = await measure(new Bandwidth(20 * MB), false);
    expect(sink).toBe(false);
    expect(rate).toBeGreaterThan(18);
    expect(rate).toBeLessThan(22);
  }, 30_000);

  for (const knownSize of [true, false]) {
    it(`a change while downloading applies to the rest (${knownSize ? 'sink' : 'undici'})`, async () => {
      const bandwidth = new Bandwidth(5 * MB);
      const began = performance.now();
      let changedAt = 0;
      let changedBytes = 0;
      let crossing = 0;
      await measure(bandwidth, knownSize, (total, delta) => {
        if (changedAt === 0 && total >= 5 * MB) {
          changedAt = performance.now();
          changedBytes = total;
          crossing = delta;
          bandwidth.setLimit(50 * MB);
        }
      });
      const after = (SIZE - changedBytes) / MB / ((performance.now() - changedAt) / 1000);
      // Before the change, 5 MB/s held: the bytes before the chunk that crossed 5 MB cannot have
      // come sooner than that rate allows, less the bucket's burst (BURST_US), counted from when the
      // limit was made. (From the response's head with a fixed 0.8 s, this failed on a busy
      // machine: a busy reader takes chunks of up to 1 MiB, 0.2 s at this rate, and the head was
      // noted late.) Without the limit, the 5 MB come in a few hundredths of a second.
      // The crossing chunk is what the last progress event carried: from the download thread, at
      // most four reports a second (1.25 MB at this rate, more when the thread is held up). With no
      // limit the 5 MB come in one report and the bound would be empty, so it must be a real one.
      const earliest = (changedBytes - crossing) / (5 * MB) - Number(BURST_US) / 1e6;
      expect(earliest).toBeGreaterThan(0.3);
      expect((changedAt - began) / 1000).toBeGreaterThanOrEqual(earliest - 0.01);
      // The remaining 35 MB went faster than 5 MB/s could (7 s): the new limit (or the link, if
      // slower) applied at once.
      expect(after).toBeGreaterThan(12);
      expect(after).toBeLessThan(55);
    }, 30_000);
  }
});
