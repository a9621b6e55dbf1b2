#!/usr/bin/env node
// Runs after `npm install`. Electron >= 42 no longer downloads its binary in an install script: it
// fetches it on first use. npm 11 may also skip dependency install scripts that are not allowed.
// So we fetch the binary here, once, so a user's `npm install` ends with a working Electron.
// It never fails the install: on CI, offline machines or with ELECTRON_SKIP_BINARY_DOWNLOAD=1 it
// only says how to get the binary later (`npx install-electron`); tests never need it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const skip = process.env.CI || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.POWERON_SKIP_ELECTRON;

let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0); // production install without devDependencies
}

const pathFile = join(electronDir, 'path.txt');
const installed = existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
if (installed) process.exit(0);

if (skip) {
  console.log(
    '[poweron] Electron binary not downloaded (CI or ELECTRON_SKIP_BINARY_DOWNLOAD). Run `npx install-electron` before `npm start`.',
  );
  process.exit(0);
}

console.log('[poweron] Downloading the Electron binary (one time)…');
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: 'inherit',
  timeout: 10 * 60_000,
});
if (result.status !== 0) {
  console.warn('[poweron] Could not download Electron now. `npm start` will try again, or run `npx install-electron`.');
}
process.exit(0);
