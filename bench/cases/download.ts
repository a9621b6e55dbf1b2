/**
 * download: `/Common documents/Bench/big-1GiB.bin` (scale scenario, direct downloads).
 * Ours: the app's path (client + KdriveAdapter.job + TransferManager/file-writer, with its xxh3
 * check) in a worker process; throughput = bytes / (transfer start → idle), RSS growth = peak RSS
 * while downloading − RSS just before (kernel VmHWM, reset at the start, plus 50 ms samples).
 * Reference: `curl` of the same URL, throughput = size_download / time_total. Sides alternate;
 * files are deleted after each run. Targets: ours ≥ 0.8 × curl; RSS growth < 100 MB in every run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appClient, benchFile } from '../lib/api';
import { SCALE_DRIVE, SCALE_TOKEN, resetSimulator } from '../lib/context';
import type { BenchCase } from '../lib/context';
import { curlDownload, runWorker, workerInput } from '../lib/download';
import { removeTempDir, tempDir } from '../lib/resources';
import type { Measurement } from '../stats';

const MiB = 1024 * 1024;
const MB = 1_000_000;
const RUN_TIMEOUT_MS = 5 * 60_000;

export const downloadCase: BenchCase = {
  name: 'download',
  title: '1 GiB download: throughput against curl, memory',
  async run(ctx) {
    const sim = await ctx.scale();
    resetSimulator(sim);
    sim.setDownloads({ mode: 'direct', contentLength: true });
    const { fileId, size, folderId } = await benchFile(sim.env(), SCALE_TOKEN, SCALE_DRIVE, 'big-1GiB.bin');
    // The simulator computes a file's xxh3 on the first /hash request (seconds for 1 GiB) and caches
    // it; Infomaniak stores hashes. Ask once here so run 1 of ours does not pay a simulator artefact.
    const warm = appClient(sim.env(), SCALE_TOKEN);
    try {
      await warm.get('api', `/2/drive/${SCALE_DRIVE}/files/${fileId}/hash`);
    } finally {
      await warm.close();
    }

    const runs = ctx.runs(5);
    const ours: number[] = [];
    const curl: number[] = [];
    const growth: number[] = [];
    const oursMaxRss: number[] = [];
    const curlMaxRss: number[] = [];
    const seconds: number[] = [];

    const measureCurl = async () => {
      const dir = tempDir('curl');
      try {
        const result = await curlDownload(
          sim,
          SCALE_TOKEN,
          SCALE_DRIVE,
          fileId,
          join(dir, 'big.bin'),
          dir,
          RUN_TIMEOUT_MS,
        );
        if (result.bytes !== size) throw new Error(`curl got ${result.bytes} of ${size} bytes`);
        curl.push(result.bytes / MiB / (result.ms / 1000));
        if (result.timeMaxRss !== null) curlMaxRss.push(result.timeMaxRss / MB);
      } finally {
        removeTempDir(dir);
      }
    };
    const measureOurs = async () => {
      const dir = tempDir('download');
      try {
        const result = await runWorker(
          ctx.root,
          sim,
          SCALE_TOKEN,
          workerInput(dir, SCALE_DRIVE, folderId, fileId),
          RUN_TIMEOUT_MS,
        );
        if (result.state !== 'done' || result.bytes !== size) {
          throw new Error(
            `download ended ${result.state} with ${result.bytes} of ${size} bytes: ${result.error ?? ''}`,
          );
        }
        ours.push(result.bytes / MiB / (result.ms / 1000));
        seconds.push(result.ms / 1000);
        growth.push((result.rss.peak - result.rss.baseline) / MB);
        if (result.timeMaxRss !== null) oursMaxRss.push(result.timeMaxRss / MB);
      } finally {
        removeTempDir(dir);
      }
    };

    // Each side starts with the previous side's 1 GiB already written back to disk, so neither pays
    // for the other's dirty pages.
    const settle = () => {
      spawnSync('sync');
    };
    try {
      // One untimed round of each side first: the first 1 GiB written on this VM is markedly slower
      // (page cache growth) for whichever side comes first, and the simulator's content path warms up.
      ctx.progress('download: warm-up (not measured)');
      const keep = { ours: ours.length, curl: curl.length, growth: growth.length, seconds: seconds.length };
      settle();
      await measureOurs();
      settle();
      await measureCurl();
      ours.length = keep.ours;
      curl.length = keep.curl;
      growth.length = keep.growth;
      seconds.length = keep.seconds;
      oursMaxRss.length = 0;
      curlMaxRss.length = 0;
      for (let i = 0; i < runs; i++) {
        ctx.progress(`download: run ${i + 1}/${runs}`);
        if (i % 2 === 0) {
          settle();
          await measureOurs();
          settle();
          await measureCurl();
        } else {
          settle();
          await measureCurl();
          settle();
          await measureOurs();
        }
      }
    } finally {
      resetSimulator(sim);
    }

    const rows: Measurement[] = [
      {
        case: 'download',
        metric: '1 GiB throughput',
        unit: 'MiB/s',
        runs: ours,
        reference: { label: 'curl, same simulator', runs: curl },
        target: { subject: 'ratio', op: '>=', threshold: 0.8, text: '≥ 0.8 × curl' },
        note: `ours includes listing the folder, the hash request and the xxh3 check; ${seconds.map((s) => s.toFixed(1)).join(', ')} s`,
      },
      {
        case: 'download',
        metric: 'RSS growth while downloading',
        unit: 'MB',
        runs: growth,
        target: { subject: 'every', op: '<', threshold: 100, text: '< 100 MB in every run' },
        note: 'peak RSS during the transfer (kernel VmHWM reset at start, and 50 ms samples) − RSS before',
      },
    ];
    if (oursMaxRss.length > 0) {
      rows.push({
        case: 'download',
        metric: 'max RSS, whole process',
        unit: 'MB',
        runs: oursMaxRss,
        reference: curlMaxRss.length > 0 ? { label: 'curl', runs: curlMaxRss } : null,
        note: '/usr/bin/time -v; ours includes Node, tsx and start-up',
      });
    }
    return rows;
  },
};
