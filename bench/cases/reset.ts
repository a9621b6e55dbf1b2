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
import type { Simulator } from '../../simulator/index';
import { benchFile } from '../lib/api';
import { SCALE_DRIVE, SCALE_TOKEN, resetSimulator } from '../lib/context';
import type { BenchCase, BenchContext } from '../lib/context';
import { curlDownload, runWorker, sha256File, workerInput } from '../lib/download';
import { removeTempDir, tempDir } from '../lib/resources';
import type { Measurement } from '../stats';

const KiB = 1024;
const RUN_TIMEOUT_MS = 2 * 60_000;
const RESET_SHARE = 0.6;

interface ResetFile {
  fileId: number;
  size: number;
  folderId: number;
  /** The simulator's reset point for "60%" (floor of the share, see its README). */
  resetAt: number;
}

/** What the runs measured, one entry per run. */
interface ResetRuns {
  completed: number[];
  resumes: number[];
  same: number[];
  twice: number[];
  resent: number[];
}

export const resetCase: BenchCase = {
  name: 'reset',
  title: 'Download reset at 60 %: resume, integrity, bytes fetched twice',
  async run(ctx) {
    const sim = await ctx.scale();
    resetSimulator(sim);
    sim.setDownloads({ mode: 'direct', contentLength: true });
    const { fileId, size, folderId } = await benchFile(sim.env(), SCALE_TOKEN, SCALE_DRIVE, 'reset-60.bin');
    const file: ResetFile = { fileId, size, folderId, resetAt: Math.floor(RESET_SHARE * size) };
    const measured: ResetRuns = { completed: [], resumes: [], same: [], twice: [], resent: [] };
    try {
      const source = await sourceHash(sim, file);
      const runs = ctx.runs(5);
      for (let i = 0; i < runs; i++) {
        ctx.progress(`reset: run ${i + 1}/${runs}`);
        sim.setFaults(null); // re-arms the scenario's reset-once fault
        await measureRun(ctx, sim, file, source, i, measured);
      }
    } finally {
      resetSimulator(sim);
    }
    return rows(measured);
  },
};

/** The source's sha256, fetched once with curl while the fault is switched off. */
async function sourceHash(sim: Simulator, file: ResetFile): Promise<string> {
  const refDir = tempDir('reset-ref');
  try {
    sim.setFaults({ scenarioFaults: false });
    const out = join(refDir, 'source.bin');
    const ref = await curlDownload(sim, SCALE_TOKEN, SCALE_DRIVE, file.fileId, out, refDir, RUN_TIMEOUT_MS);
    if (ref.bytes !== file.size) throw new Error(`reference copy has ${ref.bytes} of ${file.size} bytes`);
    return await sha256File(out);
  } finally {
    removeTempDir(refDir);
  }
}

/** One download through the app's path (worker process), its figures added to `m`. */
async function measureRun(
  ctx: BenchContext,
  sim: Simulator,
  file: ResetFile,
  source: string,
  i: number,
  m: ResetRuns,
): Promise<void> {
  const dir = tempDir('reset');
  try {
    const result = await runWorker(
      ctx.root,
      sim,
      SCALE_TOKEN,
      workerInput(dir, SCALE_DRIVE, file.folderId, file.fileId),
      RUN_TIMEOUT_MS,
    );
    const resumedWithRange = result.attempts.length >= 2 && result.attempts.slice(1).every((a) => a.start > 0);
    const ok = result.state === 'done' && result.resumes >= 1 && resumedWithRange;
    m.completed.push(ok ? 1 : 0);
    m.resumes.push(result.resumes);
    const hash = result.state === 'done' && result.targetPath ? await sha256File(result.targetPath) : null;
    m.same.push(hash === source ? 1 : 0);
    const delivered = result.attempts.reduce((sum, a) => sum + a.received, 0);
    m.twice.push((delivered - file.size) / KiB);
    const second = result.attempts[1];
    if (second) m.resent.push(Math.max(0, file.resetAt - second.start) / KiB);
    if (!ok) {
      ctx.progress(
        `reset: run ${i + 1} ended ${result.state}, ${result.resumes} resumes, attempts ${JSON.stringify(result.attempts)} ${result.error ?? ''}`,
      );
    }
  } finally {
    removeTempDir(dir);
  }
}

function rows(m: ResetRuns): Measurement[] {
  return [
    {
      case: 'reset',
      metric: 'completed by resuming (1=yes)',
      unit: '',
      runs: m.completed,
      target: { subject: 'every', op: '==', threshold: 1, text: 'every run' },
      note: `resumes per run: ${m.resumes.join(', ')}`,
    },
    {
      case: 'reset',
      metric: 'sha256 equals source (1=yes)',
      unit: '',
      runs: m.same,
      target: { subject: 'every', op: '==', threshold: 1, text: 'every run' },
    },
    {
      case: 'reset',
      metric: 'bytes fetched twice',
      unit: 'KiB',
      runs: m.twice,
      target: { subject: 'every', op: '<=', threshold: 1024, text: '≤ 1 MiB (≈ 0) every run' },
      note: 'bytes delivered to the writer over all attempts − file size',
    },
    {
      case: 'reset',
      metric: 'bytes the server sent twice',
      unit: 'KiB',
      runs: m.resent,
      note: 'reset point − Range start of the resume: in flight when the connection dropped',
    },
  ];
}
