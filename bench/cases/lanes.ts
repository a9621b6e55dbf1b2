/**
 * lanes (issue 22.2): how long opening a folder takes while a file-by-file download of 10,000 files
 * saturates the token's budget, with the pacer's lanes (the folder's listing interactive, the
 * download in the download lane) against the pacer before them (one FIFO lane, the window alone:
 * `lanes: false`), in the same run. The minute is scaled down 10× as in the archive case: the
 * simulator allows 60 requests per 6 s, the client's pacer spends 60 per 6.1 s, so one slot of the
 * window is 102 ms (the app: 1017 ms). Each side: a fresh client; three opens with an idle budget
 * (the round trip alone), then the download through the app's path (KdriveAdapter job →
 * TransferManager, 3 files at a time, the archive offer dropped as in the archive case), and after
 * 1.5 windows (the budget saturated) 24 folder opens at a user's pace (one every 0.3–0.9 s, i.e.
 * 3–9 s unscaled), each a KdriveAdapter listing of an 8-file folder as Sources runs it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { inLane } from '../../main/infomaniak/lanes';
import type { RequestLane } from '../../main/infomaniak/types';
import { parseId } from '../../main/sources/ids';
import { KdriveAdapter } from '../../main/sources/kdrive';
import type { AdapterContext } from '../../main/sources/types';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { TransferManager } from '../../main/transfers/manager';
import { quantile } from '../stats';
import { appClient } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { onCleanup } from '../lib/resources';

const TOKEN = 'lanes-bench-token-0123456789';
const DRIVE = 9301;
const FILES = 10_000;
const FOLDERS = 24;
const SERVER_WINDOW_MS = 6000;
const CLIENT_WINDOW_MS = 6100;
const SLOT_MS = CLIENT_WINDOW_MS / 60;

const scenario: ScenarioInput = {
  name: 'lanes-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 1, name: 'Lanes', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Lanes',
      account_id: 1,
      tree: {
        common: [
          { name: 'Big', generate: { seed: 'big', files: FILES, size: 1024 } },
          {
            name: 'Open',
            children: Array.from({ length: FOLDERS }, (_, i) => ({
              name: `Folder ${i + 1}`,
              generate: { seed: `open-${i}`, files: 8, size: 2048 },
            })),
          },
        ],
      },
    },
  ],
};

interface Side {
  /** Folder opens while the download saturates the budget (ms). */
  opens: number[];
  /** Folder opens with an idle budget (ms): the round trip alone. */
  idle: number[];
  /** Files the download placed per second while the opens ran. */
  filesPerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contextFor(client: InfomaniakClient, lane: RequestLane, signal: AbortSignal): AdapterContext {
  return {
    connectionId: 'c1',
    serviceNodeId: 'conn:c1/kdrive',
    // As Sources' context: the work's lane on every request.
    client: inLane(client, lane),
    settings: DEFAULT_SETTINGS,
    language: 'en',
    lookup: () => undefined,
    signal,
    now: () => Date.now(),
  };
}

/** Opens a folder as the tree does (Sources.list → KdriveAdapter.list) and times it. */
async function openFolder(adapter: KdriveAdapter, client: InfomaniakClient, folderId: number): Promise<number> {
  const nodeId = `conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`;
  const ctx = contextFor(client, 'interactive', new AbortController().signal);
  const t0 = performance.now();
  let count = 0;
  for await (const page of adapter.list(ctx, parseId(nodeId)!, nodeId)) count += page.nodes.length;
  if (count !== 8) throw new Error(`folder ${folderId}: ${count} items, expected 8`);
  return performance.now() - t0;
}

function startDownload(client: InfomaniakClient, base: string): TransferManager {
  const adapter = new KdriveAdapter();
  return new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: () => ({ kind: 'folder', name: 'Big' }),
    resolve: async (node, mode, signal) => {
      const ctx = { ...contextFor(client, 'download', signal), hint: { kind: node.kind, name: node.name } };
      const job = await adapter.job(ctx, parseId(node.id)!, node.id, mode);
      delete job.archive; // file by file, as the download
      return job;
    },
    onChange: () => undefined,
  });
}

