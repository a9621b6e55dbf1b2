/**
 * Vitest's global set-up (vitest.config.ts): bundles the browser host once per run into
 * `out/test-host/` (scripts/host-bundle.ts) for the unit tests that start it as a process
 * (`startHostProcess`, the `--sync-now` command line), and tells them where through the
 * environment, which the test workers inherit.
 */
import { join } from 'node:path';
import { HOST_BUNDLE_ENV, bundleHost } from './host-bundle';

export default async function setup(): Promise<void> {
  process.env[HOST_BUNDLE_ENV] = await bundleHost(join(process.cwd(), 'out', 'test-host'));
}
