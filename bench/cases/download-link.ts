/**
 * The download case on an emulated link (issue 20.5): the app's download path and curl, each through
 * the same link emulator (bench/lib/link.ts: a userspace relay with a rate, a delay and a queue) in
 * front of a simulator of their own, at 1 Gbit/s with 10 ms round trip and at 100 Mbit/s with 20 ms,
 * a 1 GiB file each (86 s a run at 100 Mbit/s: a smaller file weighed a download's fixed costs as if
 * they were per byte, below). What users feel there is not throughput (both reach the link's rate)
 * but time, CPU and a free main thread:
 *
 * - wall time: ours transfer start → finished (file placed), curl's time_total; target ≤ 1.03 × curl;
 * - CPU seconds per GiB: ours `process.cpuUsage()` of the whole worker process (every thread) over
 *   the transfer, curl `/usr/bin/time -v` user + system of its process; target ≤ 1.25 × curl;
 * - the main thread's event-loop utilisation during the transfer (Electron's main thread in the
 *   app; here the Node main thread of the worker process): target ≤ 5 % in every run.
 *
 * Two rows inform without a target: the download thread's own CPU per GiB (the busiest thread
 * besides main, from /proc/self/task; the rest is main, V8's compiler and GC threads), and the CPU
 * of a 1 MiB download, ours and curl's, which is what a download costs besides its bytes (in a
 * fresh process: the code's first compilation, the TLS handshake, the job and its journal).
 *
 * Sides alternate run by run; one untimed round of each comes first. Files are deleted each run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startSimulator, type ScenarioInput, type Simulator } from '../../simulator/index';
import { benchFile } from '../lib/api';
import type { BenchContext } from '../lib/context';
import { curlDownload, runWorker, workerInput } from '../lib/download';
import { startLink, type Link } from '../lib/link';
import { onCleanup, removeTempDir, tempDir } from '../lib/resources';
import type { Measurement } from '../stats';

const TOKEN = 'link-bench-token-0123456789';
const DRIVE = 9301;
const GiB = 1024 * 1024 * 1024;
const RUN_TIMEOUT_MS = 5 * 60_000;

const scenario: ScenarioInput = {
  name: 'link-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 1, name: 'Link', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Link',
      account_id: 1,
      tree: {
        common: [
          {
            name: 'Bench',
            children: [
              { name: 'link-1GiB.bin', size: '1 GiB' },
              { name: 'link-1MiB.bin', size: '1 MiB' },
            ],
          },
        ],
      },
    },
  ],
};

interface Profile {
  label: string;
  rateBitsPerSecond: number;
  rttMs: number;
  file: string;
}

export const PROFILES: Profile[] = [
  { label: '1 Gbit/s 10 ms, 1 GiB', rateBitsPerSecond: 1e9, rttMs: 10, file: 'link-1GiB.bin' },
  { label: '100 Mbit/s 20 ms, 1 GiB', rateBitsPerSecond: 1e8, rttMs: 20, file: 'link-1GiB.bin' },
];

interface Samples {
  oursSeconds: number[];
  curlSeconds: number[];
  oursCpuPerGiB: number[];
  curlCpuPerGiB: number[];
  mainElu: number[];
  /** The download thread alone (the busiest thread besides main), s/GiB; empty where /proc has no threads. */
  threadCpuPerGiB: number[];
}

/** The CPU seconds of the busiest thread other than main, or null without a per-thread breakdown. */
function downloadThreadSeconds(threads: Record<string, number> | undefined): number | null {
  const others = Object.entries(threads ?? {})
    .filter(([name]) => name !== 'main')
    .map(([, seconds]) => seconds);
  return others.length > 0 ? Math.max(...others) : null;
}

interface Target {
  fileId: number;
  folderId: number;
  size: number;
}

async function measureCurl(sim: Simulator, link: Link, file: Target, into: Samples | null): Promise<void> {
  const dir = tempDir('link-curl');
  try {
    const out = join(dir, 'file.bin');
    const result = await curlDownload(sim, TOKEN, DRIVE, file.fileId, out, dir, RUN_TIMEOUT_MS, link.via);
    if (result.bytes !== file.size) throw new Error(`curl got ${result.bytes} of ${file.size} bytes`);
    into?.curlSeconds.push(result.ms / 1000);
    if (result.cpuSeconds !== null) into?.curlCpuPerGiB.push(result.cpuSeconds / (file.size / GiB));
  } finally {
    removeTempDir(dir);
  }
}

async function measureOurs(
  ctx: BenchContext,
  sim: Simulator,
  link: Link,
  file: Target,
  into: Samples | null,
): Promise<void> {
  const dir = tempDir('link-ours');
  try {
    // No memory samples: these rows report none, and sampling is main-thread work the app does not do.
    const input = workerInput(dir, DRIVE, file.folderId, file.fileId, 0);
    const result = await runWorker(ctx.root, sim, TOKEN, input, RUN_TIMEOUT_MS, link.via(sim.urls.api));
    if (result.state !== 'done' || result.bytes !== file.size) {
      throw new Error(`download ended ${result.state} with ${result.bytes} of ${file.size} bytes: ${result.error}`);
    }
    into?.oursSeconds.push(result.ms / 1000);
    into?.oursCpuPerGiB.push(result.cpuSeconds / (file.size / GiB));
    into?.mainElu.push(result.mainElu * 100);
    const thread = downloadThreadSeconds(result.threads);
    if (thread !== null) into?.threadCpuPerGiB.push(thread / (file.size / GiB));
  } finally {
    removeTempDir(dir);
  }
}

