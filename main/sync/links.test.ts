/**
 * Issue 21.1, adversarial: a synced folder replaced by a link (or a junction) to a folder outside
 * the pair, planted before a run or swapped in between planning and acting (the race), then every
 * kind of remote change through it: add, modify, rename, move in and out, delete, a conflict, a
 * new folder, a folder move. Not one byte is written, moved or trashed outside the pair; the rest
 * of the pair syncs; the run names the link (`unsafe_path`, the pair needs attention). Also: a
 * pair root that became a link, a file replaced by a link, a folder replaced by a file and back.
 */
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { endedRun } from './guard';
import { FakeRemote, T, runOptions, tree } from './test-support';

let dir: string;
let root: string;
let outside: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-links-'));
  root = join(dir, 'pair');
  outside = join(dir, 'elsewhere');
  await mkdir(root);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(remote: FakeRemote, extra: Partial<RunOptions> = {}): RunOptions {
  return runOptions({ root, stateDir: join(dir, 'state'), source: remote }, { concurrency: 3, ...extra });
}

/** Docs/{a,b,d,e,f}.txt, Docs/Old/g.txt, c.txt at the top. */
function drive(): FakeRemote {
  const r = new FakeRemote();
  r.put('1', 'Docs', null);
  for (const [id, name] of [
    ['2', 'a'],
    ['3', 'b'],
    ['4', 'd'],
    ['5', 'e'],
    ['6', 'f'],
  ] as const)
    r.put(id, `${name}.txt`, '1', `${name} v1`);
  r.put('7', 'c.txt', null, 'c v1');
  r.put('8', 'Old', '1');
  r.put('9', 'g.txt', '8', 'g v1');
  return r;
}

/** Every kind of remote change below Docs. */
function changeEverything(r: FakeRemote): void {
  r.put('10', 'new.txt', '1', 'new'); // add
  r.put('2', 'a.txt', '1', 'a v2 longer', T + 60_000); // modify
  r.put('3', 'b2.txt', '1', 'b v1'); // rename
  r.put('7', 'c.txt', '1', 'c v1'); // move in
  r.put('6', 'f.txt', null, 'f v1'); // move out
  r.entries.delete('4'); // delete
  r.put('5', 'e.txt', '1', 'e v2 remote', T + 60_000); // conflict (changed here too)
  r.put('11', 'Sub', '1'); // a new folder
  r.put('12', 'deep.txt', '11', 'deep');
  r.put('8', 'New', '1'); // a folder renamed
  r.put('13', 'top.txt', null, 'top'); // outside Docs: must still sync
}

async function snapshot(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(path, { recursive: true })).sort()) {
    const info = await lstat(join(path, name));
    out[name] = info.isFile() ? `${info.size}:${info.mtimeMs}:${await readFile(join(path, name), 'utf8')}` : 'dir';
  }
  return out;
}

