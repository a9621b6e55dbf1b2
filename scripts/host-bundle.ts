/**
 * The browser host (`main/host/cli.ts`) bundled into one file with esbuild (the compiler tsx uses
 * file by file), for the tests that start it as a process: the e2e suite (some 70 hosts a run,
 * `e2e/global-setup.ts`) and the unit tests of the real command line and the abuse suites
 * (`scripts/vitest-setup.ts`). A host then starts in plain Node: 0.38 CPU-s to its first line,
 * against 1.7–2.0 through tsx (measured with a cpuacct cgroup around `node … --help`). Its packages
 * are bundled too: loading them from node_modules one module at a time was half of a host's start.
 * The app's own build keeps them outside (electron-vite); `e2e/build-output.spec.ts` tests that one.
 *
 * `dir` must sit two folders below the project (`out/<name>/`), like `main/host/`, so the host
 * finds the project (the built renderer, package.json) as it does from source; the download
 * thread's script is bundled beside it, where `direct-wire.ts` looks for it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** What tests read to start the bundled host: the path of its `cli.mjs` (unset: run the sources through tsx). */
export const HOST_BUNDLE_ENV = 'POWERON_HOST_BUNDLE';

/** Bundles the host into `dir`; returns the path of the file to run with `node`. */
export async function bundleHost(dir: string): Promise<string> {
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
      js: "import { createRequire as __hostCreateRequire } from 'node:module'; const require = __hostCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return join(dir, 'cli.mjs');
}
