/**
 * archive: a folder of 1,000 files × 20 KiB downloaded in "files" mode with the simulator enforcing
 * the request budget, through the app's path (KdriveAdapter → TransferManager → file writer): the
 * archive route (walk + create + download, unpacked locally) against the files route (the same job
 * without its archive offer: one request per file). The minute is scaled down 10×: the simulator
 * allows 60 requests per 6 s, the client's pacer spends 60 per 6.1 s (the app: 60 per 61 s against
 * the documented 60 per 60 s), so file by file takes about 100 s instead of about 17 min: one run of
 * it, three of the archive route (`--runs N`: N each). Goal: archive ≤ 5 requests and ≥ 10× faster.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { parseId } from '../../main/sources/ids';
import { KdriveAdapter } from '../../main/sources/kdrive';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { TransferManager } from '../../main/transfers/manager';
import { appClient } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { onCleanup } from '../lib/resources';

const TOKEN = 'archive-bench-token-0123456789';
const DRIVE = 9201;
const FILES = 1000;
const SIZE = 20 * 1024;
const SERVER_WINDOW_MS = 6000;
const CLIENT_WINDOW_MS = 6100;

const scenario: ScenarioInput = {
  name: 'archive-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 1, name: 'Archive', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Archive',
      account_id: 1,
      tree: { common: [{ name: 'Photos', generate: { seed: 'photos', files: FILES, size: SIZE } }] },
    },
  ],
};

interface Side {
  ms: number;
  requests: number;
}

/** One download of the folder; `files` drops the job's archive offer (the files route). */
async function downloadOnce(
  sim: Simulator,
  client: InfomaniakClient,
  folderId: number,
  route: 'archive' | 'files',
): Promise<Side> {
  const base = await mkdtemp(join(tmpdir(), 'bench-archive-'));
  const adapter = new KdriveAdapter();
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: () => ({ kind: 'folder', name: 'Photos' }),
    resolve: async (node, mode, signal) => {
      const ctx = {
        connectionId: 'c1',
        serviceNodeId: 'conn:c1/kdrive',
        client,
        settings: DEFAULT_SETTINGS,
        language: 'en' as const,
        lookup: () => undefined,
        // As the app's Sources passes it: what the transfer remembers of the node.
        hint: { kind: node.kind, name: node.name },
        signal,
        now: () => Date.now(),
      };
      const job = await adapter.job(ctx, parseId(node.id)!, node.id, mode);
      if (route === 'files') delete job.archive;
      return job;
    },
    onChange: () => undefined,
  });
  try {
    // A fresh window for each side: the budget the other side spent does not count here.
    sim.setRateLimit(60, { windowMs: SERVER_WINDOW_MS });
    await new Promise((resolve) => setTimeout(resolve, CLIENT_WINDOW_MS));
    sim.log.reset();
    const t0 = performance.now();
    await manager.start({
      nodeIds: [`conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`],
      folderMode: 'files',
      targetDir: join(base, 'out'),
    });
    await manager.idle();
    const ms = performance.now() - t0;
    const [t] = manager.list();
    const files = await readdir(join(base, 'out', 'Photos'));
    if (t?.state !== 'done' || t.route !== route || files.length !== FILES || t.bytesDone !== FILES * SIZE) {
      throw new Error(`${route} route: ${t?.state} via ${t?.route}, ${files.length} files, ${t?.bytesDone} bytes`);
    }
    const log = sim.log.entries();
    if (log.some((e) => e.status === 429)) throw new Error(`${route} route: the simulator answered 429`);
    return { ms, requests: log.length };
  } finally {
    await manager.dispose();
    await rm(base, { recursive: true, force: true });
  }
}

export const archiveCase: BenchCase = {
  name: 'archive',
  title: 'folder of 1,000 × 20 KiB under 60 requests per (scaled) minute: archive vs file by file',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    const client = appClient(sim.env(), TOKEN, { limit: 60, windowMs: CLIENT_WINDOW_MS });
    const closeClient = onCleanup(() => client.close());
    try {
      const folderId = sim.idOf(DRIVE, '/Common documents/Photos')!;
      const runs = ctx.runs(3);
      const fileRuns = ctx.runs(1);
      const archive: Side[] = [];
      const files: Side[] = [];
      for (let i = 0; i < Math.max(runs, fileRuns); i++) {
        if (i < runs) {
          ctx.progress(`archive: run ${i + 1}/${runs}, archive route`);
          archive.push(await downloadOnce(sim, client, folderId, 'archive'));
        }
        if (i < fileRuns) {
          ctx.progress(`archive: run ${i + 1}/${fileRuns}, file by file (about 100 s)`);
          files.push(await downloadOnce(sim, client, folderId, 'files'));
        }
      }
      const note = `simulator 60 req / ${SERVER_WINDOW_MS / 1000} s (a minute scaled 10×), client pacer 60 / ${CLIENT_WINDOW_MS / 1000} s`;
      return [
        {
          case: 'archive',
          metric: 'requests (archive route)',
          unit: 'req',
          runs: archive.map((s) => s.requests),
          reference: { label: 'file by file', runs: files.map((s) => s.requests) },
          target: { subject: 'every', op: '<=', threshold: 5, text: '≤ 5 every run' },
        },
        {
          case: 'archive',
          metric: 'time (archive route)',
          unit: 'ms',
          runs: archive.map((s) => s.ms),
          reference: { label: 'file by file', runs: files.map((s) => s.ms) },
          target: { subject: 'ratio', op: '<=', threshold: 0.1, text: '≥ 10× faster (ratio ≤ 0.1)' },
          note,
        },
      ];
    } finally {
      await closeClient();
      await closeSim();
    }
  },
};
