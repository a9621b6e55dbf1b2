/**
 * The change feeds as desktop-kDrive uses them (docs/infomaniak-api.md, "Change feeds"): the
 * drive-wide `listing/continue` (actions carry the file's own fields, under `data`), the notify
 * origin's long-poll, activities by `from_date` and `actions[]`, and the scenario setting that caps
 * a recursive listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../index';
import { open } from './test-support';
import type { Client } from './test-support';

const TOKEN = 'drive-feed-token-0123456789';
const D = 7401;

const scenario: ScenarioInput = {
  name: 'drive-feed',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 74, name: 'Feed AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: D,
      name: 'Feed',
      account_id: 74,
      tree: {
        common: [
          {
            name: 'In',
            children: [
              { name: 'x.txt', content: 'x' },
              { name: 'Sub', children: [{ name: 's.txt', content: 's' }] },
            ],
          },
          { name: 'Out', children: [{ name: 'y.txt', content: 'y' }] },
          { name: 'Many', generate: { seed: 'm', files: 30, dirs: 2, depth: 1, file_name: 'f{i}.bin', size: 10 } },
        ],
      },
    },
  ],
};

interface Answer {
  result: string;
  data: { cursor?: string; has_more?: boolean; actions?: Array<Record<string, unknown>> };
  error?: { code: string };
}

let c: Client;
const id = (path: string) => c.sim.idOf(D, `/Common documents${path}`)!;

beforeAll(async () => {
  c = await open(scenario, TOKEN);
});
afterAll(() => c.close());

async function start(folder: number): Promise<string> {
  const r = await c.json<Answer>('api', `/2/drive/${D}/files/listing?directory_id=${folder}&recursive=true&limit=5`);
  expect(r.status).toBe(200);
  return r.body.data.cursor!;
}

const next = (cursor: string, limit = 1000) =>
  c.json<Answer>(
    'api',
    `/2/drive/${D}/files/listing/continue?cursor=${encodeURIComponent(cursor)}&with=files.capabilities&limit=${limit}`,
  );

describe('drive-wide listing/continue', () => {
  it('cursor, has_more and actions under data; each action carries the file; nothing else is listed', async () => {
    const cursor = await start(id('/In'));
    const none = await next(cursor);
    expect(none.body).toMatchObject({ result: 'success', data: { has_more: false, actions: [] } });
    expect(Object.keys(none.body.data).sort()).toEqual(['actions', 'cursor', 'has_more']);

    const x = id('/In/x.txt');
    c.sim.mutate(D, { op: 'change', id: x, content: { text: 'x, longer' } });
    c.sim.mutate(D, { op: 'move', id: x, parentId: id('/Out') });
    c.sim.mutate(D, { op: 'note', id: id('/Out/y.txt'), action: 'file_access' });
    const r = await next(none.body.data.cursor!);
    const [update, move, access] = r.body.data.actions!;
    expect(update).toEqual({
      action: 'file_update',
      file_id: x,
      parent_id: id('/In'),
      path: '/Common documents/In/x.txt',
      created_at: expect.any(Number),
      last_modified_at: expect.any(Number),
      file_type: 'file',
      size: 9,
      symbolic_link: null,
      capabilities: { can_write: true },
    });
    expect(move).toMatchObject({
      action: 'file_move',
      file_id: x,
      parent_id: id('/Out'),
      path: '/Common documents/In/x.txt',
      destination: '/Common documents/Out/x.txt',
    });
    // Drive-wide: a change outside the folder the cursor was started for comes too.
    expect(access).toMatchObject({ action: 'file_access', file_id: id('/Out/y.txt'), file_type: 'file' });
  });

  it('pages with has_more', async () => {
    const cursor = await start(id('/Out'));
    for (let i = 0; i < 7; i++) c.sim.mutate(D, { op: 'note', id: id('/Out/y.txt'), action: 'file_access' });
    const first = await next(cursor, 5);
    expect(first.body.data.actions).toHaveLength(5);
    expect(first.body.data.has_more).toBe(true);
    const second = await next(first.body.data.cursor!, 5);
    expect(second.body.data.actions).toHaveLength(2);
    expect(second.body.data.has_more).toBe(false);
  });

  it('403 when refused while the start route still answers; invalid_cursor_error for an expired cursor', async () => {
    const cursor = await start(id('/In'));
    c.sim.setFeeds({ continue: false });
    try {
      const refused = await next(cursor);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('forbidden_error');
      expect(await start(id('/In'))).toBeTruthy();
    } finally {
      c.sim.setFeeds({ continue: true });
    }
    c.sim.expireFeedCursors();
    const expired = await next(cursor);
    expect(expired.status).toBe(400);
    expect(expired.body.error?.code).toBe('invalid_cursor_error');
  });
});

describe('long-poll on the notify origin', () => {
  const poll = (cursor: string, token?: string | null) =>
    c.json<{ changes?: boolean; error?: { code: string } }>(
      'notify',
      `/2/drive/${D}/files/listing/longpoll?cursor=${encodeURIComponent(cursor)}&timeout=50s`,
      token === undefined ? {} : { token },
    );

  it('answers {changes:false} after the wait, {changes:true} at once after a change, and wakes on one', async () => {
    c.sim.setFeeds({ longpollWaitMs: 150 });
    const cursor = await start(id('/In'));
    const quiet = await poll(cursor);
    expect(quiet).toMatchObject({ status: 200, body: { changes: false } });
    c.sim.mutate(D, { op: 'note', id: id('/In/Sub/s.txt'), action: 'comment_create' });
    expect((await poll(cursor)).body).toEqual({ changes: true });

    c.sim.setFeeds({ longpollWaitMs: 10_000 });
    const later = await start(id('/In'));
    const waiting = poll(later);
    setTimeout(() => c.sim.mutate(D, { op: 'add', parentId: id('/In'), name: 'new.txt', content: { text: 'n' } }), 50);
    const woken = await waiting;
    expect(woken.body).toEqual({ changes: true });
    expect(c.sim.log.entries().at(-1)).toMatchObject({ origin: 'notify', authorization: true });
  });

  it('a token it does not accept: 401; without a token: 401 as everywhere', async () => {
    const cursor = await start(id('/In'));
    c.sim.setFeeds({ longpoll: false });
    try {
      expect((await poll(cursor)).status).toBe(401);
    } finally {
      c.sim.setFeeds({ longpoll: true });
    }
    expect((await poll(cursor, null)).status).toBe(401);
  });
});

describe('activities', () => {
  it('from_date (unix seconds) and actions[] choose what comes; from is not a parameter of the route', async () => {
    const folder = id('/Out');
    c.sim.mutate(D, { op: 'note', id: id('/Out/y.txt'), action: 'file_share_create' });
    const all = await c.json<{ data: Array<{ action: string; created_at: number }> }>(
      'api',
      `/3/drive/${D}/files/${folder}/activities?depth=unlimited&limit=1000`,
    );
    expect(all.body.data.length).toBeGreaterThan(1);
    const future = Math.max(...all.body.data.map((a) => a.created_at)) + 1;
    const since = await c.json<{ data: unknown[] }>(
      'api',
      `/3/drive/${D}/files/${folder}/activities?depth=unlimited&from_date=${future}`,
    );
    expect(since.body.data).toEqual([]);
    const legacy = await c.json<{ data: unknown[] }>(
      'api',
      `/3/drive/${D}/files/${folder}/activities?depth=unlimited&limit=1000&from=${future}`,
    );
    expect(legacy.body.data).toHaveLength(all.body.data.length);
    const only = await c.json<{ data: Array<{ action: string }> }>(
      'api',
      `/3/drive/${D}/files/${folder}/activities?depth=unlimited&limit=1000&actions[]=file_share_create`,
    );
    expect(only.body.data.map((a) => a.action)).toEqual(['file_share_create']);
  });
});

describe('a capped recursive listing', () => {
  it('ends after the cap as if complete (has_more false, no cursor)', async () => {
    const many = id('/Many');
    const walk = async () => {
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const r = await c.json<{ data: Array<{ id: number }>; cursor: string | null; has_more: boolean }>(
          'api',
          `/3/drive/${D}/files/${many}/files?depth=unlimited&limit=10${q}`,
        );
        ids.push(...r.body.data.map((f) => f.id));
        cursor = r.body.has_more ? r.body.cursor : null;
      } while (cursor);
      return ids;
    };
    const full = await walk();
    expect(full.length).toBe(30 + 2 + 2 * 30);
    c.sim.setListingCap(25);
    try {
      const capped = await walk();
      expect(capped).toEqual(full.slice(0, 25));
    } finally {
      c.sim.setListingCap(null);
    }
  });
});
