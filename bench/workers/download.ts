/**
 * One download through the app's real code path, in a process of its own so that its memory can be
 * measured: the client built like main/app.ts, KdriveAdapter (listing the parent folder first, as
 * the tree would, then `job()`), and TransferManager (→ file-writer: .part, resume, size check).
 *
 *   BENCH_TOKEN=… INFOMANIAK_API_URL=… NODE_EXTRA_CA_CERTS=… \
 *     node --expose-gc --import tsx bench/workers/download.ts '<json WorkerInput>'
 *
 * The last stdout line is `RESULT <json WorkerOutput>`. Every fetch of the item is wrapped to count
 * the bytes it delivered, so bytes fetched twice after a reset can be told.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { KdriveAdapter } from '../../main/sources/kdrive';
import { parseId } from '../../main/sources/ids';
import type { AdapterContext } from '../../main/sources/types';
import type { SourceNode } from '../../shared/model/sources';
import { TransferManager } from '../../main/transfers/manager';
import type { DownloadJob } from '../../main/transfers/types';
import type { DownloadFolder, DownloadItem } from '../../main/localfs/types';
import { appClient } from '../lib/api';

export interface WorkerInput {
  driveId: number;
  folderId: number;
  fileId: number;
  targetDir: string;
  dataDir: string;
  /** Memory samples every this many ms while downloading; 0: none (VmHWM only). */
  sampleMs: number;
}

export interface Attempt {
  /** Range start asked for (0: whole file). */
  start: number;
  status: number;
  /** Bytes this response's body delivered to the writer. */
  received: number;
}

export interface WorkerOutput {
  state: string;
  error: string | null;
  bytes: number;
  size: number | null;
  ms: number;
  resumes: number;
  attempts: Attempt[];
  targetPath: string | null;
  rss: { baseline: number; peak: number; peakSource: 'VmHWM' | 'samples'; samples: number };
  heapPeak: number;
  externalPeak: number;
  /** CPU of the whole process (every thread: main, the download thread, the thread pool) during the transfer, s. */
  cpuSeconds: number;
  /** Event-loop utilisation of the main thread (Electron's main thread in the app) during the transfer, 0–1. */
  mainElu: number;
  /** CPU seconds per thread name during the transfer (Linux `/proc/self/task`; empty elsewhere). */
  threads: Record<string, number>;
  log: string[];
}

/** CPU ticks (user + system) of each thread of this process by thread id, with its name (Linux only). */
function threadTicks(): Map<string, { name: string; ticks: number }> {
  const out = new Map<string, { name: string; ticks: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // pid (comm) state … utime stime at fields 14 and 15; comm may hold spaces, so split after ')'.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Node names every thread "node": the main thread is told by its id (the process id).
      const label = tid === String(process.pid) ? 'main' : name.startsWith('node') ? `thread ${tid}` : name;
      out.set(tid, { name: label, ticks: Number(fields[11]) + Number(fields[12]) });
    }
  } catch {
    // Not Linux, or a thread ended while being read: no breakdown.
  }
  return out;
}

/** CPU seconds per thread name between two `threadTicks()` readings (the kernel counts in 1/100 s). */
function threadSeconds(
  before: Map<string, { name: string; ticks: number }>,
  after: Map<string, { name: string; ticks: number }>,
) {
  const out: Record<string, number> = {};
  for (const [tid, now] of after) {
    const used = (now.ticks - (before.get(tid)?.ticks ?? 0)) / 100;
    if (used > 0) out[now.name] = Math.round(((out[now.name] ?? 0) + used) * 100) / 100;
  }
  return out;
}

/**
 * Waits until no thread of this process but main used CPU for 200 ms (at most 5 s). A user starts a
 * download in an app that has been idle for a while; this process has just started, and V8 goes on
 * compiling the start-up's hot code on its background threads for a second or so: without the
 * wait, the download's meter counted that too (0.05–0.12 s of a 1 MiB download's 0.14–0.19 s).
 */