function rows(profile: Profile, samples: Samples): Measurement[] {
  const cpuReference = samples.curlCpuPerGiB.length > 0;
  return [
    {
      case: 'download',
      metric: `link ${profile.label}: wall time`,
      unit: 's',
      runs: samples.oursSeconds,
      reference: { label: 'curl through the same link', runs: samples.curlSeconds },
      target: { subject: 'ratio', op: '<=', threshold: 1.03, text: '≤ 1.03 × curl' },
      note: `ours: transfer start → finished (job request, part, journal, placement); relay in its own process`,
    },
    {
      case: 'download',
      metric: `link ${profile.label}: CPU per GiB`,
      unit: 's/GiB',
      runs: samples.oursCpuPerGiB,
      reference: cpuReference ? { label: 'curl (/usr/bin/time)', runs: samples.curlCpuPerGiB } : null,
      ...(cpuReference
        ? { target: { subject: 'ratio' as const, op: '<=' as const, threshold: 1.25, text: '≤ 1.25 × curl' } }
        : {}),
      note: 'ours: process.cpuUsage() of the worker process (all threads) over the transfer; curl: its whole process',
    },
    ...(samples.threadCpuPerGiB.length > 0
      ? [
          {
            case: 'download',
            metric: `link ${profile.label}: download thread's CPU per GiB`,
            unit: 's/GiB',
            runs: samples.threadCpuPerGiB,
            reference: cpuReference ? { label: 'curl, whole process', runs: samples.curlCpuPerGiB } : null,
            note: 'information: the busiest thread besides main (/proc/self/task), i.e. TLS, reads and file writes',
          },
        ]
      : []),
    {
      case: 'download',
      metric: `link ${profile.label}: main-thread ELU`,
      unit: '%',
      runs: samples.mainElu,
      target: { subject: 'every', op: '<=', threshold: 5, text: '≤ 5 % every run' },
      note: "performance.eventLoopUtilization() of the worker's main thread over the transfer",
    },
  ];
}

function noSamples(): Samples {
  return { oursSeconds: [], curlSeconds: [], oursCpuPerGiB: [], curlCpuPerGiB: [], mainElu: [], threadCpuPerGiB: [] };
}

/** What a download costs besides its bytes: the CPU of a 1 MiB download, ours and curl's, sides alternating. */
async function fixedCost(
  ctx: BenchContext,
  sim: Simulator,
  link: Link,
  profile: Profile,
  runs: number,
): Promise<Measurement> {
  const file = await benchFile(sim.env(), TOKEN, DRIVE, 'link-1MiB.bin');
  const samples = noSamples();
  for (let i = 0; i < runs; i++) {
    ctx.progress(`download: a 1 MiB file through the ${profile.label} link, run ${i + 1}/${runs}`);
    if (i % 2 === 0) {
      await measureOurs(ctx, sim, link, file, samples);
      await measureCurl(sim, link, file, samples);
    } else {
      await measureCurl(sim, link, file, samples);
      await measureOurs(ctx, sim, link, file, samples);
    }
  }
  const seconds = (perGiB: number[]) => perGiB.map((value) => value * (file.size / GiB));
  return {
    case: 'download',
    metric: `link ${profile.rateBitsPerSecond / 1e6} Mbit/s: CPU of a 1 MiB download`,
    unit: 's',
    runs: seconds(samples.oursCpuPerGiB),
    reference: samples.curlCpuPerGiB.length > 0 ? { label: 'curl', runs: seconds(samples.curlCpuPerGiB) } : null,
    note: 'information: what a download costs besides its bytes (ours in a fresh process: first compilation, TLS, job, journal)',
  };
}

/** Every profile: its own link in front of the simulator, sides alternating. */
export async function measureLinks(ctx: BenchContext, runs: number): Promise<Measurement[]> {
  const sim = await startSimulator({ scenario, quiet: true });
  const closeSim = onCleanup(() => sim.close());
  try {
    sim.setDownloads({ mode: 'direct', contentLength: true });
    const target = new URL(sim.urls.api);
    const out: Measurement[] = [];
    let warm = false;
    for (const profile of PROFILES) {
      const link = await startLink(ctx.root, {
        target: { host: target.hostname, port: Number(target.port) },
        rateBitsPerSecond: profile.rateBitsPerSecond,
        rttMs: profile.rttMs,
      });
      try {
        const file = await benchFile(sim.env(), TOKEN, DRIVE, profile.file);
        const sides = [
          (into: Samples | null) => measureOurs(ctx, sim, link, file, into),
          (into: Samples | null) => measureCurl(sim, link, file, into),
        ];
        if (!warm) {
          ctx.progress(`download: ${profile.label} through the link, warm-up (not measured)`);
          for (const side of sides) await side(null);
          warm = true;
        }
        const samples = noSamples();
        for (let i = 0; i < runs; i++) {
          ctx.progress(`download: ${profile.label} through the link, run ${i + 1}/${runs}`);
          for (let k = 0; k < sides.length; k++) {
            spawnSync('sync');
            await sides[(i + k) % sides.length]!(samples);
          }
        }
        out.push(...rows(profile, samples));
        if (profile === PROFILES.at(-1)) out.push(await fixedCost(ctx, sim, link, profile, runs));
      } finally {
        await link.close();
      }
    }
    return out;
  } finally {
    await closeSim();
  }
}
