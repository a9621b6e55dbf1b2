/**
 * Everything the bench starts or creates is registered here, so that it is removed even when a case
 * fails or the run is interrupted: temporary folders, child processes (stopped by their own pid)
 * and closers (simulators, browsers).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = new Set<string>();
const children = new Set<ChildProcess>();
const closers = new Set<() => Promise<void>>();

/** A fresh temporary folder, removed by `cleanup()` (or earlier by `removeTempDir`). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `poweron-bench-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Registers an async closer; returns a function that runs it once and unregisters it. */
export function onCleanup(close: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = (): Promise<void> => {
    done ??= close().catch(() => undefined);
    closers.delete(once);
    return done;
  };
  closers.add(once);
  return once;
}

/** Spawns a tracked child process. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      children.delete(child);
      return resolve();
    }
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The JSON on a worker's last `RESULT <json>` stdout line; `what` names the worker in the error
 * when it failed or printed no result (with the end of its stderr).
 */
export function workerResult<T>(what: string, result: RunResult): T {
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (result.code !== 0 || !line) {
    throw new Error(`${what} exited with ${result.code ?? result.signal}: ${result.stderr.trim().slice(-1500)}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

/** Runs a command to its end, capturing stdout and stderr; rejects only if it cannot start or times out. */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawnTracked(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            void stopChild(child, 1000);
            reject(new Error(`${command} did not finish within ${options.timeoutMs} ms\n${stderr.slice(-2000)}`));
          }, options.timeoutMs)
        : null;
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Stops every tracked child, runs every closer, removes every temporary folder. */
export async function cleanup(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c, 2000)));
  for (const close of [...closers].reverse()) await close();
  for (const dir of [...dirs]) removeTempDir(dir);
}

/** Synchronous last resort (process exit): kill children by pid and remove folders. */
export function cleanupSync(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const dir of [...dirs]) {
    try {
      removeTempDir(dir);
    } catch {
      // best effort
    }
  }
}