async function side(sim: Simulator, lanes: boolean, ids: { big: number; folders: number[] }): Promise<Side> {
  const base = await mkdtemp(join(tmpdir(), 'bench-lanes-'));
  const client = appClient(sim.env(), TOKEN, { limit: 60, windowMs: CLIENT_WINDOW_MS, lanes });
  const adapter = new KdriveAdapter();
  let manager: TransferManager | null = null;
  try {
    // A fresh window for each side: the budget the other side spent does not count here.
    sim.setRateLimit(60, { windowMs: SERVER_WINDOW_MS });
    await sleep(CLIENT_WINDOW_MS);
    sim.log.reset();
    const idle: number[] = [];
    for (const id of ids.folders.slice(0, 3)) idle.push(await openFolder(adapter, client, id));
    manager = startDownload(client, base);
    await manager.start({
      nodeIds: [`conn:c1/kdrive/drive:${DRIVE}/f:${ids.big}`],
      folderMode: 'files',
      targetDir: join(base, 'out'),
    });
    await sleep(1.5 * CLIENT_WINDOW_MS);
    const filesBefore = manager.list()[0]?.filesDone ?? 0;
    const t0 = performance.now();
    const opens: number[] = [];
    for (let i = 0; i < FOLDERS; i++) {
      opens.push(await openFolder(adapter, client, ids.folders[i]!));
      await sleep(300 + (i % 5) * 150);
    }
    const filesPerSecond = ((manager.list()[0]?.filesDone ?? 0) - filesBefore) / ((performance.now() - t0) / 1000);
    const [transfer] = manager.list();
    if (!transfer || transfer.state === 'failed') throw new Error(`the download failed: ${transfer?.error?.message}`);
    if (sim.log.entries().some((e) => e.status === 429)) throw new Error('the simulator answered 429');
    await manager.cancel(transfer.id);
    return { opens, idle, filesPerSecond };
  } finally {
    await manager?.dispose();
    await client.close();
    await rm(base, { recursive: true, force: true });
  }
}

export const lanesCase: BenchCase = {
  name: 'lanes',
  title: 'opening a folder while a 10,000-file download saturates 60 requests per (scaled) minute',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    try {
      const ids = {
        big: sim.idOf(DRIVE, '/Common documents/Big')!,
        folders: Array.from({ length: FOLDERS }, (_, i) => sim.idOf(DRIVE, `/Common documents/Open/Folder ${i + 1}`)!),
      };
      const runs = ctx.runs(1);
      const ours: Side[] = [];
      const fifo: Side[] = [];
      for (let i = 0; i < runs; i++) {
        ctx.progress(`lanes: run ${i + 1}/${runs}, with lanes (about 50 s)`);
        ours.push(await side(sim, true, ids));
        ctx.progress(`lanes: run ${i + 1}/${runs}, one FIFO lane (about 50 s)`);
        fifo.push(await side(sim, false, ids));
      }
      return rows(ours, fifo);
    } finally {
      await closeSim();
    }
  },
};

function rows(ours: Side[], fifo: Side[]) {
  const p95 = (s: Side) => quantile(s.opens, 0.95);
  const idle = quantile(
    ours.flatMap((s) => s.idle),
    0.5,
  );
  const note = `simulator 60 req / ${SERVER_WINDOW_MS / 1000} s (a minute scaled 10×), client 60 / ${CLIENT_WINDOW_MS / 1000} s: one slot = ${Math.round(SLOT_MS)} ms; idle open ${Math.round(idle)} ms`;
  return [
    {
      case: 'lanes',
      metric: 'open a folder while downloading: p95',
      unit: 'ms',
      runs: ours.map(p95),
      reference: { label: 'one FIFO lane', runs: fifo.map(p95) },
      target: {
        subject: 'every' as const,
        op: '<=' as const,
        threshold: SLOT_MS + idle,
        text: `≤ one slot (${Math.round(SLOT_MS)} ms) + the idle open`,
      },
      note,
    },
    {
      case: 'lanes',
      metric: 'open a folder while downloading: median',
      unit: 'ms',
      runs: ours.map((s) => quantile(s.opens, 0.5)),
      reference: { label: 'one FIFO lane', runs: fifo.map((s) => quantile(s.opens, 0.5)) },
    },
    {
      case: 'lanes',
      metric: 'download while folders open',
      unit: 'files/s',
      runs: ours.map((s) => s.filesPerSecond),
      reference: { label: 'one FIFO lane', runs: fifo.map((s) => s.filesPerSecond) },
      note: `the budget allows ${(60 / (CLIENT_WINDOW_MS / 1000)).toFixed(1)} requests/s; the opens spend some`,
    },
  ];
}
