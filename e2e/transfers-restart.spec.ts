/**
 * Issue 8.7: a folder download killed with SIGKILL and restarted. The restarted process has no node
 * cache: it must take the folder's kind and name from transfers.json, not guess them (it used to
 * fetch the folder as an extensionless file `Projekte (1)` and report "done", orphaning the parts).
 * No browser: the transfer engine runs in a child process against the simulator.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './shared-page';
import { startSimulator, DEMO_TOKEN } from './helpers';

const DRIVE = 610001;
const root = fileURLToPath(new URL('..', import.meta.url));

function runChild(input: object): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'e2e/workers/transfer-child.ts'), JSON.stringify(input)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Files below `dir` as relative paths. */
function files(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else out.push(relative(dir, full));
    }
  };
  if (existsSync(dir)) visit(dir);
  return out.sort();
}

test('a folder download killed with SIGKILL completes after a restart: every file once, no orphan parts', async () => {
  test.setTimeout(90_000);
  const sim = await startSimulator({ scenario: 'demo', quiet: true });
  const base = mkdtempSync(join(tmpdir(), 'transfers-restart-'));
  try {
    const folderId = sim.idOf(DRIVE, '/Common documents/Projekte');
    expect(folderId).not.toBeNull();
    // Slow answers, so that the kill lands in the middle of the folder.
    sim.setLatency({ fixedMs: 120, jitterMs: 0 });
    const input = {
      env: sim.env(),
      token: DEMO_TOKEN,
      nodeId: `conn:c/kdrive/drive:${DRIVE}/f:${folderId}`,
      name: 'Projekte',
      dataDir: join(base, 'data'),
      targetDir: join(base, 'Downloads'),
    };
    const first = runChild({ ...input, mode: 'start' });
    const folder = join(input.targetDir, 'Projekte');
    await expect
      .poll(() => files(folder).filter((f) => !f.includes('.part')).length, { timeout: 30_000, intervals: [20] })
      .toBeGreaterThanOrEqual(2);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.output()).not.toMatch(/finished before the kill/);
    const before = files(folder).filter((f) => !f.includes('.part'));
    const downloadsBefore = sim.log.entries().filter((e) => e.route.endsWith('/download')).length;

    sim.setLatency({ fixedMs: 0, jitterMs: 0 });
    const second = runChild({ ...input, mode: 'restore' });
    expect(await second.exited, second.output()).toBe(0);
    const list = JSON.parse(second.output().trim().split('\n').at(-1) ?? '[]') as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'folder', state: 'done', name: 'Projekte', targetPath: folder });

    // Only the folder, no `Projekte (1)` file or folder beside it; no part or sidecar anywhere.
    expect(readdirSync(input.targetDir)).toEqual(['Projekte']);
    expect(statSync(folder).isDirectory()).toBe(true);
    const after = files(folder);
    expect(after.filter((f) => f.includes('.part'))).toEqual([]);
    // Every file of the folder once (no "name (1).ext" twins of files finished before the kill).
    expect(after.filter((f) => / \(\d+\)(\.[^./]+)?$/.test(f))).toEqual([]);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(list[0]).toMatchObject({ filesDone: after.length, filesTotal: after.length });
    // Files finished before the kill were not fetched again.
    const downloadsAfter = sim.log.entries().filter((e) => e.route.endsWith('/download')).length - downloadsBefore;
    expect(downloadsAfter).toBeLessThanOrEqual(after.length - before.length + 2);
  } finally {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
});