describe('a synced folder replaced by a link to a folder outside the pair', () => {
  for (const when of ['before the run', 'between planning and acting'] as const) {
    it(`planted ${when}: every kind of change through it writes 0 bytes outside`, async () => {
      const remote = drive();
      await runPair(options(remote));
      await writeFile(join(root, 'Docs', 'e.txt'), 'e edited here');
      // The user moved Docs to another disk and linked it back: the same files, outside the pair.
      await cp(join(root, 'Docs'), outside, { recursive: true, preserveTimestamps: true });
      // Synchronous, so that in the race it happens right after planning and before any step.
      const swap = () => {
        rmSync(join(root, 'Docs'), { recursive: true });
        symlinkSync(outside, join(root, 'Docs'), 'junction');
      };
      if (when === 'before the run') swap();
      const before = await snapshot(outside);
      changeEverything(remote);
      const outcome = await runPair(
        options(remote, {
          onPhase: (phase) => (phase === 'applying' && when !== 'before the run' ? swap() : undefined),
        }),
      );
      expect(await snapshot(outside)).toEqual(before);
      expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
      expect(outcome.errors.length).toBeGreaterThan(0);
      expect(outcome.errors.some((e) => e.code === 'unsafe_path' && e.details?.path === 'Docs')).toBe(true);
      const { state, failure } = endedRun(outcome, { startedAt: 0, finishedAt: 1, requests: 0, paused: false });
      expect(state).toBe('attention');
      expect(failure).toMatchObject({ code: 'unsafe_path', details: { path: 'Docs' } });
      // The link itself is left alone, and the next run refuses it again.
      expect((await lstat(join(root, 'Docs'))).isSymbolicLink()).toBe(true);
      const again = await runPair(options(remote));
      expect(again.errors.some((e) => e.code === 'unsafe_path')).toBe(true);
      expect(await snapshot(outside)).toEqual(before);
      // A file moved out of the linked folder comes from the cloud (in the race, its move was refused: the source was outside).
      expect(await readFile(join(root, 'f.txt'), 'utf8')).toBe('f v1');
    });
  }

  it('a pair root that became a link is refused before anything is listed or written', async () => {
    const remote = drive();
    await runPair(options(remote));
    await rename(root, outside);
    await symlink(outside, root);
    const before = await snapshot(outside);
    changeEverything(remote);
    remote.failListing = true; // it must not even be asked
    await expect(runPair(options(remote))).rejects.toMatchObject({ code: 'unsafe_path' });
    expect(await snapshot(outside)).toEqual(before);
  });

  it("the manifest's journal replaced by a link: never appended through it", async () => {
    const remote = drive();
    await runPair(options(remote));
    await mkdir(outside);
    await writeFile(join(outside, 'victim.log'), 'precious');
    await symlink(join(outside, 'victim.log'), join(dir, 'state', 'manifest.journal'));
    remote.put('13', 'top.txt', null, 'top');
    // The leftover journal is folded in and removed (the link itself, never its target), then a new one is made.
    await runPair(options(remote));
    expect(await readFile(join(outside, 'victim.log'), 'utf8')).toBe('precious');
    expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
  });

  it('a file replaced by a link: neither updated through the link nor trashed', async () => {
    const remote = drive();
    await runPair(options(remote));
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'precious');
    await rm(join(root, 'Docs', 'a.txt'));
    await symlink(join(outside, 'secret.txt'), join(root, 'Docs', 'a.txt'));
    remote.put('2', 'a.txt', '1', 'a v2 longer', T + 60_000);
    const outcome = await runPair(options(remote));
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('precious');
    expect(outcome.errors).toMatchObject([{ code: 'unsafe_path', details: { path: 'Docs/a.txt' } }]);
    remote.entries.delete('2');
    await runPair(options(remote));
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('precious');
    expect((await lstat(join(root, 'Docs', 'a.txt'))).isSymbolicLink()).toBe(true);
  });

  it('a folder replaced by a file: its new files are skipped with the reason, the file kept; and back', async () => {
    const remote = drive();
    await runPair(options(remote));
    await rm(join(root, 'Docs'), { recursive: true });
    await writeFile(join(root, 'Docs'), 'a file named like the folder');
    remote.put('10', 'new.txt', '1', 'new');
    remote.put('13', 'top.txt', null, 'top');
    const outcome = await runPair(options(remote));
    expect(await readFile(join(root, 'Docs'), 'utf8')).toBe('a file named like the folder');
    expect(await readFile(join(root, 'top.txt'), 'utf8')).toBe('top');
    expect(outcome.errors[0]).toMatchObject({ code: 'io', details: { path: 'Docs' } });
    // A file replaced by a folder: the remote change lands beside it as a conflict copy.
    await rm(join(root, 'c.txt'));
    await mkdir(join(root, 'c.txt'));
    await writeFile(join(root, 'c.txt', 'mine'), 'mine');
    remote.put('7', 'c.txt', null, 'c v2', T + 60_000);
    await runPair(options(remote));
    expect(await readFile(join(root, 'c.txt', 'mine'), 'utf8')).toBe('mine');
    expect(await readFile(join(root, 'c (kDrive conflict 2026-11-29).txt'), 'utf8')).toBe('c v2');
    expect((await stat(join(root, 'Docs'))).isFile()).toBe(true);
    expect(Object.keys(await tree(root))).toContain('top.txt');
  });
});
