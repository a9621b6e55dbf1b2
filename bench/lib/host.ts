/**
 * The browser host as a child process pointed at a simulator: the same starter the e2e tests use
 * (e2e/host.ts), registered with the bench's clean-up so it stops even when a case fails.
 */
import type { Simulator } from '../../simulator/index';
import { startHost as startE2eHost } from '../../e2e/host';
import { onCleanup } from './resources';

export interface BenchHost {
  url: string;
  stop(): Promise<void>;
}

export async function startHost(root: string, sim: Simulator): Promise<BenchHost> {
  const host = await startE2eHost({ lang: 'en', env: sim.env(), cwd: root });
  const stop = onCleanup(() => host.stop({ remove: true }));
  return { url: host.url, stop };
}
