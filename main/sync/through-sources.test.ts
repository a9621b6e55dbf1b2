/**
 * Sync reaches the remote through the sources' adapters (Sources.subtree: the same context
 * and client as browsing), against the simulator: a redirect envelope on the listing is followed,
 * the kDrive items are the adapters' (with their origin), and the last run's request count is the
 * requests the server saw with the token, retries and hops included.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakClient } from '../infomaniak/client';
import { KdriveAdapter } from '../sources/kdrive';
import { clientFor } from '../sources/test-support';
import { QuickSync } from './service';
import { SYNC_TOKEN, projectScenario, sourcesOver } from './test-support';

const DRIVE = 5502;
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

const scenario = projectScenario('sync-sources', DRIVE, [
  { name: 'notes.txt', content: 'first notes' },
  { name: 'big.bin', size: 300_000 },
  { name: 'Sub', children: [{ name: 'deep.txt', content: 'deep' }] },
]);

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, SYNC_TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'sync-sources-'));
});
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

it('a kDrive pair lists and downloads through the adapters; the run counts every request the server saw', async () => {
  const { connections, sources } = sourcesOver(client, [new KdriveAdapter()]);
  const sync = new QuickSync({
    dataDir: join(dir, 'data'),
    connections,
    lookupNode: () => undefined,
    sources,
    settings: () => DEFAULT_SETTINGS,
    downloadsDir: () => join(dir, 'Downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
  });
  await sync.init();
  const project = sim.idOf(DRIVE, '/Common documents/Project')!;
  const created = await sync.create({ nodeId: `conn:c1/kdrive/drive:${DRIVE}/f:${project}` });

  // The listing answers once with a redirect envelope (one more request), and the big file's body
  // is cut once half-way (the writer resumes it: two requests for one file).
  sim.setEnvelopes([{ route: LISTING, result: 'redirect', times: 1 }]);
  sim.setFaults({ resets: [{ drive: DRIVE, file: '/Common documents/Project/big.bin', afterBytes: '50%', times: 1 }] });
  sim.log.reset();
  const [result] = await sync.runNow([created.pair.id]);
  sim.setFaults(null);

  expect(result).toMatchObject({ ok: true, counts: { added: 3, failed: 0 } });
  const root = created.pair.localPath;
  expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('first notes');
  expect(await readFile(join(root, 'Sub', 'deep.txt'), 'utf8')).toBe('deep');
  expect((await readFile(join(root, 'big.bin'))).length).toBe(300_000);

  const withToken = sim.log.entries().filter((e) => e.origin !== 'storage');
  expect(withToken.filter((e) => e.route === LISTING).length).toBeGreaterThanOrEqual(2);
  const bigDownloads = withToken.filter((e) => e.route === 'GET /2/drive/{drive}/files/{file}/download');
  expect(bigDownloads.length).toBe(4); // three files, one of them twice
  expect(result!.requests).toBe(withToken.length);
  sync.dispose();
});
