/**
 * Issue 21.2, the mass-delete guard, adversarial: a listing that suddenly reports 1,000 of 1,200
 * files gone acts on nothing that is a deletion (the rest of the run goes on) and asks; "confirm"
 * trashes only what is still gone and unchanged; "keep" pauses the pair and keeps the files. An
 * empty pair folder (an unmounted disk) is never filled again without asking, and never trashed
 * from; a missing one is never recreated without asking.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Settings } from '../../shared/model/settings';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { guardPlan, readHeld, tooMany } from './guard';
import { Manifest } from './manifest';
import { QuickSync } from './service';
import { FakeRemote, T, runOptions } from './test-support';
import type { Plan } from './types';

let dir: string;
let root: string;
let trashed: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-guard-'));
  root = join(dir, 'pair');
  await mkdir(root);
  trashed = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(remote: FakeRemote, extra: Partial<RunOptions> = {}): RunOptions {
  return runOptions(
    { root, stateDir: join(dir, 'state'), source: remote },
    {
      trash: async (path) => {
        trashed.push(path);
        await rm(path);
      },
      concurrency: 8,
      ...extra,
    },
  );
}

/** `perFolder` files in each of 12 folders (1,200 by default). */
function big(perFolder = 100): FakeRemote {
  const r = new FakeRemote();
  for (let d = 0; d < 12; d++) {
    r.put(`d${d}`, `Folder ${d}`, null);
    for (let f = 0; f < perFolder; f++) r.put(`f${d}-${f}`, `file ${f}.txt`, `d${d}`, `content ${d}/${f}`);
  }
  return r;
}

/** Small pairs here: the guard asks from 5 files on. */
const LOW = { maxFiles: 5, maxPercent: 30 };

