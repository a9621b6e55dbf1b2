/**
 * The three ways a later run learns the remote state, against the simulator over real HTTPS: the
 * `listing/continue` cursor feed, the activities feed, and no feed (the full recursive listing).
 * The same remote changes must give the same local tree (names, contents) whichever is used, and
 * the probe remembers per drive which feed answered. Requests are counted in the simulator's log.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { FeedSettings, ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { clientFor } from '../sources/test-support';
import { runPair } from './engine';
import type { RunOutcome } from './engine';
import { FeedMemory } from './feed';
import type { FeedKind } from './feed';
import { feedSourceFor, runOptions } from './test-support';

const TOKEN = 'feeds-token-0123456789';
const DRIVE = 5601;

const scenario: ScenarioInput = {
  name: 'sync-feeds',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 89, name: 'Feeds AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Feeds',
      account_id: 89,
      tree: {
        common: [
          {
            name: 'Work',
            children: [
              { name: 'a.txt', content: 'alpha' },
              { name: 'b.txt', content: 'beta' },
              { name: 'gone.txt', content: 'to be trashed' },
              { name: 'leaves.txt', content: 'moves out of the pair' },
              {
                name: 'Docs',
                children: [
                  { name: 'c.txt', content: 'gamma' },
                  { name: 'd.txt', content: 'delta' },
                ],
              },
              { name: 'Old', children: [{ name: 'inside.txt', content: 'in a folder that is deleted' }] },
            ],
          },
          { name: 'Outside', children: [{ name: 'arrives.txt', content: 'moves into the pair' }] },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;
const id = (path: string) => sim.idOf(DRIVE, `/Common documents${path}`)!;
const requests = () => sim.log.entries().filter((e) => e.origin === 'api');
const routes = () => requests().map((e) => e.route);

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'sync-feeds-'));
});
afterEach(() => sim.setFeeds({ activities: true, listing: true }));
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

interface Mode {
  name: string;
  feeds: Partial<FeedSettings>;
  kind: FeedKind;
  memory: FeedMemory;
}

async function mode(name: string, feeds: Partial<FeedSettings>, kind: FeedKind): Promise<Mode> {
  await mkdir(join(dir, name, 'mem'), { recursive: true });
  await mkdir(join(dir, name, 'root'), { recursive: true });
  return { name, feeds, kind, memory: new FeedMemory(join(dir, name, 'mem')) };
}

function run(m: Mode): Promise<RunOutcome> {
  sim.setFeeds(m.feeds);
  const root = join(dir, m.name, 'root');
  const state = join(dir, m.name, 'state');
  return runPair(
    runOptions(
      {
        root,
        stateDir: state,
        source: feedSourceFor(client, { driveId: DRIVE, folderId: id('/Work') }, { stateDir: state, memory: m.memory }),
      },
      { concurrency: 4, now: Date.now },
    ),
  );
}

/** Every path below the pair's folder (outside .trash) with the file's text. */
async function contents(m: Mode): Promise<Record<string, string>> {
  const base = join(dir, m.name, 'root');
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(base, rel), { withFileTypes: true })) {
      if (rel === '' && d.name === '.trash') continue;
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        out[`${path}/`] = '';
        await walk(path);
      } else out[path] = await readFile(join(base, path), 'utf8');
    }
  };
  await walk('');
  return out;
}

