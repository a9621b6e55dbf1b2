/**
 * sync: the sync engine (main/sync) against its own simulator, over real HTTPS, through the app's
 * client. Cases: first sync of 20,010 files in 201 folders (time, requests, peak RSS); a second
 * sync with nothing changed, by the full listing, by the `listing/continue` cursor feed and by the
 * activities feed (requests, bytes, time); 10 changed files (downloads); a 1 GiB file renamed
 * (bytes); 2,000 small files at 50 ms latency, 6 at a time against one at a time (the reference).
 * The first sync and the unchanged second one run in a worker process (bench/workers/sync.ts), so
 * its peak RSS (kernel maximum via /usr/bin/time -v where available, else sampled every 50 ms) and
 * time are the syncing side's alone: the simulator serves from the bench process. The other runs
 * are in the bench process.
 * The client's 60-requests-per-minute budget is lifted (see below): with it, a first sync of 20,000
 * files one request each would take about 5.5 hours.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { FeedSettings, ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { runPair } from '../../main/sync/engine';
import type { RunOutcome } from '../../main/sync/engine';
import { FeedMemory, KdriveFeedSource } from '../../main/sync/feed';
import { kdriveSubtree } from '../../main/sources/kdrive-subtree';
import { foldFor } from '../../main/sync/names';
import { trashInside } from '../../main/localfs/trash';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import type { BenchCase, BenchContext } from '../lib/context';
import { hasGnuTime, maxRssFromTime } from '../lib/download';
import { onCleanup, removeTempDir, run, tempDir, workerResult } from '../lib/resources';
import type { Measurement } from '../stats';
import type { SyncWorkerInput, SyncWorkerOutput } from '../workers/sync';

const TOKEN = 'sync-bench-token';
const DRIVE = 9101;
const MB = 1024 * 1024;
const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';

const scenario: ScenarioInput = {
  name: 'sync-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 91, name: 'Bench', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Sync bench',
      account_id: 91,
      tree: {
        common: [
          {
            name: 'Tree',
            children: [
              {
                name: 'Edits',
                children: Array.from({ length: 10 }, (_, i) => ({ name: `edit-${i}.txt`, content: `v1 ${i}` })),
              },
            ],
            generate: {
              seed: 'sync20k',
              files: 100,
              dirs: 199,
              depth: 1,
              dir_name: 'dir-{i:03}',
              file_name: 'f-{i:03}.txt',
              size: 512,
            },
          },
          { name: 'Big', children: [{ name: 'big-1GiB.bin', size: '1 GiB' }] },
          {
            name: 'Small',
            generate: {
              seed: 'small',
              files: 2000,
              dirs: 0,
              depth: 0,
              dir_name: 'd',
              file_name: 's-{i:04}.txt',
              size: 256,
            },
          },
        ],
      },
    },
  ],
};

interface Pair {
  root: string;
  state: string;
  memory: FeedMemory;
}

function pair(base: string, name: string): Pair {
  const root = join(base, name.replace(/\W+/g, '-'));
  mkdirSync(root, { recursive: true });
  mkdirSync(`${root}-mem`, { recursive: true });
  return { root, state: `${root}-state`, memory: new FeedMemory(`${root}-mem`) };
}

function sync(client: InfomaniakClient, p: Pair, folderId: number, concurrency = 6): Promise<RunOutcome> {
  return runPair({
    root: p.root,
    stateDir: p.state,
    source: new KdriveFeedSource({
      subtree: kdriveSubtree(client, { driveId: DRIVE, folderId }),
      client,
      target: { driveId: DRIVE, folderId },
      stateDir: p.state,
      memory: p.memory,
      driveKey: String(DRIVE),
      now: Date.now,
    }),
    fold: foldFor(process.platform),
    ignoreLocalDeletes: false,
    trash: (path) => trashInside(p.root, path),
    concurrency,
    signal: new AbortController().signal,
    now: Date.now,
  });
}

/** Time, API requests and downloads of one run in the bench process. */
async function measured(sim: Simulator, run: () => Promise<RunOutcome>) {
  sim.log.reset();
  const start = performance.now();
  const outcome = await run();
  const ms = performance.now() - start;
  const api = sim.log.entries().filter((e) => e.origin === 'api');
  return {
    ms,
    outcome,
    requests: api.length,
    downloads: api.filter((e) => e.route === DOWNLOAD).length,
  };
}

