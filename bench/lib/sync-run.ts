/**
 * What the sync bench's parts share (bench/cases/sync.ts, sync-feed.ts): its drive, a pair (a local
 * folder, its state and feed memory), one engine run through the app's KdriveFeedSource, a run
 * measured against the simulator's log, and a result row.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { runPair } from '../../main/sync/engine';
import type { RunOutcome } from '../../main/sync/engine';
import { FeedMemory, KdriveFeedSource } from '../../main/sync/feed';
import { kdriveSubtree } from '../../main/sources/kdrive-subtree';
import { foldFor } from '../../main/sync/names';
import { trashInside } from '../../main/localfs/trash';
import type { BenchContext } from './context';
import type { Measurement } from '../stats';

export const DRIVE = 9101;
export const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';
export const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

export interface Pair {
  root: string;
  state: string;
  memory: FeedMemory;
}

export function pair(base: string, name: string): Pair {
  const root = join(base, name.replace(/\W+/g, '-'));
  mkdirSync(root, { recursive: true });
  mkdirSync(`${root}-mem`, { recursive: true });
  return { root, state: `${root}-state`, memory: new FeedMemory(`${root}-mem`) };
}

/** One run; `relist`: a full listing whatever the feed (as the app's daily relist). */
export function sync(
  client: InfomaniakClient,
  p: Pair,
  folderId: number,
  concurrency = 6,
  relist = false,
): Promise<RunOutcome> {
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
      ...(relist ? { relistEveryMs: 0 } : {}),
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
export async function measured(sim: Simulator, run: () => Promise<RunOutcome>) {
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
    listings: api.filter((e) => e.route === LISTING).length,
  };
}

export const row = (
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
export interface Bench {
  ctx: BenchContext;
  sim: Simulator;
  client: InfomaniakClient;
  base: string;
  id: (path: string) => number;
}
