#!/usr/bin/env node
// Makes sure the Electron binary is there. Electron >= 42 no longer downloads it in an install
// script (it fetches it on first use, and that path fails inside `electron-vite preview` with
// "Error: Electron uninstall"); npm 11 may also skip dependency install scripts.
//
//   node scripts/ensure-electron.mjs           `postinstall`: fetch once; never fails the install,
//                                              skipped on CI or with ELECTRON_SKIP_BINARY_DOWNLOAD=1
//   node scripts/ensure-electron.mjs --start   `prestart`: fetch it now, or stop `npm start` with
//                                              exactly what to run (exit 1)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FETCH_BY_HAND = 'npx install-electron';

/**
 * What to do, from the facts alone (no file system, no network), so it can be tested.
 * @param {{ installed: boolean, mode: 'install' | 'start', env: Record<string, string | undefined> }} facts
 * @returns {{ action: 'none' | 'download' | 'skip' | 'refuse', message?: string }}
 */
export function decide({ installed, mode, env }) {
  if (installed || env.ELECTRON_OVERRIDE_DIST_PATH) return { action: 'none' };
  const downloadsOff = env.ELECTRON_SKIP_BINARY_DOWNLOAD || env.POWERON_SKIP_ELECTRON;
  if (mode === 'install') {
    if (env.CI || downloadsOff)
      return {
        action: 'skip',
        message: `[poweron] Electron binary not downloaded (CI or ELECTRON_SKIP_BINARY_DOWNLOAD). Run \`${FETCH_BY_HAND}\` before \`npm start\`.`,
      };
    return { action: 'download' };
  }
  if (downloadsOff)
    return {
      action: 'refuse',
      message: `[poweron] The Electron binary is missing and downloads are turned off (ELECTRON_SKIP_BINARY_DOWNLOAD or POWERON_SKIP_ELECTRON). Run \`${FETCH_BY_HAND}\` once, then \`npm start\` again.`,
    };
  return { action: 'download' };
}

/** The message after a failed download, per mode. */
export function downloadFailed(mode) {
  return mode === 'install'
    ? `[poweron] Could not download Electron now. \`npm start\` will try again, or run \`${FETCH_BY_HAND}\`.`
    : `[poweron] Could not download the Electron binary. Check the network (or set ELECTRON_MIRROR), run \`${FETCH_BY_HAND}\`, then \`npm start\` again.`;
}

function electronDirectory() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null; // production install without devDependencies
  }
}

function isInstalled(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
}

function main() {
  const mode = process.argv.includes('--start') ? 'start' : 'install';
  const electronDir = electronDirectory();
  if (!electronDir) process.exit(mode === 'start' ? 1 : 0);
  const decision = decide({ installed: isInstalled(electronDir), mode, env: process.env });
  if (decision.action === 'none') process.exit(0);
  if (decision.action === 'skip' || decision.action === 'refuse') {
    (decision.action === 'refuse' ? console.error : console.log)(decision.message);
    process.exit(decision.action === 'refuse' ? 1 : 0);
  }
  console.log('[poweron] Downloading the Electron binary (one time)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
  const ok = result.status === 0 && isInstalled(electronDir);
  if (!ok) (mode === 'start' ? console.error : console.warn)(downloadFailed(mode));
  process.exit(ok || mode === 'install' ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
