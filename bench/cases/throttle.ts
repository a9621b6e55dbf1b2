/**
 * throttle (issue 22.4): the app's one bandwidth limit at 20 MB/s, on its own simulator (one file
 * of 60 MB), through the app's path: the client built like main/app.ts (with the download
 * thread), the kDrive adapter's download item, the part writer (`writeItem`) with the limit.
 *
 * Rows, 3 runs each, rate = bytes / (the first response head → the last file placed): the rate of
 * the bodies, without the connection set-up (a TLS handshake on a busy machine is not the limit's):
 *   - the download thread's sink (the listing gave the size: a large body on a direct https link);
 *   - the part writer's loop on undici (the same item without a size, so nothing is sunk);
 *   - three downloads at once sharing the one limit (two sunk, one read by the loop): their
 *     bytes together / the time until the last is placed — transfers, sync and staging share it.
 * Reference, same run: the same download without a limit (the link must be faster than the limit
 * for the measurement to mean anything). Target: every run within ±10 % of 20 MB/s.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { writeItem } from '../../main/localfs/file-writer';
import { inside } from '../../main/localfs/paths';
import { Bandwidth, MB } from '../../main/localfs/throttle';
import type { DownloadItem } from '../../main/localfs/types';
import { parseId } from '../../main/sources/ids';
import { KdriveAdapter } from '../../main/sources/kdrive';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput } from '../../simulator/index';
import { appClient, findByPath } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { removeTempDir, tempDir } from '../lib/resources';
import { median } from '../stats';
import type { Measurement } from '../stats';

const DRIVE = 9201;
const TOKEN = 'bandwidth-bench-token';
const LIMIT_MBPS = 20;
const SIZE = 60 * MB;

const SCENARIO: ScenarioInput = {
  name: 'bandwidth-bench',
  description: 'Bandwidth limit bench: one 60 MB file.',
  epoch: '2025-01-01T00:00:00Z',
  tokens: [{ value: TOKEN, label: 'bandwidth', scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 5201, name: 'Bandwidth AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Bandwidth',
      account_id: 5201,
      size: '1 TiB',
      pack: { name: 'ksuite_enterprise', display_name: 'kSuite Enterprise', is_free: false },
      tree: { common: [{ name: 'Bench', children: [{ name: 'sixty-MB.bin', size: SIZE }] }] },
    },
  ],
} as unknown as ScenarioInput;

/** The kDrive adapter's download item for the file (the app's own request, headers and redirects). */
async function fileItem(api: InfomaniakClient, fileId: number): Promise<DownloadItem> {
  const id = `conn:bench/kdrive/drive:${DRIVE}/f:${fileId}`;
  const node = {
    id,
    parentId: `conn:bench/kdrive/drive:${DRIVE}`,
    kind: 'file' as const,
    name: 'sixty-MB.bin',
    expandable: false,
    downloadable: true,
    size: SIZE,
  };
  const context = {
    connectionId: 'bench',
    serviceNodeId: 'conn:bench/kdrive',
    client: api,
    settings: DEFAULT_SETTINGS,
    language: 'en' as const,
    lookup: (n: string) => (n === id ? node : undefined),
    signal: new AbortController().signal,
    now: Date.now,
  };
  const job = await new KdriveAdapter().job(context, parseId(id)!, id, 'files');
  for await (const item of job.items) if ('fetch' in item && item.fetch) return item as DownloadItem;
  throw new Error('no download item');
}

type Path = 'sink' | 'undici';

/** Downloads `paths.length` copies at once through `bandwidth`; MB/s of all bytes from the first head to the end. */
async function rate(item: DownloadItem, dir: string, paths: Path[], bandwidth: Bandwidth): Promise<number> {
  mkdirSync(dir, { recursive: true });
  let head = 0;
  const fetch = item.fetch!;
  const timed: DownloadItem = {
    ...item,
    fetch: async (request) => {
      const response = await fetch(request);
      head ||= performance.now();
      return response;
    },
  };
  const results = await Promise.all(
    paths.map((path, i) =>
      writeItem(path === 'sink' ? timed : { ...timed, size: null }, inside(dir, `copy-${i}.bin`), { bandwidth }),
    ),
  );
  const seconds = (performance.now() - head) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
  if (bytes !== SIZE * paths.length) throw new Error(`wrote ${bytes} bytes, expected ${SIZE * paths.length}`);
  return bytes / MB / seconds;
}

const ROWS: Array<{ label: string; paths: Path[] }> = [
  { label: 'download thread (sink)', paths: ['sink'] },
  { label: 'part writer loop (undici)', paths: ['undici'] },
  { label: 'three at once, one limit', paths: ['sink', 'sink', 'undici'] },
];

export const throttleCase: BenchCase = {
  name: 'throttle',
  title: `Bandwidth limit at ${LIMIT_MBPS} MB/s: the rate on both byte paths and shared by three downloads`,
  async run(ctx) {
    const sim = await startSimulator({ scenario: SCENARIO, quiet: true });
    const dir = tempDir('bandwidth');
    const api = appClient(sim.env(), TOKEN, { limit: 10_000, windowMs: 60_000 });
    try {
      const file = await findByPath(api, DRIVE, '/Common documents/Bench/sixty-MB.bin');
      const item = await fileItem(api, file.id);
      const runs = ctx.runs(3);
      const out: Measurement[] = [];
      await rate(item, join(dir, 'warm-up'), ['sink'], new Bandwidth(null));
      for (const row of ROWS) {
        const limited: number[] = [];
        const free: number[] = [];
        for (let i = 0; i < runs; i++) {
          ctx.progress(`throttle: ${row.label}, run ${i + 1}/${runs}`);
          // Sides alternate run by run.
          const limitedRun = () => rate(item, join(dir, `l-${i}`), row.paths, new Bandwidth(LIMIT_MBPS * MB));
          const freeRun = () => rate(item, join(dir, `f-${i}`), row.paths, new Bandwidth(null));
          if (i % 2 === 0) {
            limited.push(await limitedRun());
            free.push(await freeRun());
          } else {
            free.push(await freeRun());
            limited.push(await limitedRun());
          }
        }
        const deviation = limited.map((r) => (Math.abs(r - LIMIT_MBPS) / LIMIT_MBPS) * 100);
        out.push(
          {
            case: 'throttle',
            metric: `${row.label}: rate at a ${LIMIT_MBPS} MB/s limit`,
            unit: 'MB/s',
            runs: limited,
            reference: { label: 'no limit (same path, same run)', runs: free },
            target: null,
          },
          {
            case: 'throttle',
            metric: `${row.label}: off the limit by`,
            unit: '%',
            runs: deviation,
            target: { subject: 'every', op: '<=', threshold: 10, text: '≤ 10 % every run' },
            note: `median ${median(limited).toFixed(2)} MB/s; without the limit ${median(free).toFixed(1)} MB/s`,
          },
        );
      }
      return out;
    } finally {
      await api.close();
      removeTempDir(dir);
      await sim.close();
    }
  },
};
