/**
 * The change feeds as the API record describes them: the `listing/continue` cursor feed (its
 * first cursor from the desktop app's listing route) and activities; each switchable per scenario
 * and at run time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../index';
import { open } from './test-support';
import type { Client } from './test-support';

const TOKEN = 'feed-token-0123456789';
const D = 7301;

const scenario: ScenarioInput = {
  name: 'feeds',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 73, name: 'Feed AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: D,
      name: 'Feed',
      account_id: 73,
      tree: {
        common: [
          {
            name: 'In',
            children: [
              { name: 'x.txt', content: 'x' },
              { name: 'Sub', children: [] },
            ],
          },
          { name: 'Out', children: [{ name: 'y.txt', content: 'y' }] },
        ],
      },
    },
  ],
};

interface Envelope {
  result: string;
  data: {
    cursor?: string;
    files?: Array<{ id: number }>;
    actions?: Array<Record<string, unknown>>;
    actions_files?: Array<{ id: number; name: string }>;
  };
  cursor?: string;
  has_more?: boolean;
  error?: { code: string };
}

let c: Client;
const id = (path: string) => c.sim.idOf(D, `/Common documents${path}`)!;

beforeAll(async () => {
  c = await open(scenario, TOKEN);
});
afterAll(() => c.close());

async function start(folder: number): Promise<string> {
  const r = await c.json<Envelope>('api', `/2/drive/${D}/files/listing?directory_id=${folder}&recursive=true&limit=5`);
  expect(r.status).toBe(200);
  expect(r.body.data.files!.length).toBeGreaterThan(0);
  return r.body.data.cursor!;
}

const more = (folder: number, cursor: string, limit = 10) =>
  c.json<Envelope>(
    'api',
    `/3/drive/${D}/files/${folder}/listing/continue?cursor=${encodeURIComponent(cursor)}&limit=${limit}`,
  );

describe('listing/continue', () => {
  it('answers the changes since the cursor, as seen from the folder, with the objects', async () => {
    const folder = id('/In');
    const cursor = await start(folder);
    const nothing = await more(folder, cursor);
    expect(nothing.body.data.actions).toEqual([]);
    expect(nothing.body.has_more).toBe(false);

    const [x, y, sub] = [id('/In/x.txt'), id('/Out/y.txt'), id('/In/Sub')];
    c.sim.mutate(D, { op: 'rename', id: id('/In/x.txt'), name: 'z.txt' });
    c.sim.mutate(D, { op: 'move', id: id('/In/z.txt'), parentId: id('/Out') });
    c.sim.mutate(D, { op: 'move', id: id('/Out/y.txt'), parentId: id('/In') });
    c.sim.mutate(D, { op: 'delete', id: id('/In/Sub') });
    c.sim.mutate(D, { op: 'add', parentId: id('/Out'), name: 'elsewhere.txt', content: { text: 'not ours' } });
    const r = await more(folder, nothing.body.cursor!);
    expect(r.body.data.actions!.map((a) => a.action)).toEqual([
      'file_rename',
      'file_move_out',
      'file_move',
      'file_trash',
    ]);
    expect(r.body.data.actions!.map((a) => a.file_id)).toEqual([x, x, y, sub]);
    expect(r.body.data.actions![1]).toMatchObject({ path: '/Common documents/In/z.txt' });
    expect(r.body.data.actions![2]).toMatchObject({ parent_id: id('/In'), path: '/Common documents/In/y.txt' });
    expect(r.body.data.actions_files!.map((f) => f.name).sort()).toEqual(['y.txt']);
    const after = await more(folder, r.body.cursor!);
    expect(after.body.data.actions).toEqual([]);
  });

  it('pages with has_more', async () => {
    const folder = id('/Out');
    const cursor = await start(folder);
    for (let i = 0; i < 7; i++)
      c.sim.mutate(D, { op: 'add', parentId: folder, name: `n${i}.txt`, content: { text: `${i}` } });
    const first = await more(folder, cursor, 5);
    expect(first.body.data.actions).toHaveLength(5);
    expect(first.body.has_more).toBe(true);
    const second = await more(folder, first.body.cursor!, 5);
    expect(second.body.data.actions).toHaveLength(2);
    expect(second.body.has_more).toBe(false);
  });

  it('refuses a forged or expired cursor with invalid_cursor_error, and the feed when it is off', async () => {
    const folder = id('/Out');
    const cursor = await start(folder);
    const forged = await more(folder, `${cursor.split('.')[0]}.AAAA`);
    expect(forged.status).toBe(400);
    expect(forged.body.error?.code).toBe('invalid_cursor_error');
    const foreign = await more(id('/In'), cursor);
    expect(foreign.body.error?.code).toBe('invalid_cursor_error');
    c.sim.expireFeedCursors();
    const expired = await more(folder, cursor);
    expect(expired.body.error?.code).toBe('invalid_cursor_error');

    c.sim.setFeeds({ listing: false });
    try {
      const off = await c.json<Envelope>('api', `/2/drive/${D}/files/listing?directory_id=${folder}&recursive=true`);
      expect(off.status).toBe(403);
      const activities = await c.json<Envelope>('api', `/3/drive/${D}/files/${folder}/activities?depth=unlimited`);
      expect(activities.status).toBe(200);
    } finally {
      c.sim.setFeeds({ listing: true });
    }
  });
});
