/**
 * Running downloads for the download and reset cases: the app's path in a worker process
 * (bench/workers/download.ts) and `curl` as the reference, both against the same simulator, both
 * optionally under `/usr/bin/time -v` for the kernel's maximum RSS.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index';
import type { WorkerInput, WorkerOutput } from '../workers/download';
import type { FloorOutput } from '../workers/tls-floor';
import { run, workerResult } from './resources';

const TIME = '/usr/bin/time';

let timeAvailable: boolean | null = null;
/** Whether GNU time (`/usr/bin/time -v`) can be used. */
export async function hasGnuTime(): Promise<boolean> {
  if (timeAvailable !== null) return timeAvailable;
  try {
    accessSync(TIME, constants.X_OK);
    const probe = await run(TIME, ['-v', 'true'], { timeoutMs: 10_000 });
    timeAvailable = probe.code === 0 && /Maximum resident set size/.test(probe.stderr);
  } catch {
    timeAvailable = false;
  }
  return timeAvailable;
}

/** User + system CPU seconds from `/usr/bin/time -v` output, or null. */
export function cpuFromTime(stderr: string): number | null {
  const user = /User time \(seconds\):\s*([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\):\s*([\d.]+)/.exec(stderr);
  return user && system ? Number(user[1]) + Number(system[1]) : null;
}

/** Maximum RSS in bytes from `/usr/bin/time -v` output, or null. */
export function maxRssFromTime(stderr: string): number | null {
  const match = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
  return match ? Number(match[1]) * 1024 : null;
}

export interface WorkerRun extends WorkerOutput {
  /** Whole-process maximum RSS from /usr/bin/time -v (includes start-up), when available. */
  timeMaxRss: number | null;
}

/** Downloads one file with the app's code in a child process; `apiUrl` replaces the simulator's api origin (the link emulator). */
export async function runWorker(
  root: string,
  sim: Simulator,
  token: string,
  input: WorkerInput,
  timeoutMs: number,
  apiUrl?: string,
): Promise<WorkerRun> {
  const node = [
    process.execPath,
    '--expose-gc',
    '--import',
    'tsx',
    join(root, 'bench', 'workers', 'download.ts'),
    JSON.stringify(input),
  ];
  const useTime = await hasGnuTime();
  const [command, ...args] = useTime ? [TIME, '-v', ...node] : node;
  const result = await run(command as string, args, {
    cwd: root,
    env: { ...process.env, ...sim.env(), ...(apiUrl ? { INFOMANIAK_API_URL: apiUrl } : {}), BENCH_TOKEN: token },
    timeoutMs,
  });
  const output = workerResult<WorkerOutput>('download worker', result);
  return { ...output, timeMaxRss: useTime ? maxRssFromTime(result.stderr) : null };
}

/** Node's receive floor (bench/workers/tls-floor.ts) for the same URL, in a process of its own. */
export async function runFloor(
  root: string,
  sim: Simulator,
  token: string,
  url: string,
  timeoutMs: number,
): Promise<FloorOutput> {
  const args = ['--import', 'tsx', join(root, 'bench', 'workers', 'tls-floor.ts'), url];
  const result = await run(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...sim.env(), BENCH_TOKEN: token },
    timeoutMs,
  });
  return workerResult<FloorOutput>('tls floor', result);
}

export interface CurlRun {
  ms: number;
  bytes: number;
  status: number;
  timeMaxRss: number | null;
  /** User + system CPU of the curl process (`/usr/bin/time -v`), when available. */
  cpuSeconds: number | null;
}

/** The direct download URL of a kDrive file on the simulator's api origin. */
export function downloadUrl(sim: Simulator, driveId: number, fileId: number): string {
  return `${sim.urls.api}/2/drive/${driveId}/files/${fileId}/download`;
}

/**
 * `curl` of a kDrive download against the simulator (downloads set to direct: the bytes come from
 * the api origin, so the token goes to that origin only and no redirect is followed); `via` moves
 * the URL to the link emulator's port.
 */
export async function curlDownload(
  sim: Simulator,
  token: string,
  driveId: number,
  fileId: number,
  output: string,
  headerDir: string,
  timeoutMs: number,
  via: (url: string) => string = (url) => url,
): Promise<CurlRun> {
  // The header comes from a file, so the token is not on a command line (ps) either.
  const headerFile = join(headerDir, 'auth.header');
  writeFileSync(headerFile, `Authorization: Bearer ${token}\n`, { mode: 0o600 });
  const url = via(downloadUrl(sim, driveId, fileId));
  const curl = [
    'curl',
    '--silent',
    '--show-error',
    '--cacert',
    sim.caPath,
    '-H',
    `@${headerFile}`,
    '-o',
    output,
    '-w',
    '%{http_code} %{size_download} %{time_total}',
    url,
  ];
  const useTime = await hasGnuTime();
  const [command, ...args] = useTime ? [TIME, '-v', ...curl] : curl;
  const result = await run(command as string, args, { timeoutMs });
  const [status, size, seconds] = result.stdout.trim().split(/\s+/).map(Number);
  if (result.code !== 0 || status !== 200) {
    throw new Error(`curl failed (${result.code}, HTTP ${status}): ${result.stderr.trim().slice(-500)}`);
  }
  return {
    ms: (seconds ?? Number.NaN) * 1000,
    bytes: size ?? 0,
    status: status ?? 0,
    timeMaxRss: useTime ? maxRssFromTime(result.stderr) : null,
    cpuSeconds: useTime ? cpuFromTime(result.stderr) : null,
  };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The worker input for downloading one scale-scenario file into a fresh temp folder `dir` (`sampleMs`: memory samples, 0 for none). */
export function workerInput(
  dir: string,
  driveId: number,
  folderId: number,
  fileId: number,
  sampleMs = 50,
): WorkerInput {
  return { driveId, folderId, fileId, targetDir: join(dir, 'downloads'), dataDir: join(dir, 'data'), sampleMs };
}