async function fileCount(path: string): Promise<number> {
  return (await readdir(path, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).length;
}

describe('tooMany: the limits', () => {
  const limits = { maxFiles: 50, maxPercent: 30 };
  it('more than 50 files, or more than 30 % (from 5 files on), or every file of the pair (from 2 on)', () => {
    expect(tooMany(51, 100_000, limits)).toBe(true);
    expect(tooMany(50, 100_000, limits)).toBe(false);
    expect(tooMany(31, 100, limits)).toBe(true);
    expect(tooMany(30, 100, limits)).toBe(false);
    expect(tooMany(4, 5, limits)).toBe(false);
    expect(tooMany(1, 3, limits)).toBe(false);
    expect(tooMany(3, 3, limits)).toBe(true);
    expect(tooMany(1, 1, limits)).toBe(false);
  });

  it('a confirmed question lets its own deletions through, and only those', () => {
    const trash = (id: string) => ({ kind: 'trash' as const, id, path: id });
    const plan: Plan = { actions: ['a', 'b', 'c', 'd', 'e', 'f'].map(trash), movedPaths: new Map() };
    const input = { plan, files: 6, localEmpty: false, limits: { maxFiles: 50, maxPercent: 30 } };
    expect(guardPlan({ ...input, confirmed: null }).held).toMatchObject({ reason: 'mass', count: 6 });
    const confirmed = {
      reason: 'mass' as const,
      count: 6,
      total: 6,
      ids: ['a', 'b', 'c', 'd', 'e', 'f'],
      confirmed: true,
    };
    expect(guardPlan({ ...input, confirmed })).toMatchObject({ held: null, plan: { actions: plan.actions } });
  });
});

describe('the guard in a run', () => {
  it('1,000 of 1,200 files reported gone: nothing deleted, the rest of the run done, the question kept', async () => {
    const remote = big();
    await runPair(options(remote));
    expect(await fileCount(root)).toBe(1200);
    for (let d = 0; d < 10; d++) {
      remote.entries.delete(`d${d}`);
      for (let f = 0; f < 100; f++) remote.entries.delete(`f${d}-${f}`);
    }
    remote.put('new', 'new.txt', null, 'still synced');
    remote.put('f10-0', 'file 0.txt', 'd10', 'changed remotely', T + 60_000);
    const outcome = await runPair(options(remote));
    expect(trashed).toEqual([]);
    expect(await fileCount(root)).toBe(1201);
    expect(outcome.counts).toMatchObject({ trashed: 0, added: 1, updated: 1 });
    expect(outcome.held).toMatchObject({ reason: 'mass', count: 1000, total: 1200 });
    // The manifest still knows every held file (nothing forgotten).
    const manifest = await Manifest.open(join(dir, 'state'));
    expect([...manifest.entries.values()].filter((m) => m.type === 'file')).toHaveLength(1201);
    await manifest.close();
  });

  it('confirmed: the held files still gone and unchanged go to the trash, a changed one stays', async () => {
    const remote = big(10);
    await runPair(options(remote));
    for (let f = 0; f < 10; f++) remote.entries.delete(`f0-${f}`);
    const held = (await runPair(options(remote, { guard: { limits: LOW, confirmed: null } }))).held!;
    expect(held).toMatchObject({ reason: 'mass', count: 10, total: 120 });
    expect(trashed).toEqual([]);
    await writeFile(join(root, 'Folder 0', 'file 7.txt'), 'edited here since');
    remote.put('f0-3', 'file 3.txt', 'd0', 'content 0/3'); // came back remotely meanwhile
    const confirmed = { ...held, confirmed: true };
    const outcome = await runPair(options(remote, { guard: { limits: LOW, confirmed } }));
    expect(outcome.held).toBeNull();
    expect(outcome.counts.trashed).toBe(8);
    expect((await readdir(join(root, 'Folder 0'))).sort()).toEqual(['file 3.txt', 'file 7.txt']);
  });

  it('an empty pair folder (an unmounted disk): nothing downloaded into it, nothing trashed, the run asks', async () => {
    const remote = big(10);
    await runPair(options(remote));
    await rm(root, { recursive: true });
    await mkdir(root); // the empty mount point
    remote.entries.delete('f0-0');
    const outcome = await runPair(options(remote));
    expect(outcome.held).toMatchObject({ reason: 'empty', count: 120 });
    expect(outcome.plan.actions).toEqual([]);
    expect(remote.downloads).toHaveLength(120); // the first run's only
    expect(await readdir(root)).toEqual([]);
    expect(trashed).toEqual([]);
  });
});

describe('a missing pair folder', () => {
  it('is not recreated until the question is confirmed; then it is, and filled again', async () => {
    const remote = big(2);
    await runPair(options(remote));
    await rm(root, { recursive: true });
    const held = (await runPair(options(remote))).held!;
    expect(held).toMatchObject({ reason: 'missing', count: 24 });
    await expect(readdir(root)).rejects.toMatchObject({ code: 'ENOENT' });
    const confirmed = { ...held, confirmed: true };
    const outcome = await runPair(options(remote, { guard: { limits: LOW, confirmed } }));
    expect(outcome.held).toBeNull();
    expect(await fileCount(root)).toBe(24);
  });
});

describe('QuickSync: the question in the pair, confirm and keep', () => {
  async function service(settings: Partial<Settings> = { syncMaxDeleteFiles: 5 }) {
    const remote = big(10);
    const sync = new QuickSync({
      dataDir: join(dir, 'data'),
      connections: { get: () => ({ label: 'Test' }) },
      lookupNode: () => undefined,
      sources: { subtree: async () => ({ subtree: remote, client: {} as never }) },
      settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
      downloadsDir: () => join(dir, 'downloads'),
      platform: 'linux',
      trashItem: async (path) => {
        trashed.push(path);
        await rm(path);
      },
      openPath: async () => undefined,
      onChange: () => undefined,
      log: () => undefined,
    });
    await sync.init();
    // A calendar-kind node keeps the test off the kDrive feed; the subtree is the fake remote.
    const status = await sync.create({ nodeId: 'conn:c/calendar/cal:7', layout: 'vdir' });
    return { sync, remote, id: status.pair.id, folder: status.pair.localPath };
  }

  it('asks in the pair (attention, the numbers), confirm trashes them; keep pauses and keeps them', async () => {
    const { sync, remote, id, folder } = await service();
    await sync.runNow([id]);
    for (let f = 0; f < 10; f++) remote.entries.delete(`f1-${f}`);
    const [run] = await sync.runNow([id]);
    expect(run).toMatchObject({ ok: false, attention: true, held: { reason: 'mass', count: 10, total: 120 } });
    expect(sync.list()[0]).toMatchObject({ state: 'attention', held: { reason: 'mass', count: 10, total: 120 } });
    expect(trashed).toEqual([]);
    await sync.decide(id, 'confirm');
    await sync.runNow([id]); // joins the run the answer started
    expect(trashed).toHaveLength(10);
    expect(sync.list()[0]).toMatchObject({ state: 'idle', held: null });
    expect(await readHeld(join(dir, 'data', id))).toBeNull();

    // Keep: the pair is paused, the files stay, and the pair no longer tracks them.
    for (let f = 0; f < 10; f++) remote.entries.delete(`f2-${f}`);
    await sync.runNow([id]);
    await sync.decide(id, 'keep');
    expect(sync.list()[0]).toMatchObject({ state: 'paused', held: null, pair: { paused: true } });
    expect(await readdir(join(folder, 'Folder 2'))).toHaveLength(10);
    await sync.pause(id, false);
    const [after] = await sync.runNow([id]);
    expect(after).toMatchObject({ ok: true, counts: { trashed: 0 } });
    expect(await readdir(join(folder, 'Folder 2'))).toHaveLength(10);
    sync.dispose();
  });
});
