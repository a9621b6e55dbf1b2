/**
 * Runs once before the end-to-end tests (issue 20.8): bundles the browser host into
 * `out/e2e-host/` (scripts/host-bundle.ts), so that each test's host starts in plain Node, for
 * some 70 hosts a run. `startHost` uses it through POWERON_HOST_BUNDLE.
 */
import { join } from 'node:path';
import { HOST_BUNDLE_ENV, bundleHost } from '../scripts/host-bundle';

export default async function globalSetup(): Promise<void> {
  process.env[HOST_BUNDLE_ENV] = await bundleHost(join(process.cwd(), 'out', 'e2e-host'));
}
