/**
 * sync: the sync engine (main/sync) against its own simulator, over real HTTPS, through the app's
 * client. Cases: first sync of 20,010 files in 201 folders (time, requests, peak RSS); a second
 * sync with nothing changed, by the full listing and by the activities feed (requests, bytes,
 * time); 10 changed files (downloads); a 1 GiB file renamed (bytes); 2,000 small files at 50 ms
 * latency, 6 at a time against one at a time (the reference).
 * Peak RSS is sampled every 50 ms for the whole bench process, which also runs the simulator.
 * The client's 60-requests-per-minute budget is lifted (see below): with it, a first sync of 20,000
 * files one request each would take about 5.5 hours.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { runPair } from '../../main/sync/engine';
import type { RunOutcome } from '../../main/sync/engine';
import { FeedMemory, KdriveFeedSource } from '../../main/sync/feed';
import { foldFor } from '../../main/sync/names';
import { trashInside } from '../../main/sync/trash';
import { readFileSync } from 'node:fs';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import type { BenchCase } from '../lib/context';
import { onCleanup, removeTempDir, tempDir } from '../lib/resources';
import type { Measurement } from '../stats';

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
  const root = join(base, name);
  mkdirSync(root, { recursive: true });
  mkdirSync(join(base, `${name}-mem`), { recursive: true });
  return { root, state: join(base, `${name}-state`), memory: new FeedMemory(join(base, `${name}-mem`)) };
}

function sync(client: InfomaniakClient, p: Pair, folderId: number, concurrency = 6): Promise<RunOutcome> {
  return runPair({
    root: p.root,
    stateDir: p.state,
    source: new KdriveFeedSource({
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

/** Time, API requests and downloads of one run; peak RSS sampled meanwhile. */
async function measured(sim: Simulator, run: () => Promise<RunOutcome>) {
  sim.log.reset();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const start = performance.now();
  const outcome = await run();
  const ms = performance.now() - start;
  clearInterval(timer);
  const api = sim.log.entries().filter((e) => e.origin === 'api');
  return {
    ms,
    outcome,
    requests: api.length,
    downloads: api.filter((e) => e.route === DOWNLOAD).length,
    peakMb: peak / MB,
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
    const id = (path: string) => sim.idOf(DRIVE, `/Common documents${path}`)!;
    const out: Measurement[] = [];
    try {
      // First sync of the 20k tree, with the feed off (listing) and in a second pair with it on.
      sim.setFeeds({ activities: false });
      const listing = pair(base, 'listing');
      ctx.progress('sync: first sync, 20,010 files');
      const first = await measured(sim, () => sync(client, listing, id('/Tree')));
      const files = first.outcome.counts.added;
      out.push(
        row(
          'first sync, 20,010 files in 201 folders',
          's',
          [first.ms / 1000],
          null,
          `${first.requests} requests, ${files} files`,
        ),
      );
      out.push(
        row(
          'first sync: peak RSS (bench process incl. simulator)',
          'MB',
          [first.peakMb],
          { subject: 'max', op: '<', threshold: 300, text: '< 300 MB' },
          'sampled every 50 ms',
        ),
      );
      const pages = Math.ceil((files + 201) / 1000);
      const again = await measured(sim, () => sync(client, listing, id('/Tree')));
      out.push(
        row(
          'second sync, unchanged, full listing: requests',
          'req',
          [again.requests],
          { subject: 'max', op: '<=', threshold: pages + 2, text: `≤ ⌈n/1000⌉+2 = ${pages + 2}` },
          `${again.outcome.counts.bytes} bytes, ${again.outcome.plan.actions.length} actions`,
        ),
      );
      out.push(
        row(
          'second sync, unchanged, full listing: time',
          's',
          [again.ms / 1000],
          { subject: 'max', op: '<', threshold: 2, text: '< 2 s' },
          '',
        ),
      );

      sim.setFeeds({ activities: true });
      const feed = pair(base, 'feed');
      ctx.progress('sync: first sync with the feed on');
      await sync(client, feed, id('/Tree'));
      const viaFeed = await measured(sim, () => sync(client, feed, id('/Tree')));
      out.push(
        row(
          'second sync, unchanged, activities feed: requests',
          'req',
          [viaFeed.requests],
          { subject: 'max', op: '<=', threshold: 3, text: '≤ 3' },
          `via ${viaFeed.outcome.via}, ${viaFeed.outcome.counts.bytes} bytes, ${viaFeed.ms.toFixed(0)} ms`,
        ),
      );

      for (let i = 0; i < 10; i++)
        sim.mutate(DRIVE, { op: 'change', id: id(`/Tree/Edits/edit-${i}.txt`), content: { text: `v2 ${i} changed` } });
      const changed = await measured(sim, () => sync(client, feed, id('/Tree')));
      out.push(
        row(
          '10 changed files: downloads',
          'files',
          [changed.downloads],
          { subject: 'max', op: '==', threshold: 10, text: '= 10' },
          `via ${changed.outcome.via}, ${changed.requests} requests`,
        ),
      );

      ctx.progress('sync: 1 GiB file');
      const big = pair(base, 'big');
      await sync(client, big, id('/Big'));
      sim.mutate(DRIVE, { op: 'rename', id: id('/Big/big-1GiB.bin'), name: 'big-renamed.bin' });
      const renamed = await measured(sim, () => sync(client, big, id('/Big')));
      out.push(
        row(
          'rename of a 1 GiB file: bytes downloaded',
          'B',
          [renamed.outcome.counts.bytes],
          { subject: 'max', op: '==', threshold: 0, text: '= 0' },
          `${renamed.outcome.counts.moved} moved, ${renamed.downloads} downloads`,
        ),
      );

      ctx.progress('sync: 2,000 small files at 50 ms, 6 at a time and one at a time');
      sim.setLatency({ fixedMs: 50, jitterMs: 0 });
      const concurrent = await measured(sim, () => sync(client, pair(base, 'small-6'), id('/Small'), 6));
      const serial = await measured(sim, () => sync(client, pair(base, 'small-1'), id('/Small'), 1));
      out.push(
        row(
          '2,000 small files at 50 ms: 6 at a time',
          's',
          [concurrent.ms / 1000],
          { subject: 'ratio', op: '<=', threshold: 1 / 2.5, text: '≥ 2.5× faster' },
          `${(serial.ms / concurrent.ms).toFixed(2)}× faster`,
          { label: 'one at a time', runs: [serial.ms / 1000] },
        ),
      );
    } finally {
      await client.close();
      await closeSim();
      removeTempDir(base);
    }
    return out;
  },
};
