/**
 * The change feeds as the desktop app uses them, through the simulator over real HTTPS (issue
 * 21.6): the drive-wide `listing/continue` (actions with the file's own fields, `has_more` pages),
 * actions the engine does not need (someone opening or sharing a file, rights, comments) cost no
 * relist, changes elsewhere in the drive change nothing, a refused continue (403) falls back to
 * the full listing, activities are asked `from_date` with `actions[]`, and a feed answer that does
 * not decode fails the run and changes nothing. Requests are counted in the simulator's log.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { FeedSettings, ScenarioInput, Simulator } from '../../simulator/index';
import { appErrorFrom } from '../errors/app-error';
import type { InfomaniakClient } from '../infomaniak/client';
import type { InfomaniakApi } from '../infomaniak/types';
import { clientFor } from '../sources/test-support';
import { runPair } from './engine';
import type { RunOutcome } from './engine';
import type { KdriveFeedSource } from './feed';
import { FeedMemory } from './feed';
import { feedSourceFor, runOptions } from './test-support';

const TOKEN = 'drive-feed-sync-token-01234';
const DRIVE = 5701;

const scenario: ScenarioInput = {
  name: 'drive-feed-sync',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 57, name: 'Feed AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Feed',
      account_id: 57,
      tree: {
        common: [
          {
            name: 'Pair',
            children: [
              { name: 'a.txt', content: 'alpha' },
              { name: 'b.txt', content: 'beta' },
              { name: 'Docs', children: [{ name: 'c.txt', content: 'gamma' }] },
            ],
          },
          {
            name: 'Elsewhere',
            children: [
              { name: 'x.txt', content: 'not in the pair' },
              { name: 'Folder', children: [{ name: 'inner.txt', content: 'comes with its folder' }] },
            ],
          },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;
let n = 0;
const id = (path: string) => sim.idOf(DRIVE, `/Common documents${path}`)!;
const withToken = () => sim.log.entries().filter((e) => e.origin === 'api');
const routes = () => withToken().map((e) => e.route);
const CONTINUE = 'GET /2/drive/{drive}/files/listing/continue';
const WALK = 'GET /3/drive/{drive}/files/{file}/files';
const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  // The budget (60 a minute) is lifted: this file makes more requests than that; each test counts its own.
  client = clientFor(sim, TOKEN, { limit: 10_000, windowMs: 1000 });
  dir = await mkdtemp(join(tmpdir(), 'sync-drive-feed-'));
});
afterEach(() => sim.setFeeds({ activities: true, listing: true, continue: true }));
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

interface Pair {
  root: string;
  state: string;
  memory: FeedMemory;
  source?: KdriveFeedSource;
}

async function pair(): Promise<Pair> {
  const base = join(dir, `p${++n}`);
  await mkdir(join(base, 'root'), { recursive: true });
  return { root: join(base, 'root'), state: join(base, 'state'), memory: new FeedMemory(join(base, 'mem')) };
}

function run(p: Pair, feedClient: InfomaniakApi = client, feeds: Partial<FeedSettings> = {}): Promise<RunOutcome> {
  sim.setFeeds(feeds);
  const target = { driveId: DRIVE, folderId: id('/Pair') };
  p.source = feedSourceFor(client, target, { stateDir: p.state, memory: p.memory, feedClient });
  return runPair(
    runOptions(
      {
        root: p.root,
        stateDir: p.state,
        source: p.source,
      },
      { concurrency: 4, now: Date.now },
    ),
  );
}

async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(root, rel), { withFileTypes: true })) {
      if (rel === '' && d.name === '.trash') continue;
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(path);
      else out[path] = await readFile(join(root, path), 'utf8');
    }
  };
  await walk('');
  return out;
}

describe('the activities feed', () => {
  it('asks from_date with the file actions only, and applies them', async () => {
    const p = await pair();
    await run(p, client, { listing: false });
    expect(await p.memory.get(`c:${DRIVE}`)).toBe('activities');
    sim.mutate(DRIVE, { op: 'note', id: id('/Pair/a.txt'), action: 'file_access' });
    sim.mutate(DRIVE, { op: 'rename', id: id('/Pair/Docs/c.txt'), name: 'c2.txt' });
    sim.log.reset();
    const second = await run(p, client, { listing: false });
    expect(second).toMatchObject({ via: 'feed', counts: { moved: 1 } });
    const [request] = withToken();
    expect(request!.route).toBe('GET /3/drive/{drive}/files/{file}/activities');
    const query = new URL(request!.path, 'https://x').searchParams;
    expect(Number(query.get('from_date'))).toBeGreaterThan(1_000_000_000);
    expect(query.has('from')).toBe(false);
    expect(query.getAll('actions[]')).toContain('file_rename');
    expect(query.getAll('actions[]')).not.toContain('file_access');
    expect(await tree(p.root)).toMatchObject({ 'Docs/c2.txt': 'gamma' });
    sim.mutate(DRIVE, { op: 'rename', id: id('/Pair/Docs/c2.txt'), name: 'c.txt' });
  });
});

describe('the drive-wide continue feed', () => {
  it('an unchanged pair: one request; ignored actions and changes elsewhere cost no relist', async () => {
    const p = await pair();
    await run(p);
    sim.log.reset();
    const quiet = await run(p);
    expect(quiet).toMatchObject({ via: 'feed', plan: { actions: [] } });
    expect(routes()).toEqual([CONTINUE]);
    expect(withToken()[0]!.path).toMatch(/[?&]with=files\.capabilities(&|$)/);

    for (const action of ['file_access', 'file_share_create', 'share_link_create', 'acl_user_insert', 'comment_create'])
      sim.mutate(DRIVE, { op: 'note', id: id('/Pair/a.txt'), action });
    sim.mutate(DRIVE, { op: 'note', id: id('/Elsewhere/x.txt'), action: 'file_access' });
    sim.mutate(DRIVE, { op: 'change', id: id('/Elsewhere/x.txt'), content: { text: 'changed elsewhere' } });
    sim.mutate(DRIVE, { op: 'rename', id: id('/Elsewhere/x.txt'), name: 'y.txt' });
    sim.log.reset();
    const noise = await run(p);
    expect(noise).toMatchObject({ via: 'feed', plan: { actions: [] } });
    expect(p.source!.feedStats).toEqual({ actions: 8, ignored: 6 });
    expect(routes()).toEqual([CONTINUE]);
  });

  it('changes in the pair are applied from the actions alone (no file list, no relist)', async () => {
    const p = await pair();
    await run(p);
    sim.mutate(DRIVE, { op: 'change', id: id('/Pair/a.txt'), content: { text: 'alpha 2' } });
    sim.mutate(DRIVE, { op: 'rename', id: id('/Pair/Docs'), name: 'Papers' });
    sim.mutate(DRIVE, { op: 'move', id: id('/Pair/b.txt'), parentId: id('/Pair/Papers') });
    sim.mutate(DRIVE, { op: 'move', id: id('/Elsewhere/y.txt'), parentId: id('/Pair') }); // a file moves in
    const made = sim.mutate(DRIVE, { op: 'add', parentId: id('/Pair'), name: 'New', dir: true });
    sim.mutate(DRIVE, { op: 'add', parentId: made, name: 'n.txt', content: { text: 'new' } });
    sim.log.reset();
    const second = await run(p);
    expect(second.via).toBe('feed');
    expect(second.counts).toMatchObject({ added: 2, updated: 1, moved: 2, failed: 0 });
    expect(routes().filter((r) => r !== DOWNLOAD)).toEqual([CONTINUE]);
    expect(await tree(p.root)).toEqual({
      'New/n.txt': 'new',
      'Papers/b.txt': 'beta',
      'Papers/c.txt': 'gamma',
      'a.txt': 'alpha 2',
      'y.txt': 'changed elsewhere',
    });

    // A file moving out is gone from the pair; a folder moving in (contents unknown) makes the run list again.
    sim.mutate(DRIVE, { op: 'move', id: id('/Pair/y.txt'), parentId: id('/Elsewhere') });
    sim.mutate(DRIVE, { op: 'move', id: id('/Elsewhere/Folder'), parentId: id('/Pair') });
    sim.log.reset();
    const third = await run(p);
    expect(third.via).toBe('listing');
    expect(routes().slice(0, 3)).toEqual([CONTINUE, 'GET /2/drive/{drive}/files/listing', WALK]);
    expect(await tree(p.root)).toMatchObject({ 'Folder/inner.txt': 'comes with its folder' });
    expect(await tree(p.root)).not.toHaveProperty('y.txt');
    // Back to the feed on the next run.
    sim.mutate(DRIVE, { op: 'move', id: id('/Pair/Folder'), parentId: id('/Elsewhere') });
    const fourth = await run(p);
    expect(fourth.via).toBe('feed');
    expect(await tree(p.root)).not.toHaveProperty('Folder/inner.txt');
  });

  it('has_more pages: 1,500 actions are two pages, applied without a relist', async () => {
    const p = await pair();
    await run(p);
    for (let i = 0; i < 1499; i++) sim.mutate(DRIVE, { op: 'note', id: id('/Pair/a.txt'), action: 'file_access' });
    sim.mutate(DRIVE, { op: 'change', id: id('/Pair/a.txt'), content: { text: 'alpha 3' } });
    sim.log.reset();
    const paged = await run(p);
    expect(paged.via).toBe('feed');
    expect(routes()).toEqual([CONTINUE, CONTINUE, DOWNLOAD]);
    expect(p.source!.feedStats).toEqual({ actions: 1500, ignored: 1499 });
    expect(await readFile(join(p.root, 'a.txt'), 'utf8')).toBe('alpha 3');
  });

  it('a refused continue (403) falls back to the full listing; the drive then tries activities', async () => {
    const p = await pair();
    await run(p);
    sim.mutate(DRIVE, { op: 'add', parentId: id('/Pair'), name: 'late.txt', content: { text: 'late' } });
    sim.log.reset();
    const refused = await run(p, client, { continue: false });
    expect(refused).toMatchObject({ via: 'listing', counts: { added: 1, failed: 0 } });
    expect(routes().filter((r) => r !== DOWNLOAD)).toEqual([
      CONTINUE,
      WALK,
      'GET /3/drive/{drive}/files/{file}/activities',
    ]);
    expect(await p.memory.get(`c:${DRIVE}`)).toBe('activities');
  });
});

describe('parse loudly', () => {
  /** The real client, except that the feed's answer is replaced. */
  function mangled(data: unknown): InfomaniakApi {
    return {
      get: async (host: 'api', path: string, options?: object) =>
        path.endsWith('/listing/continue') || path.endsWith('/activities')
          ? { data }
          : client.get(host, path, options as never),
    } as unknown as InfomaniakApi;
  }

  it.each([
    ['actions is not a list', { cursor: 'c', has_more: false, actions: 'none' }],
    ['an action without its id', { cursor: 'c', has_more: false, actions: [{ action: 'file_trash' }] }],
    ['no has_more', { cursor: 'c', actions: [] }],
    ['the old shape (actions_files, no cursor in data)', { actions: [], actions_files: [] }],
  ])('a continue answer that does not decode (%s) fails the run and changes nothing', async (_label, data) => {
    const p = await pair();
    await run(p);
    const before = await tree(p.root);
    const name = `pending-${n}.txt`;
    sim.mutate(DRIVE, { op: 'add', parentId: id('/Pair'), name, content: { text: 'must not be lost' } });
    const failed = await run(p, mangled(data)).then(
      () => null,
      (error: unknown) => appErrorFrom(error),
    );
    expect(failed).toMatchObject({ code: 'api_error' });
    expect(failed!.message).toMatch(/change feed \(listing\/continue\) in a form the app does not understand/);
    expect(await tree(p.root)).toEqual(before);
    // The drive's feed is forgotten: the next run lists again (the change is not lost) and probes afresh.
    expect(await p.memory.get(`c:${DRIVE}`)).toBeUndefined();
    const next = await run(p);
    expect(next.via).toBe('listing');
    expect(await tree(p.root)).toMatchObject({ [name]: 'must not be lost' });
  });

  it('an activities answer that is not a list fails the run too', async () => {
    const p = await pair();
    await run(p, client, { listing: false });
    const before = await tree(p.root);
    const failed = await run(p, mangled({ activities: [] }), { listing: false }).then(
      () => null,
      (error: unknown) => appErrorFrom(error),
    );
    expect(failed?.message).toMatch(/change feed \(activities\)/);
    expect(await tree(p.root)).toEqual(before);
  });
});
