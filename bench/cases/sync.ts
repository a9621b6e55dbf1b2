/**
 * sync: the sync engine (main/sync) against its own simulator, over real HTTPS, through the app's
 * client. Cases: first sync of 20,010 files in 201 folders (time, requests, peak RSS); a second
 * sync with nothing changed, by the full listing, by the drive-wide `listing/continue` cursor feed
 * (requests and time, against the full relist of the same pair in the same run) and by the
 * activities feed; 1,000 actions of which 900 are `file_access` (full listings: none); 10 changed
 * files (downloads); a 1 GiB file renamed (bytes); 2,000 small files at 50 ms latency, 6 at a time
 * against one at a time (the reference).
 * The first sync and the unchanged second one run in a worker process (bench/workers/sync.ts), so
 * its peak RSS (kernel maximum via /usr/bin/time -v where available, else sampled every 50 ms) and
 * time are the syncing side's alone: the simulator serves from the bench process. The other runs
 * are in the bench process.
 * The client's 60-requests-per-minute budget is lifted (see below): with it, a first sync of 20,000
 * files one request each would take about 5.5 hours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../simulator/index';
import type { FeedSettings, ScenarioInput } from '../../simulator/index';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import type { BenchCase } from '../lib/context';
import { hasGnuTime, maxRssFromTime } from '../lib/download';
import { onCleanup, removeTempDir, run, tempDir, workerResult } from '../lib/resources';
import type { Measurement } from '../stats';
import type { SyncWorkerInput, SyncWorkerOutput } from '../workers/sync';
import { DRIVE, measured, pair, row, sync } from '../lib/sync-run';
import type { Bench, Pair } from '../lib/sync-run';
import { driveFeed } from './sync-feed';

const TOKEN = 'sync-bench-token';
const MB = 1024 * 1024;

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

const NO_FEED: Partial<FeedSettings> = { listing: false, activities: false };

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
async function unchangedByFeed(
  b: Bench,
  name: string,
  feeds: Partial<FeedSettings>,
): Promise<{ pair: Pair; row: Measurement }> {
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
      const cursor = await driveFeed(b);
      const activities = await unchangedByFeed(b, 'activities', { listing: false, activities: true });
      out.push(...cursor.rows, activities.row);
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
