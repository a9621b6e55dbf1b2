/**
 * One sync run of one kDrive pair through the app's code (client, KdriveFeedSource, runPair), in a
 * process of its own so that the syncing side's memory and time are measured without the simulator
 * (which serves it from the bench process, as Infomaniak would from elsewhere).
 *
 *   BENCH_TOKEN=… INFOMANIAK_API_URL=… NODE_EXTRA_CA_CERTS=… \
 *     node --import tsx bench/workers/sync.ts '<json SyncWorkerInput>'
 *
 * The last stdout line is `RESULT <json SyncWorkerOutput>`. The client's budget of 60 requests a
 * minute is lifted: the bench measures the engine, not the budget.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import { runPair } from '../../main/sync/engine';
import { FeedMemory, KdriveFeedSource } from '../../main/sync/feed';
import { kdriveSubtree } from '../../main/sources/kdrive-subtree';
import { foldFor } from '../../main/sync/names';
import { trashInside } from '../../main/localfs/trash';

export interface SyncWorkerInput {
  driveId: number;
  folderId: number;
  root: string;
  state: string;
  memory: string;
  concurrency: number;
  sampleMs: number;
}

export interface SyncWorkerOutput {
  /** Duration of the run itself (not the process start). */
  ms: number;
  /** RSS sampled every `sampleMs` during the run, and before it. */
  peakRss: number;
  startRss: number;
  added: number;
  bytes: number;
  actions: number;
  via: 'listing' | 'feed';
}

async function main(input: SyncWorkerInput): Promise<SyncWorkerOutput> {
  const env = process.env;
  const client = createInfomaniakClient({
    token: env.BENCH_TOKEN ?? '',
    endpoints: resolveEndpoints(env).endpoints,
    ca: readExtraCa(env, (path) => readFileSync(path, 'utf8')),
    maxConcurrent: 8,
    rateLimit: { limit: 1_000_000, windowMs: 1000 },
  });
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), input.sampleMs);
  try {
    const start = performance.now();
    const outcome = await runPair({
      root: input.root,
      stateDir: input.state,
      source: new KdriveFeedSource({
        subtree: kdriveSubtree(client, { driveId: input.driveId, folderId: input.folderId }),
        client,
        target: { driveId: input.driveId, folderId: input.folderId },
        stateDir: input.state,
        memory: new FeedMemory(input.memory),
        driveKey: String(input.driveId),
        now: Date.now,
      }),
      fold: foldFor(process.platform),
      ignoreLocalDeletes: false,
      trash: (path) => trashInside(input.root, path),
      concurrency: input.concurrency,
      signal: new AbortController().signal,
      now: Date.now,
    });
    const ms = performance.now() - start;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const { added, bytes } = outcome.counts;
    return { ms, peakRss, startRss, added, bytes, actions: outcome.plan.actions.length, via: outcome.via };
  } finally {
    clearInterval(timer);
    await client.close();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as SyncWorkerInput).then(
  (out) => {
    process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`sync worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
