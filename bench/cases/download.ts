/**
 * download: first on an emulated link (download-link.ts: 1 Gbit/s 10 ms and 100 Mbit/s 20 ms; wall
 * time ≤ 1.03 × curl, CPU per GiB ≤ 1.25 × curl, main-thread event-loop use ≤ 5 %: the gates), then
 * on loopback: `/Common documents/Bench/big-1GiB.bin` (scale scenario, direct downloads).
 * Ours: the app's path (client + KdriveAdapter.job + TransferManager/file-writer; one request, no
 * hash request and no hashing: a 1 GiB file's hash is not comparable, issue 9.1) in a worker
 * process; throughput = bytes / (transfer start → the transfer finished, file placed), RSS growth =
 * peak RSS while downloading − RSS just before (kernel VmHWM, reset at the start, plus 50 ms samples).
 * Reference: `curl` of the same URL, throughput = size_download / time_total. Also reported: Node's
 * TLS floor (bench/workers/tls-floor.ts, a bare TLS socket that discards the bytes), the fastest any
 * Node program can receive here. Sides rotate; files are deleted after each run. Loopback
 * throughput is information only (issue 20.5: what users feel is measured on the link); target:
 * RSS growth < 100 MB in every run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchFile } from '../lib/api';
import { SCALE_DRIVE, SCALE_TOKEN, resetSimulator } from '../lib/context';
import type { BenchCase, BenchContext } from '../lib/context';
import type { Simulator } from '../../simulator/index';
import { curlDownload, downloadUrl, runFloor, runWorker, workerInput } from '../lib/download';
import { measureLinks } from './download-link';
import { removeTempDir, tempDir } from '../lib/resources';
import type { Measurement } from '../stats';

const MiB = 1024 * 1024;
const MB = 1_000_000;
const RUN_TIMEOUT_MS = 5 * 60_000;

interface Samples {
  ours: number[];
  curl: number[];
  growth: number[];
  oursMaxRss: number[];
  curlMaxRss: number[];
  seconds: number[];
  floor: number[];
}

interface Target {
  fileId: number;
  folderId: number;
  size: number;
}

const emptySamples = (): Samples => ({
  ours: [],
  curl: [],
  growth: [],
  oursMaxRss: [],
  curlMaxRss: [],
  seconds: [],
  floor: [],
});

async function measureCurl(sim: Simulator, file: Target, into: Samples): Promise<void> {
  const dir = tempDir('curl');
  try {
    const result = await curlDownload(
      sim,
      SCALE_TOKEN,
      SCALE_DRIVE,
      file.fileId,
      join(dir, 'big.bin'),
      dir,
      RUN_TIMEOUT_MS,
    );
    if (result.bytes !== file.size) throw new Error(`curl got ${result.bytes} of ${file.size} bytes`);
    into.curl.push(result.bytes / MiB / (result.ms / 1000));
    if (result.timeMaxRss !== null) into.curlMaxRss.push(result.timeMaxRss / MB);
  } finally {
    removeTempDir(dir);
  }
}

async function measureFloor(ctx: BenchContext, sim: Simulator, file: Target, into: Samples): Promise<void> {
  const url = downloadUrl(sim, SCALE_DRIVE, file.fileId);
  const result = await runFloor(ctx.root, sim, SCALE_TOKEN, url, RUN_TIMEOUT_MS);
  if (result.status !== 200 || result.bytes !== file.size) {
    throw new Error(`tls floor got HTTP ${result.status} and ${result.bytes} of ${file.size} bytes`);
  }
  into.floor.push(result.bytes / MiB / (result.ms / 1000));
}

async function measureOurs(ctx: BenchContext, sim: Simulator, file: Target, into: Samples): Promise<void> {
  const dir = tempDir('download');
  try {
    const input = workerInput(dir, SCALE_DRIVE, file.folderId, file.fileId);
    const result = await runWorker(ctx.root, sim, SCALE_TOKEN, input, RUN_TIMEOUT_MS);
    if (result.state !== 'done' || result.bytes !== file.size) {
      throw new Error(
        `download ended ${result.state} with ${result.bytes} of ${file.size} bytes: ${result.error ?? ''}`,
      );
    }
    into.ours.push(result.bytes / MiB / (result.ms / 1000));
    into.seconds.push(result.ms / 1000);
    into.growth.push((result.rss.peak - result.rss.baseline) / MB);
    if (result.timeMaxRss !== null) into.oursMaxRss.push(result.timeMaxRss / MB);
  } finally {
    removeTempDir(dir);
  }
}

/**
 * One untimed round of each side first (the first 1 GiB written on this VM is markedly slower for
 * whichever side comes first, and the simulator's content path warms up), then `runs` rounds with
 * the order of the sides rotating. Each side starts with the previous side's 1 GiB already written
 * back to disk (`sync`), so none pays for another's dirty pages.
 */
