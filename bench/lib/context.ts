/** What every bench case gets from the runner, and what it returns. */
import type { Simulator } from '../../simulator/index';
import type { Measurement } from '../stats';

export interface BenchContext {
  /** Project root (the folder with package.json). */
  root: string;
  /** The shared `scale` simulator, started on first use; latency and faults are reset between cases. */
  scale(): Promise<Simulator>;
  /** Runs per side for a case: its default unless `--runs N` was given. */
  runs(defaultRuns: number): number;
  /** A progress line on stderr (the table goes to stdout). */
  progress(line: string): void;
}

export interface BenchCase {
  /** Short id used by `--only` and in results.json. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}

/** Resets what a case may have changed on the shared simulator. */
export function resetSimulator(sim: Simulator): void {
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  sim.setFaults(null);
  sim.setDownloads({ mode: 'direct', contentLength: true });
  sim.log.reset();
}

export const SCALE_TOKEN = 'scale-token';
export const SCALE_DRIVE = 9001;
