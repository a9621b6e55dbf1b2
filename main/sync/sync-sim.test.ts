/**
 * The engine against the simulator over real HTTPS: first run by the recursive listing (and the
 * feed probe), remote add/change/delete/rename/move, then runs by the `listing/continue` cursor
 * feed, by the activities feed and, with the feeds switched off, by the listing alone; all three
 * must give the same local tree. Requests are counted in the simulator's log.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { clientFor } from '../sources/test-support';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { FeedMemory } from './feed';
import { SYNC_TOKEN, feedSourceFor, projectScenario, runOptions } from './test-support';

const TOKEN = SYNC_TOKEN;
const DRIVE = 5501;
const MiB = 1024 * 1024;

const scenario = projectScenario('sync', DRIVE, [
  { name: 'notes.txt', content: 'first notes' },
  { name: 'plan.txt', content: 'the plan' },
  { name: 'big.bin', size: 4 * MiB },
  {
    name: 'Sub',
    children: [
      { name: 'deep.txt', content: 'deep' },
      { name: 'old.txt', content: 'old' },
    ],
  },
  { name: 'Empty', children: [] },
]);

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;
let project: number;
const id = (path: string) => sim.idOf(DRIVE, `/Common documents/Project${path}`)!;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'sync-sim-'));
  project = id('');
});
afterEach(() => sim.setFeeds({ activities: true, listing: true }));
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function options(name: string, memory: FeedMemory, now = () => Date.now()): RunOptions {
  const root = join(dir, name);
  return runOptions(
    {
      root,
      stateDir: join(dir, `${name}-state`),
      source: feedSourceFor(
        client,
        { driveId: DRIVE, folderId: project },
        { stateDir: join(dir, `${name}-state`), memory, now },
      ),
    },
    { concurrency: 4, now },
  );
}

async function tree(base: string, skip = '.trash'): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(base, rel), { withFileTypes: true })) {
      if (rel === '' && d.name === skip) continue;
      const path = rel ? `${rel}/${d.name}` : d.name;
      out.push(d.isDirectory() ? `${path}/` : path);
      if (d.isDirectory()) await walk(path);
    }
  };
  await walk('');
  return out.sort();
}

const requests = () => sim.log.entries().filter((e) => e.origin === 'api');
const downloads = () => requests().filter((e) => e.route === 'GET /2/drive/{drive}/files/{file}/download');

describe('sync against the simulator', () => {
  it('listing first, then the activities feed: moves without bytes, trash, exact tree', async () => {
    const { mkdir } = await import('node:fs/promises');
    sim.setFeeds({ listing: false });
    const memory = new FeedMemory(dir);
    const o = options('feed', memory);
    await mkdir(o.root, { recursive: true });
    sim.log.reset();
    const first = await runPair(o);
    expect(first.via).toBe('listing');
    expect(first.counts.added).toBe(5);
    expect(await memory.get(`c:${DRIVE}`)).toBe('activities');
    // 1 refused cursor probe + 1 recursive listing page + 1 activities probe + 5 downloads
    expect(requests()).toHaveLength(8);

    const bigId = id('/big.bin');
    sim.mutate(DRIVE, { op: 'add', parentId: id('/Sub'), name: 'added.txt', content: { text: 'added' } });
    sim.mutate(DRIVE, { op: 'change', id: id('/notes.txt'), content: { text: 'second notes, longer' } });
    sim.mutate(DRIVE, { op: 'delete', id: id('/plan.txt') });
    sim.mutate(DRIVE, { op: 'rename', id: bigId, name: 'big-renamed.bin' });
    sim.mutate(DRIVE, { op: 'move', id: id('/Sub/deep.txt'), parentId: project });
    sim.log.reset();
    const second = await runPair(options('feed', memory));
    expect(second.via).toBe('feed');
    expect(second.counts).toMatchObject({ added: 1, updated: 1, moved: 2, trashed: 1, conflicts: 0, failed: 0 });
    expect(downloads()).toHaveLength(2);
    expect(downloads().some((e) => e.path.includes(`/files/${bigId}/`))).toBe(false);
    expect(requests()).toHaveLength(3);
    expect(await tree(o.root)).toEqual([
      'Empty/',
      'Sub/',
      'Sub/added.txt',
      'Sub/old.txt',
      'big-renamed.bin',
      'deep.txt',
      'notes.txt',
    ]);
    expect(await readFile(join(o.root, 'notes.txt'), 'utf8')).toBe('second notes, longer');
    expect(await readFile(join(o.root, '.trash', 'plan.txt'), 'utf8')).toBe('the plan');
    expect((await stat(join(o.root, 'big-renamed.bin'))).size).toBe(4 * MiB);

    sim.log.reset();
    const third = await runPair(options('feed', memory));
    expect(third.plan.actions).toEqual([]);
    expect(requests().length).toBeLessThanOrEqual(3);
  });

  it('without a feed every run relists, and is just as correct', async () => {
    const { mkdir } = await import('node:fs/promises');
    sim.setFeeds({ activities: false, listing: false });
    const memory = new FeedMemory(join(dir, 'nofeed-memory'));
    await mkdir(join(dir, 'nofeed-memory'), { recursive: true });
    const o = options('nofeed', memory);
    await mkdir(o.root, { recursive: true });
    await runPair(o);
    expect(await memory.get(`c:${DRIVE}`)).toBe('none');
    // Without a feed no snapshot is kept between runs (nothing would read it).
    await expect(stat(join(dir, 'nofeed-state', 'remote.json'))).rejects.toThrow();
    sim.mutate(DRIVE, { op: 'rename', id: id('/Sub/old.txt'), name: 'older.txt' });
    sim.log.reset();
    const second = await runPair(options('nofeed', memory));
    expect(second.via).toBe('listing');
    expect(second.counts.moved).toBe(1);
    expect(downloads()).toHaveLength(0);
    sim.log.reset();
    const third = await runPair(options('nofeed', memory));
    expect(third.plan.actions).toEqual([]);
    // ⌈n/1000⌉ listing pages, no probe again, no downloads
    expect(requests()).toHaveLength(1);
  });

  it('a listing that fails half-way changes nothing locally', async () => {
    const { mkdir } = await import('node:fs/promises');
    const memory = new FeedMemory(join(dir, 'fail-memory'));
    await mkdir(join(dir, 'fail-memory'), { recursive: true });
    const o = options('fail', memory);
    await mkdir(o.root, { recursive: true });
    await runPair(o);
    const before = await tree(o.root);
    sim.mutate(DRIVE, { op: 'delete', id: id('/notes.txt') });
    sim.setFeeds({ activities: false, listing: false });
    sim.setFaults({ errorRate: 1, errorRoutes: ['GET /3/drive/{drive}/files/{file}/files'], hangRoutes: [], seed: 1 });
    try {
      await expect(runPair(options('fail', memory, () => Date.now() + 2 * 86_400_000))).rejects.toBeTruthy();
    } finally {
      sim.setFaults(null);
    }
    expect(await tree(o.root)).toEqual(before);
  });
});
