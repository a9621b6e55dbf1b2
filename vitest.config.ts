import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Speed (issue 20.8). Vitest's default isolation starts a fresh worker for every test file: on the
 * 2-core build machine that was most of the unit run (import and jsdom set-up per file, 2 of its
 * 4.7 minutes). Test files here build what they need in their own hooks, so most share a worker
 * (`isolate: false`). A file keeps a worker of its own when sharing would change what it tests:
 * - it replaces modules or globals (`vi.mock`, `vi.doMock`, `vi.stubGlobal`, `vi.stubEnv`,
 *   `vi.resetModules`): found by reading the files, so a new such file is isolated by itself;
 * - it measures its own process's memory (MEMORY below): the heap other files left is not its own.
 */
const NODE_TESTS = '{main,preload,shared,simulator,scripts,bench}/**/*.test.ts';
const WEB_TESTS = 'renderer/**/*.test.{ts,tsx}';
const REPLACES_MODULES = /\bvi\.(mock|doMock|unmock|doUnmock|stubGlobal|stubEnv|resetModules)\(/;
const MEMORY = ['main/transfers/scale.test.ts', 'simulator/tests/memory.test.ts'];

function testFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => join(dir, path).replaceAll('\\', '/'))
    .filter((path) => pattern.test(path) && !path.includes('node_modules'));
}
const ISOLATED = [
  ...MEMORY,
  ...['main', 'preload', 'shared', 'simulator', 'scripts', 'bench', 'renderer']
    .flatMap((dir) => testFiles(dir, /\.test\.tsx?$/))
    .filter((path) => REPLACES_MODULES.test(readFileSync(path, 'utf8'))),
];

// Time limits catch a hang, they measure nothing: some tests compute for seconds (250,000 cache
// entries, an 80,000-file walk), and two at a time on a loaded 2-core machine they took over 20 s.
const node = { environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } as const;
const web = { environment: 'jsdom' } as const;
const isWeb = (path: string) => path.startsWith('renderer/');

export default defineConfig({
  test: {
    // Tests wait on sockets, child processes and timers as much as they compute: two at a time on
    // two cores (Vitest's default here would be one).
    maxWorkers: 2,
    // The browser host bundled once, for the tests that start it as a process (scripts/vitest-setup.ts).
    globalSetup: ['scripts/vitest-setup.ts'],
    projects: [
      { test: { ...node, name: 'node', include: [NODE_TESTS], exclude: ISOLATED, isolate: false } },
      { test: { ...node, name: 'node-isolated', include: ISOLATED.filter((p) => !isWeb(p)), isolate: true } },
      { plugins: [react()], test: { ...web, name: 'web', include: [WEB_TESTS], exclude: ISOLATED, isolate: false } },
      ...(ISOLATED.some(isWeb)
        ? [
            {
              plugins: [react()],
              test: { ...web, name: 'web-isolated', include: ISOLATED.filter(isWeb), isolate: true },
            },
          ]
        : []),
    ],
  },
});
