#!/usr/bin/env node
// `npm run host -- [flags]`: builds the app (electron-vite; its output shown), then runs the browser
// host, main/host/cli.ts with tsx, with the same flags.
//
// With --sync-now the build is skipped: a headless sync serves no page and needs no renderer, and
// cron must see exactly one line on stdout. (npm prints its own "> poweron-sources host" banner
// on stdout; `npm run -s host -- --sync-now` drops it.) The host's exit code is passed on.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (!args.includes('--sync-now')) {
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build', '--silent'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/host/cli.ts'), ...args], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the host through the terminal's process group; other signals are passed on.
process.on('SIGINT', () => undefined);
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
