/**
 * reset: `/Common documents/Bench/reset-60.bin` (64 MiB; the simulator resets the connection at
 * 60 % of the body, once per `setFaults(null)`, which re-arms it before every run). Downloaded
 * through the app's path (worker process). Checks: the transfer completes by resuming (state done,
 * ≥ 1 resume, the next request asks for a Range); sha256 of the result equals the source's (fetched
 * once with curl while the fault is off); bytes fetched twice = bytes delivered over all attempts −
 * file size (target ≤ 1 MiB). Also reported: bytes the server sent twice, i.e. the reset point minus
 * where the resume started (lost in flight when the connection was reset).
 */
import { join } from 'node:path';
import { benchFile } from '../lib/api';
import { SCALE_DRIVE, SCALE_TOKEN, resetSimulator } from '../lib/context';
import type { BenchCase } from '../lib/context';
import { curlDownload, runWorker, sha256File, workerInput } from '../lib/download';
import { removeTempDir, tempDir } from '../lib/resources';

const KiB = 1024;
const RUN_TIMEOUT_MS = 2 * 60_000;
const RESET_SHARE = 0.6;

export const resetCase: BenchCase = {
  name: 'reset',
  title: 'Download reset at 60 %: resume, integrity, bytes fetched twice',
  async run(ctx) {
    const sim = await ctx.scale();
    resetSimulator(sim);
    sim.setDownloads({ mode: 'direct', contentLength: true });
    const { fileId, size, folderId } = await benchFile(sim.env(), SCALE_TOKEN, SCALE_DRIVE, 'reset-60.bin');
    // The simulator's reset point for "60%" (floor of the share, see its README).
    const resetAt = Math.floor(RESET_SHARE * size);

    const completed: number[] = [];
    const resumes: number[] = [];
    const same: number[] = [];
    const twice: number[] = [];
    const resent: number[] = [];
    try {
      // The source's sha256, fetched once with the fault switched off.
      const refDir = tempDir('reset-ref');
      let source: string;
      try {
        sim.setFaults({ scenarioFaults: false });
        const out = join(refDir, 'source.bin');
        const ref = await curlDownload(sim, SCALE_TOKEN, SCALE_DRIVE, fileId, out, refDir, RUN_TIMEOUT_MS);
        if (ref.bytes !== size) throw new Error(`reference copy has ${ref.bytes} of ${size} bytes`);
        source = await sha256File(out);
      } finally {
        removeTempDir(refDir);
      }

      const runs = ctx.runs(5);
      for (let i = 0; i < runs; i++) {
        ctx.progress(`reset: run ${i + 1}/${runs}`);
        sim.setFaults(null); // re-arms the scenario's reset-once fault
        const dir = tempDir('reset');
        try {
          const result = await runWorker(
            ctx.root,
            sim,
            SCALE_TOKEN,
            workerInput(dir, SCALE_DRIVE, folderId, fileId),
            RUN_TIMEOUT_MS,
          );
          const resumedWithRange = result.attempts.length >= 2 && result.attempts.slice(1).every((a) => a.start > 0);
          const ok = result.state === 'done' && result.resumes >= 1 && resumedWithRange;
          completed.push(ok ? 1 : 0);
          resumes.push(result.resumes);
          const hash = result.state === 'done' && result.targetPath ? await sha256File(result.targetPath) : null;
          same.push(hash === source ? 1 : 0);
          const delivered = result.attempts.reduce((sum, a) => sum + a.received, 0);
          twice.push((delivered - size) / KiB);
          const second = result.attempts[1];
          if (second) resent.push(Math.max(0, resetAt - second.start) / KiB);
          if (!ok) {
            ctx.progress(
              `reset: run ${i + 1} ended ${result.state}, ${result.resumes} resumes, attempts ${JSON.stringify(result.attempts)} ${result.error ?? ''}`,
            );
          }
        } finally {
          removeTempDir(dir);
        }
      }
    } finally {
      resetSimulator(sim);
    }

    return [
      {
        case: 'reset',
        metric: 'completed by resuming (1=yes)',
        unit: '',
        runs: completed,
        target: { subject: 'every', op: '==', threshold: 1, text: 'every run' },
        note: `resumes per run: ${resumes.join(', ')}`,
      },
      {
        case: 'reset',
        metric: 'sha256 equals source (1=yes)',
        unit: '',
        runs: same,
        target: { subject: 'every', op: '==', threshold: 1, text: 'every run' },
      },
      {
        case: 'reset',
        metric: 'bytes fetched twice',
        unit: 'KiB',
        runs: twice,
        target: { subject: 'every', op: '<=', threshold: 1024, text: '≤ 1 MiB (≈ 0) every run' },
        note: 'bytes delivered to the writer over all attempts − file size',
      },
      {
        case: 'reset',
        metric: 'bytes the server sent twice',
        unit: 'KiB',
        runs: resent,
        note: 'reset point − Range start of the resume: in flight when the connection dropped',
      },
    ];
  },
};
