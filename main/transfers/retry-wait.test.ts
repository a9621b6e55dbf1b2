/**
 * Issue 13.6: between two attempts of a download (a stalled body, a server error) the transfer says
 * when the next attempt starts (`retryingAt`, unix ms), so the panel can count down "waiting for the
 * server, retrying in 12 s" instead of an ETA of hours. Against the simulator's fault controls and the
 * real Infomaniak client; requests are counted in the simulator's log.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { Transfer } from '../../shared/model/transfers';
import { createInfomaniakClient } from '../infomaniak/client';
import type { InfomaniakClient } from '../infomaniak/client';
import { TransferManager } from './manager';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const DRIVE = 610001;
const PATH = '/Common documents/Willkommen.txt';
const ROUTE = 'GET /2/drive/{drive}/files/{file}/download';
/** The writer's wait before the next attempt, long enough to be seen. */
const RETRY_MS = 1500;

let sim: Simulator;
let client: InfomaniakClient;
let base: string;
let reference: Buffer;
let fileId: number;
const managers: TransferManager[] = [];
const disposeAll = async () => {
  for (const manager of managers.splice(0)) await manager.dispose();
};

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  client = createInfomaniakClient({
    token: TOKEN,
    endpoints: { api: sim.urls.api, calendar: sim.urls.calendar, contacts: sim.urls.contacts, mail: sim.urls.mail },
    ca: [sim.caPem],
    retry: { backoffMs: 5, defaultWaitMs: 10 },
    // A body without a byte for this long is a stall (the app's default is 30 s).
    stallMs: 300,
  });
  fileId = sim.idOf(DRIVE, PATH) as number;
  expect(fileId).toBeGreaterThan(0);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'retry-wait-'));
  await mkdir(join(base, 'Downloads'));
  sim.setFaults(null);
  sim.log.reset();
});
afterEach(async () => {
  await disposeAll();
  sim.setFaults(null);
  sim.setRateLimit(600); // the demo scenario's
  await rm(base, { recursive: true, force: true });
});

/** A manager whose one node is the simulator's Willkommen.txt; every change batch is kept with its time. */
function setup(onBatch: (changed: Transfer[]) => void = () => undefined) {
  const seen: Array<{ at: number; transfer: Transfer }> = [];
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    resolve: async () => ({
      name: 'Willkommen.txt',
      kind: 'file',
      filesTotal: 1,
      bytesTotal: null,
      items: (async function* () {
        yield {
          segments: ['Willkommen.txt'],
          size: null,
          fetch: (req) => client.download('api', `/2/drive/${DRIVE}/files/${fileId}/download`, req),
        };
      })(),
    }),
    onChange: (batch) => {
      for (const t of batch.changed) seen.push({ at: Date.now(), transfer: structuredClone(t) });
      onBatch(batch.changed);
    },
    writer: { retryDelayMs: () => RETRY_MS },
    notifyIntervalMs: 20,
  });
  managers.push(manager);
  const start = async () => {
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: join(base, 'Downloads') });
    await manager.idle();
    return manager.list().find((t) => t.id === id)!;
  };
  return { start, seen };
}

const downloads = () => sim.log.entries().filter((e) => e.route === ROUTE);

beforeAll(async () => {
  // The bytes as the server has them, fetched once without faults.
  base = await mkdtemp(join(tmpdir(), 'retry-wait-'));
  await mkdir(join(base, 'Downloads'));
  const done = await setup().start();
  reference = await readFile(done.targetPath!);
  expect(reference.length).toBeGreaterThan(20);
  await disposeAll();
  await rm(base, { recursive: true, force: true });
});

it('a stalled body: the transfer says when it tries again, then resumes and finishes with the same bytes', async () => {
  sim.setFaults({ stalls: [{ drive: DRIVE, file: PATH, afterBytes: '50%', times: 1 }] });
  const { start, seen } = setup();
  const done = await start();

  const waiting = seen.filter((s) => s.transfer.retryingAt !== null);
  expect(waiting.length).toBeGreaterThan(0);
  const first = waiting[0]!;
  // The next attempt, as a point in time: the writer's wait from when it was said.
  expect(first.transfer.retryingAt! - first.at).toBeGreaterThan(RETRY_MS - 200);
  expect(first.transfer.retryingAt! - first.at).toBeLessThanOrEqual(RETRY_MS);
  expect(first.transfer.state).toBe('running');

  expect(done).toMatchObject({ state: 'done', retryingAt: null, resumes: 1 });
  expect(await readFile(done.targetPath!)).toEqual(reference);
  // One stalled request and one that resumed it: nothing else spent of the request budget.
  expect(downloads().length).toBe(2);
});

it('a server error, then recovery: the countdown is said, and cleared once bytes flow again', async () => {
  // A 503 without Retry-After (the rate-limit window's X-RateLimit-Reset on this answer is no delay
  // for it, only for a 429): the writer's own wait is the one said.
  sim.setFaults({ errorRate: 1, errorRoutes: [ROUTE], errorStatus: 503 });
  // The server recovers as soon as the app says it waits to try again.
  const { start, seen } = setup((changed) => {
    if (changed.some((t) => t.retryingAt !== null)) sim.setFaults(null);
  });
  const done = await start();

  const waiting = seen.find((s) => s.transfer.retryingAt !== null);
  expect(waiting).toBeDefined();
  expect(waiting!.transfer.retryingAt! - waiting!.at).toBeGreaterThan(RETRY_MS - 200);
  expect(done).toMatchObject({ state: 'done', retryingAt: null });
  expect(await readFile(done.targetPath!)).toEqual(reference);
  // The demo serves downloads by a redirect to the storage host: one 503, then one 302.
  expect(downloads().map((e) => e.status)).toEqual([503, 302]);
});

it('a 500 is not retried (errors/classify.ts: it tends to repeat): one request, the file fails', async () => {
  sim.setFaults({ errorRate: 1, errorRoutes: [ROUTE] });
  const { start, seen } = setup();
  const done = await start();

  expect(seen.some((s) => s.transfer.retryingAt !== null)).toBe(false);
  expect(done).toMatchObject({ state: 'failed', error: { code: 'api_error', details: { status: 500 } } });
  expect(downloads().map((e) => e.status)).toEqual([500]);
});

it("a 503 with Retry-After: the countdown is the server's delay, not the writer's", async () => {
  sim.setFaults({ errorRate: 1, errorRoutes: [ROUTE], errorStatus: 503, retryAfterSeconds: 3 });
  const { start, seen } = setup((changed) => {
    if (changed.some((t) => t.retryingAt !== null)) sim.setFaults(null);
  });
  const done = await start();

  const waiting = seen.find((s) => s.transfer.retryingAt !== null);
  expect(waiting).toBeDefined();
  expect(waiting!.transfer.retryingAt! - waiting!.at).toBeGreaterThan(3000 - 200);
  expect(done).toMatchObject({ state: 'done', retryingAt: null });
  expect(downloads().map((e) => e.status)).toEqual([503, 302]);
});
