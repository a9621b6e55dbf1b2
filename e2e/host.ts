/**
 * Starts the browser host (`main/host/cli.ts`) as its own process with a fresh data folder, and
 * stops it. Everything it logs goes to a log file the tests can read. Under Playwright it runs the
 * bundle that e2e/global-setup.ts built from the same sources.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_BUNDLE_ENV } from '../scripts/host-bundle';

export interface HostOptions {
  dataDir?: string;
  downloadsDir?: string;
  lang?: 'en' | 'de';
  demo?: boolean;
  env?: Record<string, string>;
  /** Project folder to run from (default: the current directory). */
  cwd?: string;
}

export interface RunningHost {
  url: string;
  origin: string;
  dataDir: string;
  downloadsDir: string;
  logFile: string;
  log(): string;
  /** Kills the host at once (SIGKILL: no shutdown code runs), like a crash or `kill -9`. */
  kill(): Promise<void>;
  /** Stops the host; with `remove`, also deletes its temporary folder (data, downloads, log). */
  stop(options?: { remove?: boolean }): Promise<void>;
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const root = mkdtempSync(join(tmpdir(), 'poweron-e2e-'));
  const dataDir = options.dataDir ?? join(root, 'data');
  const downloadsDir = options.downloadsDir ?? join(root, 'downloads');
  mkdirSync(downloadsDir, { recursive: true });
  const logFile = join(root, 'host.log');
  // The host bundled once for the run (e2e/global-setup.ts), or the sources through tsx (the bench,
  // or another project folder).
  const bundle = options.cwd === undefined ? process.env[HOST_BUNDLE_ENV] : undefined;
  const args = [
    ...(bundle ? [bundle] : ['--import', 'tsx', 'main/host/cli.ts']),
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--downloads-dir',
    downloadsDir,
    '--log-file',
    logFile,
    '--quiet',
  ];
  if (options.lang) args.push('--lang', options.lang);
  if (options.demo) args.push('--demo');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, LANG: 'en_US.UTF-8', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stopping = false;
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code, signal) => {
    // A host that dies on its own is a bug: say so loudly in the test output.
    if (!stopping)
      process.stderr.write(`\n[e2e] host exited unexpectedly (code ${code}, signal ${signal})\n${stderr}\n`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start in time\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^host: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    downloadsDir,
    logFile,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async kill() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    async stop(stopOptions = {}) {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      }
      if (stopOptions.remove) rmSync(root, { recursive: true, force: true });
    },
  };
}