const row = (
  metric: string,
  unit: string,
  runs: number[],
  target: Measurement['target'],
  note: string,
  reference?: Measurement['reference'],
): Measurement => ({
  case: 'sync',
  metric,
  unit,
  runs,
  target,
  note,
  ...(reference ? { reference } : {}),
});

/** What every part of the case works with. */
interface Bench {
  ctx: BenchContext;
  sim: Simulator;
  client: InfomaniakClient;
  base: string;
  id: (path: string) => number;
}

const NO_FEED: FeedSettings = { listing: false, activities: false };

/** One run of a pair in a worker process (bench/workers/sync.ts): its own RSS and time, requests from the log. */
async function inWorker(b: Bench, p: Pair, folderId: number) {
  b.sim.log.reset();
  const input: SyncWorkerInput = {
    driveId: DRIVE,
    folderId,
    root: p.root,
    state: p.state,
    memory: `${p.root}-mem`,
    concurrency: 6,
    sampleMs: 50,
  };
  const node = [
    process.execPath,
    '--import',
    'tsx',
    join(b.ctx.root, 'bench', 'workers', 'sync.ts'),
    JSON.stringify(input),
  ];
  const useTime = await hasGnuTime();
  const [command, ...args] = useTime ? ['/usr/bin/time', '-v', ...node] : node;
  const result = await run(command!, args, {
    cwd: b.ctx.root,
    env: { ...process.env, ...b.sim.env(), BENCH_TOKEN: TOKEN },
    timeoutMs: 30 * 60_000,
  });
  const out = workerResult<SyncWorkerOutput>('sync worker', result);
  const maxRss = (useTime ? maxRssFromTime(result.stderr) : null) ?? out.peakRss;
  return { ...out, maxRss, requests: b.sim.log.entries().filter((e) => e.origin === 'api').length };
}

/** First sync of the 20k tree by the full listing (time, requests, RSS), then the same unchanged. */
async function firstAndUnchanged(b: Bench): Promise<Measurement[]> {
  b.sim.setFeeds(NO_FEED);
  const listing = pair(b.base, 'listing');
  b.ctx.progress('sync: first sync, 20,010 files (worker process)');
  const first = await inWorker(b, listing, b.id('/Tree'));
  const pages = Math.ceil((first.added + 201) / 1000);
  const again = await inWorker(b, listing, b.id('/Tree'));
  return [
    row(
      'first sync, 20,010 files in 201 folders',
      's',
      [first.ms / 1000],
      null,
      `${first.requests} requests, ${first.added} files`,
    ),
    row(
      'first sync: peak RSS of the syncing process',
      'MB',
      [first.maxRss / MB],
      { subject: 'max', op: '<', threshold: 300, text: '< 300 MB' },
      `engine + client in a worker (simulator in the bench process); sampled during the run ${(first.peakRss / MB).toFixed(0)} MB, ${(first.startRss / MB).toFixed(0)} MB before it`,
    ),
    row(
      'second sync, unchanged, full listing: requests',
      'req',
      [again.requests],
      { subject: 'max', op: '<=', threshold: pages + 2, text: `≤ ⌈n/1000⌉+2 = ${pages + 2}` },
      `${again.bytes} bytes, ${again.actions} actions`,
    ),
    row(
      'second sync, unchanged, full listing: time',
      's',
      [again.ms / 1000],
      { subject: 'max', op: '<', threshold: 2, text: '< 2 s' },
      'the run in the worker',
    ),
  ];
}

/** A pair whose drive answers one feed: first sync, then an unchanged one (requests ≤ 3). */
async function unchangedByFeed(b: Bench, name: string, feeds: FeedSettings): Promise<{ pair: Pair; row: Measurement }> {
  b.sim.setFeeds(feeds);
  const p = pair(b.base, name);
  b.ctx.progress(`sync: first sync, ${name} feed on`);
  await sync(b.client, p, b.id('/Tree'));
  const viaFeed = await measured(b.sim, () => sync(b.client, p, b.id('/Tree')));
  const r = row(
    `second sync, unchanged, ${name} feed: requests`,
    'req',
    [viaFeed.requests],
    { subject: 'max', op: '<=', threshold: 3, text: '≤ 3' },
    `via ${viaFeed.outcome.via}, ${viaFeed.outcome.counts.bytes} bytes, ${viaFeed.ms.toFixed(0)} ms`,
  );
  return { pair: p, row: r };
}

