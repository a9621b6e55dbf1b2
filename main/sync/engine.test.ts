import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPair, previewPair } from './engine';
import type { RunOptions } from './engine';
import { Manifest } from './manifest';
import { FakeRemote, T, runOptions, tree } from './test-support';

let dir: string;
let root: string;
let trashDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-engine-'));
  root = join(dir, 'pair');
  trashDir = join(dir, 'trash');
  await mkdir(root);
  await mkdir(trashDir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(remote: FakeRemote, extra: Partial<RunOptions> = {}): RunOptions {
  return runOptions(
    { root, stateDir: join(dir, 'state'), source: remote },
    {
      trash: async (path) => {
        const { rename } = await import('node:fs/promises');
        await rename(path, join(trashDir, relative(root, path).replaceAll('/', '__')));
      },
      concurrency: 3,
      ...extra,
    },
  );
}

function demo(): FakeRemote {
  const r = new FakeRemote();
  r.put('1', 'Docs', null);
  r.put('2', 'a.txt', '1', 'alpha');
  r.put('3', 'b.txt', '1', 'bravo');
  r.put('4', 'c.txt', null, 'charlie');
  r.put('5', 'Empty', null);
  return r;
}

describe('sync engine on disk', () => {
  it('first run writes the tree; an unchanged second run downloads nothing', async () => {
    const remote = demo();
    const first = await runPair(options(remote));
    expect(first.counts).toMatchObject({ added: 3, updated: 0, failed: 0 });
    expect(await tree(root)).toEqual({
      'Docs/': '',
      'Docs/a.txt': 'alpha',
      'Docs/b.txt': 'bravo',
      'c.txt': 'charlie',
      'Empty/': '',
    });
    expect((await stat(join(root, 'c.txt'))).mtimeMs).toBe(T);
    remote.downloads = [];
    const second = await runPair(options(remote));
    expect(second.plan.actions).toEqual([]);
    expect(remote.downloads).toEqual([]);
  });

  it('remote add, modify, delete, rename and move; local edit survives as a conflict copy', async () => {
    const remote = demo();
    await runPair(options(remote));
    remote.downloads = [];
    remote.put('6', 'new.txt', '1', 'new!'); // add
    remote.put('4', 'c.txt', null, 'charlie v2', T + 60_000); // modify
    remote.entries.delete('3'); // delete (b.txt)
    remote.put('2', 'renamed.txt', '5', 'alpha'); // rename + move into Empty
    await writeFile(join(root, 'c.txt'), 'my local edit');
    const result = await runPair(options(remote));
    expect(result.counts).toMatchObject({ added: 1, moved: 1, trashed: 1, conflicts: 1 });
    expect(remote.downloads.sort()).toEqual(['4', '6']);
    expect(await tree(root)).toEqual({
      'Docs/': '',
      'Docs/new.txt': 'new!',
      'Empty/': '',
      'Empty/renamed.txt': 'alpha',
      'c.txt': 'my local edit',
      'c (kDrive conflict 2026-11-29).txt': 'charlie v2',
    });
    expect(await tree(trashDir)).toEqual({ 'Docs__b.txt': 'bravo' });
    // A third run is quiet: the local edit stays a local edit.
    remote.downloads = [];
    expect((await runPair(options(remote))).plan.actions).toEqual([]);
  });

  it('a local edit of a file unchanged remotely is left alone (not even stat-ed); its next remote change is a conflict', async () => {
    const remote = demo();
    await runPair(options(remote));
    await writeFile(join(root, 'Docs/a.txt'), 'my edit, longer than alpha');
    expect((await runPair(options(remote))).plan.actions).toEqual([]);
    remote.put('2', 'a.txt', '1', 'alpha v2', T + 1000);
    const result = await runPair(options(remote));
    expect(result.counts).toMatchObject({ updated: 0, conflicts: 1 });
    expect(await readFile(join(root, 'Docs/a.txt'), 'utf8')).toBe('my edit, longer than alpha');
    expect(await readFile(join(root, 'Docs/a (kDrive conflict 2026-11-29).txt'), 'utf8')).toBe('alpha v2');
  });

  it('an unchanged file changed remotely is replaced in place', async () => {
    const remote = demo();
    await runPair(options(remote));
    remote.put('2', 'a.txt', '1', 'alpha v2', T + 1000);
    const result = await runPair(options(remote));
    expect(result.counts.updated).toBe(1);
    expect(await readFile(join(root, 'Docs/a.txt'), 'utf8')).toBe('alpha v2');
    expect(await readdir(join(root, 'Docs'))).toEqual(['a.txt', 'b.txt']);
  });

  it('a run killed mid-way resumes: complete, nothing downloaded twice, nothing lost', async () => {
    const remote = new FakeRemote();
    for (let i = 0; i < 40; i++) remote.put(String(100 + i), `f${i}.txt`, null, `content ${i}`);
    const controller = new AbortController();
    remote.killAfter = { n: 15, controller };
    await expect(runPair(options(remote, { signal: controller.signal, concurrency: 4 }))).rejects.toMatchObject({
      code: 'cancelled',
    });
    remote.killAfter = null;
    const firstDownloads = new Set(remote.downloads);
    const done = (await readdir(root)).filter((n) => n.endsWith('.txt'));
    await runPair(options(remote));
    const again = remote.downloads.slice(firstDownloads.size);
    // Files completed before the kill are not fetched again.
    for (const name of done) expect(again).not.toContain(String(100 + Number(name.slice(1, -4))));
    expect(again.length + done.length).toBe(40);
    const files = (await readdir(root)).sort();
    expect(files).toEqual([...Array(40).keys()].map((i) => `f${i}.txt`).sort());
    const m = await Manifest.open(join(dir, 'state'));
    expect(m.entries.size).toBe(40);
    await m.close();
  });

  it('a listing that fails changes nothing locally', async () => {
    const remote = demo();
    await runPair(options(remote));
    const before = await tree(root);
    remote.entries.clear();
    remote.failListing = true;
    await expect(runPair(options(remote))).rejects.toThrow('listing failed');
    expect(await tree(root)).toEqual(before);
  });

  it('a missing folder is not recreated: nothing listed, nothing written, the run holds and asks (21.2)', async () => {
    const remote = demo();
    await runPair(options(remote));
    await rm(root, { recursive: true });
    remote.failListing = true; // not even asked
    const outcome = await runPair(options(remote));
    expect(outcome.held).toMatchObject({ reason: 'missing', count: 3 });
    expect(outcome.plan.actions).toEqual([]);
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a file deleted locally comes back, unless deletes are ignored', async () => {
    const remote = demo();
    await runPair(options(remote));
    await rm(join(root, 'c.txt'));
    await runPair(options(remote, { ignoreLocalDeletes: true }));
    await expect(stat(join(root, 'c.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    await runPair(options(remote));
    expect(await readFile(join(root, 'c.txt'), 'utf8')).toBe('charlie');
  });

  it('preview returns the plan and touches nothing', async () => {
    const remote = demo();
    const summary = await previewPair(options(remote), 'p1');
    expect(summary.counts.download).toBe(3);
    expect(summary.counts.mkdir).toBe(2);
    expect(summary.bytes).toBe(5 + 5 + 7);
    expect(await readdir(root)).toEqual([]);
  });

  it('an untouched local file with the remote size and time is adopted without a download', async () => {
    const remote = demo();
    await writeFile(join(root, 'c.txt'), 'charlie');
    await utimes(join(root, 'c.txt'), new Date(T), new Date(T));
    await runPair(options(remote));
    expect(remote.downloads.sort()).toEqual(['2', '3']);
  });

  it('a file placed just before a kill is adopted and its leftover sidecar removed (a kill between placing and cleaning up)', async () => {
    const remote = demo();
    await writeFile(join(root, 'c.txt'), 'charlie');
    await utimes(join(root, 'c.txt'), new Date(T), new Date(T));
    await writeFile(join(root, 'c.txt.part.json'), '{}');
    await runPair(options(remote));
    expect(remote.downloads.sort()).toEqual(['2', '3']);
    expect((await readdir(root)).filter((n) => n.includes('.part'))).toEqual([]);
  });
});
