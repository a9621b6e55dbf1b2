/**
 * selection: 20,000 small files of one folder selected and downloaded (issue 22.3), with the
 * simulator enforcing the request budget, through the app's path (KdriveAdapter → TransferManager →
 * file writer): the selection as archives (selection-route.ts: batches of the files' ids) against
 * file by file (the same jobs without their archive group: one request per file). The folder is
 * listed first, as the tree does when the user opens it (20 pages, counted apart). The minute is
 * scaled down 100× (archive.ts scales it 10× for 1,000 files): the simulator allows 60 requests per
 * 0.6 s, the client's pacer spends 60 per 0.8 s (the app: 60 per 61 s; a margin of 10 ms was too
 * thin at this scale), so file by file takes about 4.5 minutes instead of about 5.6 hours. One run
 * each (`--runs N`: N each).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { parseId } from '../../main/sources/ids';
import { KdriveAdapter } from '../../main/sources/kdrive';
import type { AdapterContext } from '../../main/sources/types';
import { TransferManager } from '../../main/transfers/manager';
import { appClient } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { onCleanup } from '../lib/resources';

const TOKEN = 'selection-bench-token-0123456789';
const DRIVE = 9202;
const FILES = 20_000;
const SIZE = 1024;
const SERVER_WINDOW_MS = 600;
/** A third more than the server's: at 60 per 610 ms the simulator answered 429 (requests bunch up under load). */
const CLIENT_WINDOW_MS = 800;

const scenario: ScenarioInput = {
  name: 'selection-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 1, name: 'Selection', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Selection',
      account_id: 1,
      tree: {
        common: [{ name: 'Many', generate: { seed: 'many', files: FILES, file_name: 's-{i:05}.txt', size: SIZE } }],
      },
    },
  ],
};

interface Side {
  ms: number;
  requests: number;
}

function contextOf(client: InfomaniakClient, listed: Map<string, SourceNode>, signal: AbortSignal): AdapterContext {
  return {
    connectionId: 'c1',
    serviceNodeId: 'conn:c1/kdrive',
    client,
    settings: DEFAULT_SETTINGS,
    language: 'en',
    lookup: (id) => listed.get(id),
    signal,
    now: () => Date.now(),
  };
}

/** The folder as the tree lists it when the user opens it (what a selection is made from). */
async function listed(client: InfomaniakClient, folderId: number): Promise<Map<string, SourceNode>> {
  const nodes = new Map<string, SourceNode>();
  const parentId = `conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`;
  const ctx = contextOf(client, nodes, new AbortController().signal);
  for await (const page of new KdriveAdapter().list(ctx, parseId(parentId)!, parentId)) {
    for (const node of page.nodes) nodes.set(node.id, node);
  }
  return nodes;
}

/** One download of every file of the folder, selected; `files` drops the jobs' archive group. */
async function downloadOnce(
  sim: Simulator,
  client: InfomaniakClient,
  nodes: Map<string, SourceNode>,
  route: 'archive' | 'files',
): Promise<Side> {
  const base = await mkdtemp(join(tmpdir(), 'bench-selection-'));
  const adapter = new KdriveAdapter();
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: (id) => ({ kind: 'file', name: nodes.get(id)?.name ?? id }),
    resolve: async (node, mode, signal) => {
      const job = await adapter.job(contextOf(client, nodes, signal), parseId(node.id)!, node.id, mode);
      if (route === 'files') delete job.group;
      return job;
    },
    onChange: () => undefined,
  });
  try {
    // A fresh window for each side: the budget the other side spent does not count here.
    await new Promise((resolve) => setTimeout(resolve, CLIENT_WINDOW_MS));
    sim.log.reset();
    const t0 = performance.now();
    const ids = [...nodes.values()].filter((n) => n.kind === 'file').map((n) => n.id);
    await manager.start({ nodeIds: ids, folderMode: 'files', targetDir: join(base, 'out') });
    await manager.idle();
    const ms = performance.now() - t0;
    const [t] = manager.list();
    const files = await readdir(join(base, 'out'));
    const expected = route === 'archive' ? 'archive' : null;
    if (t?.state !== 'done' || t.route !== expected || files.length !== FILES || t.bytesDone !== FILES * SIZE) {
      throw new Error(`${route}: ${t?.state} via ${t?.route}, ${files.length} files, ${t?.bytesDone} bytes`);
    }
    const log = sim.log.entries();
    if (log.some((e) => e.status === 429)) throw new Error(`${route}: the simulator answered 429`);
    return { ms, requests: log.length };
  } finally {
    await manager.dispose();
    await rm(base, { recursive: true, force: true });
  }
}

export const selectionCase: BenchCase = {
  name: 'selection',
  title: '20,000 selected files × 1 KiB under 60 requests per (scaled) minute: archives vs file by file',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    sim.setRateLimit(60, { windowMs: SERVER_WINDOW_MS });
    const client = appClient(sim.env(), TOKEN, { limit: 60, windowMs: CLIENT_WINDOW_MS });
    const closeClient = onCleanup(() => client.close());
    try {
      const folderId = sim.idOf(DRIVE, '/Common documents/Many')!;
      sim.log.reset();
      const nodes = await listed(client, folderId);
      const walk = sim.log.entries().length;
      const runs = ctx.runs(1);
      const archive: Side[] = [];
      const files: Side[] = [];
      for (let i = 0; i < runs; i++) {
        ctx.progress(`selection: run ${i + 1}/${runs}, as archives`);
        archive.push(await downloadOnce(sim, client, nodes, 'archive'));
        ctx.progress(`selection: run ${i + 1}/${runs}, file by file (about 5 min)`);
        files.push(await downloadOnce(sim, client, nodes, 'files'));
      }
      const note = `simulator 60 req / ${SERVER_WINDOW_MS} ms (a minute scaled 100×), client pacer 60 / ${CLIENT_WINDOW_MS} ms; listing the folder first: ${walk} requests (not counted)`;
      return [
        {
          case: 'selection',
          metric: 'requests (as archives)',
          unit: 'req',
          runs: archive.map((s) => s.requests),
          reference: { label: 'file by file', runs: files.map((s) => s.requests) },
          target: { subject: 'every', op: '<=', threshold: 3, text: '≤ ⌈20,000 / 20,000⌉ × 3 every run' },
        },
        {
          case: 'selection',
          metric: 'time (as archives)',
          unit: 'ms',
          runs: archive.map((s) => s.ms),
          reference: { label: 'file by file', runs: files.map((s) => s.ms) },
          note,
        },
      ];
    } finally {
      await closeClient();
      await closeSim();
    }
  },
};