async function changedFiles(b: Bench, p: Pair): Promise<Measurement> {
  for (let i = 0; i < 10; i++)
    b.sim.mutate(DRIVE, { op: 'change', id: b.id(`/Tree/Edits/edit-${i}.txt`), content: { text: `v2 ${i} changed` } });
  const changed = await measured(b.sim, () => sync(b.client, p, b.id('/Tree')));
  return row(
    '10 changed files: downloads',
    'files',
    [changed.downloads],
    { subject: 'max', op: '==', threshold: 10, text: '= 10' },
    `via ${changed.outcome.via}, ${changed.requests} requests`,
  );
}

async function renamedBig(b: Bench): Promise<Measurement> {
  b.ctx.progress('sync: 1 GiB file');
  const big = pair(b.base, 'big');
  await sync(b.client, big, b.id('/Big'));
  b.sim.mutate(DRIVE, { op: 'rename', id: b.id('/Big/big-1GiB.bin'), name: 'big-renamed.bin' });
  const renamed = await measured(b.sim, () => sync(b.client, big, b.id('/Big')));
  return row(
    'rename of a 1 GiB file: bytes downloaded',
    'B',
    [renamed.outcome.counts.bytes],
    { subject: 'max', op: '==', threshold: 0, text: '= 0' },
    `${renamed.outcome.counts.moved} moved, ${renamed.downloads} downloads`,
  );
}

/**
 * 2,000 small files at 50 ms: file by file 6 at a time against one at a time (the archive route is
 * refused: it would fetch both as one archive), then the same folder's first run by the archive route.
 */
async function smallFiles(b: Bench): Promise<Measurement[]> {
  b.ctx.progress('sync: 2,000 small files at 50 ms, 6 at a time and one at a time, then as one archive');
  b.sim.setLatency({ fixedMs: 50, jitterMs: 0 });
  b.sim.setDownloads({ archives: 'forbidden' });
  const concurrent = await measured(b.sim, () => sync(b.client, pair(b.base, 'small-6'), b.id('/Small'), 6));
  const serial = await measured(b.sim, () => sync(b.client, pair(b.base, 'small-1'), b.id('/Small'), 1));
  b.sim.setDownloads({ archives: 'on' });
  const archive = await measured(b.sim, () => sync(b.client, pair(b.base, 'small-zip'), b.id('/Small'), 6));
  return [
    row(
      '2,000 small files at 50 ms: 6 at a time',
      's',
      [concurrent.ms / 1000],
      { subject: 'ratio', op: '<=', threshold: 1 / 2.5, text: '≥ 2.5× faster' },
      `${(serial.ms / concurrent.ms).toFixed(2)}× faster; archive route refused`,
      { label: 'one at a time', runs: [serial.ms / 1000] },
    ),
    row(
      '2,000 small files at 50 ms: first run by the archive route',
      's',
      [archive.ms / 1000],
      null,
      `${archive.requests} requests (file by file: ${concurrent.requests}), ${archive.outcome.counts.added} files`,
    ),
  ];
}

export const syncCase: BenchCase = {
  name: 'sync',
  title: 'Sync engine: 20k first sync, unchanged, 10 changed, 1 GiB rename, 2,000 files at 50 ms',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    // The app's client, with the per-token budget (60 requests/min against the real API) lifted:
    // the simulator has no rate limit here, and the bench measures the engine, not the budget.
    const env = sim.env();
    const client = createInfomaniakClient({
      token: TOKEN,
      endpoints: resolveEndpoints(env).endpoints,
      ca: readExtraCa(env, (path) => readFileSync(path, 'utf8')),
      maxConcurrent: 8,
      rateLimit: { limit: 1_000_000, windowMs: 1000 },
    });
    const base = tempDir('sync');
    const b: Bench = { ctx, sim, client, base, id: (path) => sim.idOf(DRIVE, `/Common documents${path}`)! };
    try {
      const out = await firstAndUnchanged(b);
      const cursor = await unchangedByFeed(b, 'listing/continue', { listing: true, activities: false });
      const activities = await unchangedByFeed(b, 'activities', { listing: false, activities: true });
      out.push(cursor.row, activities.row);
      b.sim.setFeeds({ listing: true, activities: false });
      out.push(await changedFiles(b, cursor.pair));
      out.push(await renamedBig(b), ...(await smallFiles(b)));
      return out;
    } finally {
      await client.close();
      await closeSim();
      removeTempDir(base);
    }
  },
};
