/**
 * Runs once before the end-to-end tests (issue 20.8): bundles the browser host (`main/host/cli.ts`)
 * into `out/e2e-host/cli.mjs` with esbuild, the compiler tsx uses file by file, so that each test's
 * host starts in plain Node, for some 70 hosts a run. Its packages are bundled too: resolving and
 * loading them from node_modules one module at a time was half of a host's start (0.57–0.72 s to
 * its first line with them outside the bundle, 0.30–0.35 s inside; 1.3 s through tsx). The app's
 * own build keeps them outside (electron-vite); `build-output.spec.ts` tests that bundle.
 * The bundle sits two folders below the project, like `main/host/`, so the host finds the project
 * (the built renderer, package.json) as it does from source; the download thread's script is
 * bundled beside it, where `direct-wire.ts` looks for it. `startHost` uses it through POWERON_E2E_HOST.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export default async function globalSetup(): Promise<void> {
  const dir = join(process.cwd(), 'out', 'e2e-host');
  mkdirSync(dir, { recursive: true });
  // Two entries, as electron-vite builds them: the host, and the download thread's script beside it
  // (`direct-wire.ts` loads './direct-worker.mjs' next to its own code), each with what it imports.
  await build({
    entryPoints: { cli: 'main/host/cli.ts', 'direct-worker': 'main/infomaniak/direct-worker.mjs' },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Electron never loads in the browser host; ws's optional native helpers are not installed.
    external: ['electron', 'bufferutil', 'utf-8-validate'],
    // Packages written as CommonJS call require(): give the ES module bundle one.
    banner: {
      js: "import { createRequire as __e2eCreateRequire } from 'node:module'; const require = __e2eCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const outfile = join(dir, 'cli.mjs');
  process.env.POWERON_E2E_HOST = outfile;
}
