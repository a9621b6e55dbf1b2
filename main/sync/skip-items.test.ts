/**
 * Issue 25.6: one path that cannot be written no longer stops the whole pair at every run. A remote
 * file replaced by a folder after a local edit (a file is where the folder goes), a remote path
 * longer than the OS allows, a read-only subfolder: that item is skipped with its reason and named
 * in the run's errors, everything else syncs, and the next run tries again without downloading
 * again what already arrived.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { FakeRemote, T, runOptions } from './test-support';

/**
 * A read-only folder. The tests may run as root, for whom permissions do not stop a write: the
 * writes below a folder named `ReadOnly` then fail with EACCES as they would for a user.
 */
const readOnly = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const refused = (path: unknown): boolean =>
    readOnly.on && typeof path === 'string' && /[\\/]ReadOnly[\\/]/.test(path);
  const eacces = (syscall: string, path: string) =>
    Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: 'EACCES', syscall, path });
  const guard =
    <A extends unknown[], R>(syscall: string, call: (...args: A) => Promise<R>, at: (...args: A) => unknown) =>
    async (...args: A): Promise<R> => {
      if (refused(at(...args))) throw eacces(syscall, String(at(...args)));
      return call(...args);
    };
  return {
    ...fs,
    default: fs,
    mkdir: guard('mkdir', fs.mkdir, (p) => p),
    open: guard('open', fs.open, (p, flags) => (flags === 'r' || flags === undefined ? '' : p)),
    link: guard('link', fs.link, (_from, to) => to),
    rename: guard('rename', fs.rename, (_from, to) => to),
  };
});

let dir: string;
let root: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-skip-'));
  root = join(dir, 'pair');
  await mkdir(root);
  readOnly.on = false;
});
afterEach(async () => {
  readOnly.on = false;
  await chmod(join(root, 'ReadOnly'), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function options(remote: FakeRemote): RunOptions {
  return runOptions({ root, stateDir: join(dir, 'state'), source: remote });
}

describe('one item that cannot be written is skipped with its reason; the rest syncs', () => {
  it('a remote file replaced by a folder after a local edit (a file where the folder goes)', async () => {
    const remote = new FakeRemote();
    remote.put('1', 'report', null, 'v1');
    await runPair(options(remote));
    await writeFile(join(root, 'report'), 'my local edit');
    remote.entries.delete('1');
    remote.put('2', 'report', null);
    remote.put('3', 'inner.txt', '2', 'inner');
    remote.put('4', 'other.txt', null, 'other');
    for (let run = 0; run < 2; run++) {
      remote.downloads = [];
      const outcome = await runPair(options(remote));
      expect(outcome.errors).toMatchObject([{ code: 'io', details: { path: 'report' } }]);
      expect(remote.downloads).toEqual(run === 0 ? ['4'] : []);
    }
    expect(await readFile(join(root, 'report'), 'utf8')).toBe('my local edit');
    expect(await readFile(join(root, 'other.txt'), 'utf8')).toBe('other');
  });

  it('a remote path longer than the OS allows (over PATH_MAX here)', async () => {
    const remote = new FakeRemote();
    let parent: string | null = null;
    for (let depth = 0; depth < 20; depth++) {
      remote.put(`d${depth}`, `${String(depth).padStart(2, '0')}${'x'.repeat(240)}`, parent);
      parent = `d${depth}`;
    }
    remote.put('deep', 'deep.txt', parent, 'too deep');
    remote.put('top', 'top.txt', null, 'top');
    for (let run = 0; run < 2; run++) {
      remote.downloads = [];
      const outcome = await runPair(options(remote));
      expect(outcome.errors[0]?.code).toBe('io');
      expect(outcome.errors[0]?.message).toContain('ENAMETOOLONG');
      expect(outcome.errors[0]?.details?.path?.split('/').length).toBeGreaterThan(10);
      expect(remote.downloads).toEqual(run === 0 ? ['top'] : []);
    }
    expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
  });

  it('a read-only subfolder: its new and changed files are skipped and named, tried again, then synced', async () => {
    const remote = new FakeRemote();
    remote.put('1', 'ReadOnly', null);
    remote.put('2', 'a.txt', '1', 'a v1');
    await runPair(options(remote));
    await chmod(join(root, 'ReadOnly'), 0o555);
    readOnly.on = true;
    remote.put('2', 'a.txt', '1', 'a v2', T + 60_000);
    remote.put('3', 'new.txt', '1', 'new');
    remote.put('4', 'top.txt', null, 'top');
    for (let run = 0; run < 2; run++) {
      remote.downloads = [];
      const outcome = await runPair(options(remote));
      expect(outcome.errors.map((e) => [e.code, e.details?.path]).sort()).toEqual([
        ['io', 'ReadOnly/a.txt'],
        ['io', 'ReadOnly/new.txt'],
      ]);
      expect(outcome.counts.failed).toBe(2);
      // The skipped ones are fetched again (their bytes never landed); what arrived is not.
      expect(remote.downloads.sort()).toEqual(run === 0 ? ['2', '3', '4'] : ['2', '3']);
    }
    expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
    expect(await readFile(join(root, 'ReadOnly', 'a.txt'), 'utf8')).toBe('a v1');
    await chmod(join(root, 'ReadOnly'), 0o755);
    readOnly.on = false;
    const healed = await runPair(options(remote));
    expect(healed.errors).toEqual([]);
    expect(await readFile(join(root, 'ReadOnly', 'a.txt'), 'utf8')).toBe('a v2');
  });
});
