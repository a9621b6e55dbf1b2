/**
 * The browser host (main/host/cli.ts) as a child process pointed at a simulator, as e2e/host.ts
 * starts it: a fresh data and downloads folder, `--quiet`, and the `host: <url>` line read back.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index';
import { spawnTracked, stopChild, tempDir } from './resources';

export interface BenchHost {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startHost(root: string, sim: Simulator): Promise<BenchHost> {
  const dir = tempDir('host');
  const dataDir = join(dir, 'data');
  const downloadsDir = join(dir, 'downloads');
  mkdirSync(downloadsDir, { recursive: true });
  const args = [
    '--import',
    'tsx',
    'main/host/cli.ts',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--downloads-dir',
    downloadsDir,
    '--lang',
    'en',
    '--quiet',
  ];
  const child = spawnTracked(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LANG: 'en_US.UTF-8', ...sim.env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start within 60 s\n${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /^host: (\S+)$/m.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}\n${stderr}`));
    });
  });
  return { url, pid: child.pid ?? -1, stop: () => stopChild(child) };
}