describe('sync with each change feed', () => {
  let modes: Mode[];

  it('the first run probes the cursor feed first, then activities, and remembers the answer', async () => {
    modes = [
      await mode('cursor', { listing: true, activities: true }, 'listing'),
      await mode('activities', { listing: false, activities: true }, 'activities'),
      await mode('none', { listing: false, activities: false }, 'none'),
    ];
    for (const m of modes) {
      sim.log.reset();
      const first = await run(m);
      expect(first.via).toBe('listing');
      expect(first.counts.added).toBe(7);
      expect(await m.memory.get(`c:${DRIVE}`)).toBe(m.kind);
      const r = routes();
      expect(r[0]).toBe('GET /2/drive/{drive}/files/listing');
      expect(r.includes('GET /3/drive/{drive}/files/{file}/activities')).toBe(m.kind !== 'listing');
    }
  });

  it('the same remote changes give the same local tree through either feed or the full listing', async () => {
    const work = id('/Work');
    sim.mutate(DRIVE, { op: 'change', id: id('/Work/a.txt'), content: { text: 'alpha, second version' } });
    sim.mutate(DRIVE, { op: 'rename', id: id('/Work/Docs'), name: 'Papers' });
    sim.mutate(DRIVE, { op: 'change', id: id('/Work/Papers/c.txt'), content: { text: 'gamma 2' } });
    sim.mutate(DRIVE, { op: 'move', id: id('/Work/b.txt'), parentId: id('/Work/Papers') });
    sim.mutate(DRIVE, { op: 'delete', id: id('/Work/gone.txt') });
    sim.mutate(DRIVE, { op: 'delete', id: id('/Work/Old') });
    sim.mutate(DRIVE, { op: 'move', id: id('/Work/leaves.txt'), parentId: id('/Outside') });
    sim.mutate(DRIVE, { op: 'move', id: id('/Outside/arrives.txt'), parentId: work });
    const fresh = sim.mutate(DRIVE, { op: 'add', parentId: work, name: 'New', dir: true });
    sim.mutate(DRIVE, { op: 'add', parentId: fresh, name: 'e.txt', content: { text: 'epsilon' } });

    const trees: Array<Record<string, string>> = [];
    for (const m of modes) {
      sim.log.reset();
      const second = await run(m);
      expect(second.via).toBe(m.kind === 'none' ? 'listing' : 'feed');
      expect(second.counts).toMatchObject({ added: 2, updated: 2, moved: 2, trashed: 3, conflicts: 0, failed: 0 });
      if (m.kind === 'listing') {
        // one drive-wide listing/continue page, then the 4 downloads (2 new, 2 updated)
        expect(routes()[0]).toBe('GET /2/drive/{drive}/files/listing/continue');
        expect(requests()).toHaveLength(5);
      }
      trees.push(await contents(m));
    }
    expect(trees[0]).toEqual({
      'New/': '',
      'New/e.txt': 'epsilon',
      'Papers/': '',
      'Papers/b.txt': 'beta',
      'Papers/c.txt': 'gamma 2',
      'Papers/d.txt': 'delta',
      'a.txt': 'alpha, second version',
      'arrives.txt': 'moves into the pair',
    });
    expect(trees[1]).toEqual(trees[0]);
    expect(trees[2]).toEqual(trees[0]);

    for (const m of modes) {
      sim.log.reset();
      const third = await run(m);
      expect(third.plan.actions).toEqual([]);
      expect(requests().length).toBeLessThanOrEqual(m.kind === 'none' ? 1 : 3);
    }
  });

  it('an expired cursor (invalid_cursor_error) makes the run relist, with a fresh cursor', async () => {
    const cursor = modes[0]!;
    sim.mutate(DRIVE, { op: 'add', parentId: id('/Work'), name: 'late.txt', content: { text: 'late' } });
    sim.expireFeedCursors();
    sim.log.reset();
    const relisted = await run(cursor);
    expect(relisted.via).toBe('listing');
    expect(relisted.counts.added).toBe(1);
    expect(routes().slice(0, 3)).toEqual([
      'GET /2/drive/{drive}/files/listing/continue',
      'GET /2/drive/{drive}/files/listing',
      'GET /3/drive/{drive}/files/{file}/files',
    ]);
    expect(await cursor.memory.get(`c:${DRIVE}`)).toBe('listing');
    sim.mutate(DRIVE, { op: 'rename', id: id('/Work/late.txt'), name: 'later.txt' });
    sim.log.reset();
    const next = await run(cursor);
    expect(next.via).toBe('feed');
    expect(next.counts.moved).toBe(1);
    expect(requests()).toHaveLength(1);
    expect(await readFile(join(dir, 'cursor', 'root', 'later.txt'), 'utf8')).toBe('late');
  });

  it('a drive whose cursor feed stops answering lists again and is probed afresh (activities) in that run', async () => {
    const cursor = modes[0]!;
    sim.setFeeds({ listing: false, activities: true });
    sim.log.reset();
    const relisted = await runWith(cursor, { listing: false, activities: true });
    expect(relisted.via).toBe('listing');
    expect(routes()).toEqual([
      'GET /2/drive/{drive}/files/listing/continue', // 403
      'GET /3/drive/{drive}/files/{file}/files',
      'GET /3/drive/{drive}/files/{file}/activities',
    ]);
    expect(await cursor.memory.get(`c:${DRIVE}`)).toBe('activities');
    const again = await runWith(cursor, { listing: false, activities: true });
    expect(again.via).toBe('feed');
    expect(again.plan.actions).toEqual([]);
  });
});

function runWith(m: Mode, feeds: Partial<FeedSettings>): Promise<RunOutcome> {
  return run({ ...m, feeds });
}