async function alternate(ctx: BenchContext, sim: Simulator, file: Target, runs: number): Promise<Samples> {
  const settle = () => {
    spawnSync('sync');
  };
  const ours = () => measureOurs(ctx, sim, file, samples);
  const curl = () => measureCurl(sim, file, samples);
  const floor = () => measureFloor(ctx, sim, file, samples);
  const sides = [ours, curl, floor];
  let samples = emptySamples();
  ctx.progress('download: warm-up (not measured)');
  for (const side of sides) {
    settle();
    await side();
  }
  samples = emptySamples();
  for (let i = 0; i < runs; i++) {
    ctx.progress(`download: run ${i + 1}/${runs}`);
    for (let k = 0; k < sides.length; k++) {
      settle();
      await sides[(i + k) % sides.length]!();
    }
  }
  return samples;
}

function measurements(samples: Samples): Measurement[] {
  const rows: Measurement[] = [
    {
      case: 'download',
      metric: 'loopback 1 GiB throughput',
      unit: 'MiB/s',
      runs: samples.ours,
      reference: { label: 'curl, same simulator', runs: samples.curl },
      note: `loopback, information only; ours: transfer start → finished (job request, part, journal, placement); ${samples.seconds.map((s) => s.toFixed(2)).join(', ')} s`,
    },
    {
      case: 'download',
      metric: '1 GiB, Node TLS floor',
      unit: 'MiB/s',
      runs: samples.floor,
      reference: { label: 'curl, same simulator', runs: samples.curl },
      note: 'a bare node:tls socket that throws the bytes away (no HTTP parser, no file)',
    },
    {
      case: 'download',
      metric: '1 GiB, ours against TLS floor',
      unit: 'MiB/s',
      runs: samples.ours,
      reference: { label: 'Node TLS floor', runs: samples.floor },
      note: 'what our code costs on top of the runtime (ours also writes the file)',
    },
    {
      case: 'download',
      metric: 'RSS growth while downloading',
      unit: 'MB',
      runs: samples.growth,
      target: { subject: 'every', op: '<', threshold: 100, text: '< 100 MB in every run' },
      note: 'peak RSS during the transfer (kernel VmHWM reset at start, and 50 ms samples) − RSS before',
    },
  ];
  if (samples.oursMaxRss.length > 0) {
    rows.push({
      case: 'download',
      metric: 'max RSS, whole process',
      unit: 'MB',
      runs: samples.oursMaxRss,
      reference: samples.curlMaxRss.length > 0 ? { label: 'curl', runs: samples.curlMaxRss } : null,
      note: '/usr/bin/time -v; ours includes Node, tsx and start-up',
    });
  }
  return rows;
}

export const downloadCase: BenchCase = {
  name: 'download',
  title: 'download on an emulated link (time, CPU, main thread against curl), and 1 GiB on loopback',
  async run(ctx) {
    const linkRows = await measureLinks(ctx, ctx.runs(3));
    const sim = await ctx.scale();
    resetSimulator(sim);
    sim.setDownloads({ mode: 'direct', contentLength: true });
    const file = await benchFile(sim.env(), SCALE_TOKEN, SCALE_DRIVE, 'big-1GiB.bin');
    try {
      return [...linkRows, ...measurements(await alternate(ctx, sim, file, ctx.runs(5)))];
    } finally {
      resetSimulator(sim);
    }
  },
};