async function settle(): Promise<void> {
  const busy = () => {
    let ticks = 0;
    for (const [tid, thread] of threadTicks()) if (tid !== String(process.pid)) ticks += thread.ticks;
    return ticks;
  };
  let before = busy();
  for (let waited = 0; waited < 5000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = busy();
    if (now === before) return;
    before = now;
  }
}

/** CPU and main-thread event-loop use from now until `stop()` (called once, when the transfer is over). */
function startCpuMeter() {
  const ticks = threadTicks();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  let result: { cpuSeconds: number; mainElu: number; threads: Record<string, number> } | null = null;
  return {
    stop(): { cpuSeconds: number; mainElu: number; threads: Record<string, number> } {
      if (!result) {
        const used = process.cpuUsage(cpu);
        const loop: EventLoopUtilization = performance.eventLoopUtilization(elu);
        const threads = threadSeconds(ticks, threadTicks());
        result = { cpuSeconds: (used.user + used.system) / 1e6, mainElu: loop.utilization, threads };
      }
      return result;
    },
  };
}

function vmHwm(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets the kernel's peak-RSS mark (Linux: "5" to clear_refs), so VmHWM covers the download only. */
function resetHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function countingJob(job: DownloadJob, attempts: Attempt[]): DownloadJob {
  async function* items(): AsyncIterable<DownloadItem | DownloadFolder> {
    for await (const item of job.items) {
      if (!('fetch' in item) || !item.fetch) {
        yield item;
        continue;
      }
      const fetch = item.fetch;
      yield {
        ...item,
        fetch: async (request) => {
          const response = await fetch(request);
          const attempt: Attempt = { start: request.start ?? 0, status: response.status, received: 0 };
          attempts.push(attempt);
          const body = response.body;
          return {
            status: response.status,
            totalSize: response.totalSize,
            offset: response.offset,
            etag: response.etag,
            lastModified: response.lastModified,
            contentType: response.contentType,
            cancel: () => response.cancel(),
            ...(response.sink
              ? {
                  sink: (fd: number, position: number, onProgress: (written: number) => void) => {
                    // Written into the file by the client: counted from its running totals.
                    const sunk = response.sink?.(fd, position, (written) => {
                      attempt.received = written;
                      onProgress(written);
                    });
                    return sunk?.then((written) => (attempt.received = written)) ?? null;
                  },
                }
              : {}),
            body: {
              async *[Symbol.asyncIterator]() {
                for await (const chunk of body) {
                  attempt.received += chunk.byteLength;
                  yield chunk;
                }
              },
            },
          };
        },
      };
    }
  }
  return { ...job, items: items() };
}

/** The bench connection's adapter context, and the file's node (its folder listed first, as the tree does). */
async function listFile(input: WorkerInput, client: AdapterContext['client'], adapter: KdriveAdapter) {
  const nodes = new Map<string, SourceNode>();
  const ctx: AdapterContext = {
    connectionId: 'bench',
    serviceNodeId: 'conn:bench/kdrive',
    client,
    settings: DEFAULT_SETTINGS,
    language: 'en',
    lookup: (id) => nodes.get(id),
    signal: new AbortController().signal,
    now: () => Date.now(),
  };
  const driveNodeId = `conn:bench/kdrive/drive:${input.driveId}`;
  const parentId = `${driveNodeId}/f:${input.folderId}`;
  const parent = parseId(parentId);
  if (!parent) throw new Error('bad parent id');
  // List the parent folder first, as the tree does before a download starts.
  for await (const page of adapter.list(ctx, parent, parentId)) for (const node of page.nodes) nodes.set(node.id, node);
  const nodeId = `${driveNodeId}/f:${input.fileId}`;
  const node = nodes.get(nodeId);
  if (!node) throw new Error(`file ${input.fileId} not listed in folder ${input.folderId}`);
  return { ctx, nodeId, node };
}

/**
 * Samples memory every `sampleMs` from a baseline taken after two GCs; `stop()` adds the kernel's
 * peak RSS mark (VmHWM, reset at the start) where Linux offers it.
 */
function startMemorySampler(sampleMs: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const baseline = process.memoryUsage.rss();
  const hwmReset = resetHwm();
  let sampledPeak = baseline;
  let heapPeak = 0;
  let externalPeak = 0;
  let samples = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    samples += 1;
    sampledPeak = Math.max(sampledPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
    externalPeak = Math.max(externalPeak, usage.external + usage.arrayBuffers);
  };
  // 0: no samples while downloading (the link rows, which report no memory; the samples are work
  // on the main thread that the app does not do), only the kernel's peak mark.
  const timer = sampleMs > 0 ? setInterval(sample, sampleMs) : undefined;
  return {
    stop(): Pick<WorkerOutput, 'rss' | 'heapPeak' | 'externalPeak'> {
      clearInterval(timer);
      sample();
      const hwm = hwmReset ? vmHwm() : null;
      const peak = hwm !== null ? Math.max(hwm, sampledPeak) : sampledPeak;
      return {
        rss: { baseline, peak, peakSource: hwm !== null ? 'VmHWM' : 'samples', samples },
        heapPeak,
        externalPeak,
      };
    },
  };
}

async function main(): Promise<WorkerOutput> {
  const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
  const token = process.env['BENCH_TOKEN'];
  if (!token) throw new Error('BENCH_TOKEN is not set');
  const client = appClient(process.env, token);
  const adapter = new KdriveAdapter();
  const { ctx, nodeId, node } = await listFile(input, client, adapter);

  const attempts: Attempt[] = [];
  const log: string[] = [];
  let meter: ReturnType<typeof startCpuMeter> | null = null;
  // The manager's clock with sub-millisecond resolution: the transfer's createdAt and finishedAt.
  const clock = () => performance.timeOrigin + performance.now();
  const manager = new TransferManager({
    now: clock,
    dataDir: input.dataDir,
    resolve: async ({ id }, mode) => {
      const parsed = parseId(id);
      if (!parsed) throw new Error('bad node id');
      return countingJob(await adapter.job(ctx, parsed, id, mode), attempts);
    },
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    concurrency: DEFAULT_SETTINGS.concurrency,
    // The meters stop with the first change batch that shows the transfer finished (read from the
    // batch itself: listing every transfer ten times a second is work the app does not do).
    onChange: (changes) => {
      if (meter && changes.changed.some((t) => t.finishedAt !== undefined)) meter.stop();
    },
    log: (line) => log.push(line),
  });

  await settle();
  const sampler = startMemorySampler(input.sampleMs);
  meter = startCpuMeter();
  const start = clock();
  const [id] = await manager.start({ nodeIds: [nodeId], folderMode: 'files', targetDir: input.targetDir });
  await manager.idle();
  const memory = sampler.stop();
  const { cpuSeconds, mainElu, threads } = meter.stop();

  const transfer = manager.list().find((t) => t.id === id);
  // Start → the transfer finished (file placed, state final). Not → idle(): idle() also waits for
  // the change notifier's next batch (the UI's 10-per-second pacing, up to 100 ms after the end).
  const ms = (transfer?.finishedAt ?? clock()) - start;
  await manager.dispose();
  await client.close();
  return {
    state: transfer?.state ?? 'missing',
    error: transfer?.error ? `${transfer.error.code}: ${transfer.error.message}` : null,
    bytes: transfer?.bytesDone ?? 0,
    size: node.size ?? null,
    ms,
    resumes: transfer?.resumes ?? 0,
    attempts,
    targetPath: transfer?.targetPath ?? null,
    ...memory,
    cpuSeconds,
    mainElu,
    threads,
    log: log.slice(-20),
  };
}

main().then(
  (output) => {
    process.stdout.write(`RESULT ${JSON.stringify(output)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(
      `download worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
