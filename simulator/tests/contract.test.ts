/**
 * Contract tests: the simulator's answers match the samples and facts of docs/infomaniak-api.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, child, listAll, open } from './test-support';
import type { Client, CursorPage } from './test-support';

const FULL = 'edge-full-token';
let c: Client;

beforeAll(async () => {
  c = await open('edge', FULL, { now: new Date('2025-06-01T10:00:00Z') });
});
afterAll(() => c.close());

interface ErrorBody {
  result: 'error';
  error: { code: string; description: string; context: Record<string, unknown>; errors: unknown[] };
}

describe('envelopes', () => {
  it('success: {"result":"success","data":…} for /1/accounts', async () => {
    const { status, body } = await c.json<{ result: string; data: Array<Record<string, unknown>> }>(
      'api',
      '/1/accounts',
    );
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['result', 'data']);
    expect(body.result).toBe('success');
    expect(body.data.map((a) => a.id)).toEqual([3001, 3002, 3003]);
    for (const a of body.data) {
      expect(a).toMatchObject({ name: expect.any(String), type: expect.any(String) });
      expect(Number.isInteger(a.created_at)).toBe(true);
      expect(a).toHaveProperty('legal_entity_type');
    }
  });

  it('matches the live empty-folder sample key for key', async () => {
    const empty = await byPath(c, 7001, '/Common documents/Empty folder');
    const { status, body } = await c.json<CursorPage>('api', `/3/drive/7001/files/${empty.id}/files?limit=10`);
    expect(status).toBe(200);
    // {"result":"success","data":[],"response_at":1741257188,"cursor":null,"has_more":false}
    expect(Object.keys(body)).toEqual(['result', 'data', 'response_at', 'cursor', 'has_more']);
    expect(body).toMatchObject({ result: 'success', data: [], cursor: null, has_more: false });
    expect(Number.isInteger(body.response_at)).toBe(true);
  });

  it('matches the error sample exactly for an unknown drive', async () => {
    const { status, body } = await c.json('api', '/3/drive/999999/files/1/files');
    expect(status).toBe(404);
    expect(body).toEqual({
      result: 'error',
      error: { code: 'object_not_found', description: 'Object not found', context: { model: 'Drive' }, errors: [] },
    });
  });

  it('drives carry the sample keys with the sample types', async () => {
    const { body } = await c.json<{ data: Array<Record<string, unknown>>; total: number }>(
      'api',
      '/2/drive?account_id=3001',
    );
    const sample = {
      id: 764000,
      name: 'Example',
      size: 131941395333120,
      used_size: 188459771781,
      account_id: 46276,
      in_maintenance: false,
    };
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) {
      for (const [k, v] of Object.entries(sample)) expect(typeof d[k], k).toBe(typeof v);
      for (const k of ['role', 'maintenance_reason', 'is_locked', 'created_at', 'updated_at', 'preferences', 'pack']) {
        expect(d).toHaveProperty(k);
      }
      expect(d.pack).toEqual({
        name: expect.any(String),
        display_name: expect.any(String),
        is_free: expect.any(Boolean),
      });
      expect(d.preferences).toMatchObject({ color: expect.any(String) });
    }
  });
});

describe('auth and scopes', () => {
  it('401 not_authorized for no, unknown and revoked tokens', async () => {
    for (const token of [null, 'nope', 'edge-revoked-token']) {
      const { status, body } = await c.json<ErrorBody>('api', '/1/accounts', { token });
      expect(status).toBe(401);
      expect(body.error.code).toBe('not_authorized');
    }
  });

  it('revokes and restores a token at runtime', async () => {
    c.sim.revokeToken(FULL);
    expect((await c.req('api', '/1/accounts')).status).toBe(401);
    expect(c.sim.tokens.find((t) => t.value === FULL)?.revoked).toBe(true);
    c.sim.restoreToken(FULL);
    expect((await c.req('api', '/1/accounts')).status).toBe(200);
  });

  it('403 all_scopes naming the missing scope', async () => {
    const cases: Array<[string, 'api' | 'calendar' | 'contacts', string, string]> = [
      ['edge-drive-only-token', 'api', '/1/accounts', 'accounts'],
      ['edge-no-drive-token', 'api', '/2/drive?account_id=3001', 'drive'],
      ['edge-no-drive-token', 'api', '/3/drive/7001/files/1/files', 'drive'],
      ['edge-drive-only-token', 'calendar', '/api/pim/calendar', 'workspace:calendar'],
      ['edge-drive-only-token', 'contacts', '/api/pim/addressbook', 'workspace:contact'],
    ];
    for (const [token, origin, path, scope] of cases) {
      const { status, body } = await c.json<ErrorBody>(origin, path, { token });
      expect(status, path).toBe(403);
      expect(body.error.code).toBe('all_scopes');
      expect(body.error.context.scopes).toEqual([scope]);
    }
  });

  it('accepts the "contacts" scope for contacts routes', async () => {
    const { status } = await c.json('contacts', '/api/pim/contact/all?with=emails', {
      token: 'edge-contacts-alias-token',
    });
    expect(status).toBe(200);
  });

  it('a token reaching one account does not see the others', async () => {
    const token = 'edge-one-account-token';
    const { body } = await c.json<{ data: Array<{ id: number }> }>('api', '/1/accounts', { token });
    expect(body.data.map((a) => a.id)).toEqual([3001]);
    expect((await c.json<ErrorBody>('api', '/2/drive?account_id=3002', { token })).status).toBe(404);
    expect((await c.json<ErrorBody>('api', '/3/drive/7002/files/1/files', { token })).status).toBe(404);
  });
});

describe('drives', () => {
  it('/2/drive requires account_id (422 validation_failed)', async () => {
    const { status, body } = await c.json<ErrorBody>('api', '/2/drive');
    expect(status).toBe(422);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.errors).toHaveLength(1);
  });

  it('a standalone drive lives on its own account id; a shared drive shows under both accounts', async () => {
    const a = await c.json<{ data: Array<{ id: number; account_id: number }> }>('api', '/2/drive?account_id=3001');
    const b = await c.json<{ data: Array<{ id: number; account_id: number }> }>('api', '/2/drive?account_id=3002');
    expect(a.body.data.map((d) => d.id)).toEqual([7001, 7003, 7004]);
    expect(b.body.data.map((d) => d.id)).toEqual([7002, 7004]);
    expect(b.body.data.find((d) => d.id === 7004)?.account_id).toBe(3001);
  });

  it('an account whose drive listing fails', async () => {
    const { status, body } = await c.json<ErrorBody>('api', '/2/drive?account_id=3003');
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal_error');
  });

  it('a drive in maintenance is listed, and its files answer 503', async () => {
    const { body } = await c.json<{ data: Array<{ id: number; in_maintenance: boolean; maintenance_reason: string }> }>(
      'api',
      '/2/drive?account_id=3001',
    );
    expect(body.data.find((d) => d.id === 7003)).toMatchObject({
      in_maintenance: true,
      maintenance_reason: 'technical',
    });
    const res = await c.json<ErrorBody>('api', '/3/drive/7003/files/1/files');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('drive_is_in_maintenance_error');
  });
});

describe('files', () => {
  it('root 1 holds Private, Common documents and Shared with their visibility', async () => {
    const root = await listAll(c, 7001, 1);
    expect(root.map((f) => [f.name, f.visibility])).toEqual([
      ['Common documents', 'is_team_space'],
      ['Private', 'is_private_space'],
      ['Shared', 'is_shared_space'],
    ]);
  });

  it('default file fields, times in unix seconds, with=path,capabilities,hash', async () => {
    const folder = await byPath(c, 7001, '/Common documents');
    const files = await listAll(c, 7001, folder.id, 'with=path,capabilities,hash');
    const base = [
      'id',
      'name',
      'type',
      'status',
      'visibility',
      'drive_id',
      'depth',
      'parent_id',
      'created_by',
      'created_at',
      'added_at',
      'last_modified_at',
      'revised_at',
      'updated_at',
    ];
    const file = files.find((f) => f.name === 'Zero.bin')!;
    expect(Object.keys(file)).toEqual([...base, 'size', 'mime_type', 'extension_type', 'path', 'capabilities', 'hash']);
    expect(file).toMatchObject({ size: 0, drive_id: 7001, parent_id: folder.id, path: '/Common documents/Zero.bin' });
    expect(file.hash).toMatch(/^xxh3:[0-9a-f]{16}$/);
    const dir = files.find((f) => f.name === 'Empty folder')!;
    expect(Object.keys(dir)).toEqual([...base, 'color', 'path', 'capabilities']);
    for (const f of files) {
      for (const k of ['added_at', 'last_modified_at', 'revised_at', 'updated_at'])
        expect(Number.isInteger(f[k])).toBe(true);
    }
    expect(files.find((f) => f.name === 'created-null.txt')?.created_at).toBeNull();
    expect(files.find((f) => f.name === 'Locked.docx')?.status).toBe('locked');
  });

  it('listing the children of a file answers 400 destination_not_a_directory', async () => {
    const f = await byPath(c, 7001, '/Common documents/Zero.bin');
    const { status, body } = await c.json<ErrorBody>('api', `/3/drive/7001/files/${f.id}/files`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('destination_not_a_directory');
    expect((await c.json('api', `/2/drive/7001/files/${f.id}/files`)).status).toBe(400);
  });

  it('unknown files are 404 object_not_found', async () => {
    const { status, body } = await c.json<ErrorBody>('api', '/3/drive/7001/files/99999999/files');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'object_not_found', context: { model: 'File' } });
  });

  it('serves hostile names verbatim', async () => {
    const folder = await byPath(c, 7001, '/Common documents/Hostile names');
    const names = (await listAll(c, 7001, folder.id)).map((f) => f.name);
    for (const n of [
      '../escape',
      'CON.txt',
      'a\\b',
      'bell\u0007.txt',
      'new\nline.txt',
      'x'.repeat(251) + '.txt',
      'ü'.repeat(127) + 'x',
      '🎉 Party 🥳.txt',
      'Cafe\u0301.txt',
      'Café.txt',
      'Readme.md',
      'README.md',
      'trailing dot.',
      'trailing space ',
    ]) {
      expect(names, JSON.stringify(n)).toContain(n);
    }
    expect(Buffer.byteLength('ü'.repeat(127) + 'x')).toBe(255);
  });

  it('a generated tree 8 levels deep', async () => {
    let cur = await byPath(c, 7001, '/Common documents/Deep');
    for (let level = 1; level <= 8; level++) {
      const kids = await listAll(c, 7001, cur.id, 'with=path');
      expect(kids.filter((k) => k.type === 'file')).toHaveLength(2);
      const next = kids.find((k) => k.type === 'dir');
      expect(next?.name).toBe(`level-${level}`);
      cur = next!;
    }
    expect(cur.path).toBe(`/Common documents/Deep/${Array.from({ length: 8 }, (_, i) => `level-${i + 1}`).join('/')}`);
    expect((await listAll(c, 7001, cur.id)).every((k) => k.type === 'file')).toBe(true);
  });

  it('written and generated children side by side', async () => {
    const mixed = await byPath(c, 7001, '/Common documents/Mixed');
    const kids = await listAll(c, 7001, mixed.id);
    expect(kids).toHaveLength(2 + 2 + 50);
    expect(kids.slice(0, 3).map((k) => k.name)).toEqual(['written-folder', 'gen-dir-1', 'gen-dir-2']);
    expect(new Set(kids.map((k) => k.id)).size).toBe(kids.length);
  });

  it('/hash answers "xxh3:<16 hex>"', async () => {
    const f = await byPath(c, 7001, '/Common documents/image.png');
    const { status, body } = await c.json<{ data: { hash: string } }>('api', `/2/drive/7001/files/${f.id}/hash`);
    expect(status).toBe(200);
    expect(body.data.hash).toMatch(/^xxh3:[0-9a-f]{16}$/);
  });
});

describe('calendar', () => {
  it('lists calendars on the calendar origin and on both fallbacks', async () => {
    const a = await c.json<{ data: { calendars: Array<{ id: number; name: string }> } }>(
      'calendar',
      '/api/pim/calendar',
    );
    const b = await c.json('api', '/1/calendar/pim/calendar');
    const m = await c.json('mail', '/api/pim/calendar');
    expect(a.status).toBe(200);
    expect(a.body.data.calendars.map((x) => x.name)).toEqual(['Édge 📅', 'Empty calendar']);
    expect(b.body).toEqual(a.body);
    expect(m.body).toEqual(a.body);
  });

  it('events: timed with offsets and zones, all-day dates, rrule, attendees, alarms', async () => {
    const q = `calendar_id=11&from=${encodeURIComponent('2025-01-01 00:00:00')}&to=${encodeURIComponent('2025-12-31 00:00:00')}`;
    const { status, body } = await c.json<{ data: Array<Record<string, unknown>> }>('calendar', `/api/pim/event?${q}`);
    expect(status).toBe(200);
    const byId = new Map(body.data.map((e) => [e.id, e]));
    expect(byId.get(9001)).toMatchObject({
      title: 'Ünïcödé 🎉 <b>not html</b>',
      start: '2025-06-02T09:00:00+02:00',
      end: '2025-06-02T10:00:00+02:00',
      timezone_start: 'Europe/Zurich',
      fullday: false,
    });
    expect(byId.get(9002)).toMatchObject({ start: '2025-06-29', end: '2025-07-04', fullday: true });
    expect(byId.get(9003)).toMatchObject({ start: '2025-06-03T08:00:00+12:45', timezone_start: 'Pacific/Chatham' });
    expect(byId.get(9004)).toMatchObject({ start: '2025-03-29T22:00:00+01:00', end: '2025-03-30T04:00:00+02:00' });
    expect(byId.get(9005)).toMatchObject({ end: '2025-06-05T18:00:00-07:00', timezone_end: 'America/Los_Angeles' });
    expect(byId.get(9006)?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20250630T000000Z');
    const many = byId.get(9009) as { attendees: unknown[]; alarms: unknown[] };
    expect(many.attendees).toHaveLength(20);
    expect(many.attendees[0]).toEqual({
      address: 'person0@example.com',
      name: 'Person 0',
      organizer: false,
      state: 'ACCEPTED',
    });
    expect(many.alarms).toHaveLength(3);
    for (const e of body.data) {
      for (const k of ['id', 'calendar_id', 'title', 'description', 'start', 'end', 'timezone_start', 'timezone_end']) {
        expect(e).toHaveProperty(k);
      }
      for (const k of ['fullday', 'freebusy', 'private', 'rrule', 'attendees', 'alarms', 'attachments']) {
        expect(e).toHaveProperty(k);
      }
    }
  });

  it('filters by from/to and answers one event by id', async () => {
    const q = `calendar_id=11&from=${encodeURIComponent('2025-06-10 00:00:00')}&to=${encodeURIComponent('2025-06-11 00:00:00')}`;
    const { body } = await c.json<{ data: Array<{ id: number }> }>('calendar', `/api/pim/event?${q}`);
    // the weekly series (until end of June) and the daily x5 series overlap that day
    expect(body.data.map((e) => e.id).sort()).toEqual([9006, 9007]);
    const one = await c.json<{ data: { id: number } }>('api', '/1/calendar/pim/event/9003');
    expect(one.body.data.id).toBe(9003);
    expect((await c.json('calendar', '/api/pim/event/123')).status).toBe(404);
    expect((await c.json('calendar', '/api/pim/event')).status).toBe(422);
  });
});

describe('contacts', () => {
  it('address books under data.addressbooks', async () => {
    const { body } = await c.json<{ data: { addressbooks: Array<Record<string, unknown>> } }>(
      'contacts',
      '/api/pim/addressbook',
    );
    expect(body.data.addressbooks[0]).toMatchObject({ id: 21, name: 'Édge contacts', default: true });
    for (const b of body.data.addressbooks)
      expect(Object.keys(b)).toEqual(expect.arrayContaining(['id', 'uuid', 'name', 'default', 'account_name']));
    const viaMail = await c.json('mail', '/api/pim/addressbook');
    expect(viaMail.body).toEqual(body);
  });

  it('contacts with emails, phones and others (objects shape in edge)', async () => {
    const { body } = await c.json<{ data: Array<Record<string, unknown>> }>(
      'contacts',
      '/api/pim/contact/all?with=emails,phones,others',
    );
    const five = body.data.find((x) => x.id === 8002)!;
    expect(five).toMatchObject({ firstname: 'Five', lastname: 'Emails', addressbook_id: 21, name: 'Five Emails' });
    expect(five.emails).toHaveLength(5);
    expect((five.emails as unknown[])[0]).toEqual({ id: expect.any(Number), type: 'home', value: 'five0@example.com' });
    const jose = body.data.find((x) => x.id === 8006)!;
    expect(jose.addresses).toEqual([
      expect.objectContaining({ city: 'Genève', street: "Rue de l'Église 1\nBâtiment B" }),
    ]);
    const bare = await c.json<{ data: Array<Record<string, unknown>> }>('contacts', '/api/pim/contact/all');
    expect(bare.body.data[0]).not.toHaveProperty('emails');
  });

  it('serves photos at the avatar URL', async () => {
    const { body } = await c.json<{ data: Array<{ id: number; avatar: string | null }> }>(
      'contacts',
      '/api/pim/contact/all',
    );
    const url = body.data.find((x) => x.id === 8004)?.avatar;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/pim\/contact\/8004\/avatar$/);
    const res = await c.fetchUrl(url!, { headers: { authorization: `Bearer ${FULL}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });
});

describe('mail', () => {
  it('blocked: the seed routes redirect or 404, whatever the token', async () => {
    for (const path of ['/api/mailbox', '/api/mail', '/api/pim/mail', '/api/pim/mailbox', '/api/pim/folder']) {
      const res = await c.req('mail', path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toMatch(/^https:\/\/login\.infomaniak\.com\/authorize\?/);
    }
    const moved = await c.req('mail', '/api/mail/?account_id=3001');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('http://mail.infomaniak.com:5000/api/mail/?account_id=3001');
    for (const path of ['/1/mail', '/2/mail']) expect((await c.req('api', path)).status, path).toBe(404);
  });

  it('open: mailboxes, folders, threads, a message and its raw .eml', async () => {
    c.sim.setMailMode('open');
    try {
      const boxes = await c.json<{ data: Array<{ uuid: string; email: string }> }>('mail', '/api/mailbox');
      expect(boxes.status).toBe(200);
      const box = boxes.body.data[0]!;
      expect(box).toMatchObject({ email: 'edge@edge.example', mailbox: 'edge', is_primary: true });
      const folders = await c.json<{ data: Array<{ id: string; name: string; role: string }> }>(
        'mail',
        `/api/mail/${box.uuid}/folder`,
      );
      const inbox = folders.body.data.find((f) => f.role === 'INBOX')!;
      const list = await c.json<{
        data: { threads: Array<{ messages: Array<{ resource: string; subject: string }> }>; count: number };
      }>('mail', `/api/mail/${box.uuid}/folder/${inbox.id}/message?offset=0&limit=10&thread=on`);
      expect(list.body.data.count).toBe(3);
      const raw = list.body.data.threads.flatMap((t) => t.messages).find((m) => m.subject === 'Raw message')!;
      const eml = await c.req('mail', `${raw.resource}/download`);
      expect(eml.headers.get('content-type')).toBe('message/rfc822');
      expect(await eml.text()).toContain('Served byte for byte.');
      const umlaut = list.body.data.threads.flatMap((t) => t.messages).find((m) => m.subject.startsWith('Ümläut'))!;
      const text = await (await c.req('mail', `${umlaut.resource}/download`)).text();
      expect(text).toMatch(/^From: /);
      expect(text).toContain('Subject: =?UTF-8?B?');
      expect(text).toContain('multipart/mixed');
      const detail = await c.json<{ data: { body: { value: string } } }>('mail', umlaut.resource);
      expect(detail.body.data.body.value).toBe('Anhang anbei.');
      expect((await c.req('mail', '/api/pim/folder')).status).toBe(404);
    } finally {
      c.sim.setMailMode('blocked');
    }
  });

  it('open: the routes of the mail server for assistants, with short uids, attachments and the raw modes', async () => {
    c.sim.setMailMode('open');
    try {
      const boxes = await c.json<{ data: Array<{ uuid: string; unseen_messages?: number }> }>(
        'mail',
        '/api/mailbox?with=aliases,permissions,accountId,count_users',
      );
      expect(boxes.body.data[0]).not.toHaveProperty('unseen_messages');
      const uuid = boxes.body.data[0]!.uuid;
      const folders = await c.json<{ data: Array<{ id: string; role: string; separator: string }> }>(
        'mail',
        `/api/mail/${uuid}/folder?with=ik-static`,
      );
      const inbox = folders.body.data.find((f) => f.role === 'INBOX')!;
      expect(inbox.separator).toBe('/');
      const list = await c.json<{
        data: { threads: Array<{ messages: Array<{ uid: string; resource: string; subject: string }> }> };
      }>('mail', `/api/mail/${uuid}/folder/${inbox.id}/message?offset=0&thread=off&severywhere=0&limit=10`);
      const umlaut = list.body.data.threads.flatMap((t) => t.messages).find((m) => m.subject.startsWith('Ümläut'))!;
      const short = umlaut.uid.split('@')[0]!;
      expect(umlaut.uid).toBe(`${short}@${inbox.id}`);
      expect(umlaut.resource).toBe(`/api/mail/${uuid}/folder/${inbox.id}/message/${short}`);
      // The full uid is not a message route.
      expect((await c.req('mail', `/api/mail/${uuid}/folder/${inbox.id}/message/${umlaut.uid}`)).status).toBe(404);
      const detail = await c.json<{
        data: {
          body: { type: string };
          attachments: Array<{ name: string; mime_type: string; size: number; resource: string }>;
        };
      }>('mail', `${umlaut.resource}?prefered_format=html&with=auto_uncrypt,thread_context`);
      expect(detail.body.data.body.type).toBe('text/plain');
      const bin = detail.body.data.attachments.find((a) => a.name === 'bytes.bin')!;
      expect(bin).toMatchObject({ mime_type: 'application/octet-stream', size: 1024 });
      expect(bin.resource).toMatch(new RegExp(`^${umlaut.resource}/attachment/\\d+$`));
      const bytes = Buffer.from(await (await c.req('mail', bin.resource)).arrayBuffer());
      expect(bytes.equals(Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)))).toBe(true);
      expect((await c.req('mail', `${umlaut.resource}/attachment/99`)).status).toBe(404);

      c.sim.setMailRaw('forbidden');
      expect((await c.req('mail', `${umlaut.resource}/download`)).status).toBe(403);
      c.sim.setMailRaw('missing');
      expect((await c.req('mail', `${umlaut.resource}/download`)).status).toBe(404);
      c.sim.setMailRaw('redirect');
      const moved = await c.req('mail', `${umlaut.resource}/download`);
      expect(moved.status).toBe(302);
      expect(moved.headers.get('location')).toMatch(/^https:\/\/login\.infomaniak\.com\/authorize\?/);
    } finally {
      c.sim.setMailRaw('ok');
      c.sim.setMailMode('blocked');
    }
  });

  it('open mode still needs workspace:mail', async () => {
    c.sim.setMailMode('open');
    try {
      const { status, body } = await c.json<ErrorBody>('mail', '/api/mailbox', { token: 'edge-no-drive-token' });
      expect(status).toBe(403);
      expect(body.error.context.scopes).toEqual(['workspace:mail']);
    } finally {
      c.sim.setMailMode('blocked');
    }
  });
});

describe('request log', () => {
  it('records method, path, status and whether Authorization arrived, per origin; reset clears it', async () => {
    c.sim.log.reset();
    await c.req('api', '/1/accounts');
    await c.req('calendar', '/api/pim/calendar', { token: null });
    const entries = c.sim.log.entries();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      origin: 'api',
      method: 'GET',
      path: '/1/accounts',
      status: 200,
      authorization: true,
    });
    expect(entries[1]).toMatchObject({
      origin: 'calendar',
      path: '/api/pim/calendar',
      status: 401,
      authorization: false,
    });
    expect(entries[0]?.route).toBe('GET /1/accounts');
    c.sim.log.reset();
    expect(c.sim.log.entries()).toEqual([]);
  });
});

describe('demo scenario', () => {
  let d: Client;
  beforeAll(async () => {
    d = await open('demo', 'demo-poweron-token-7f3a9c2e51d8', { now: new Date('2026-03-10T09:00:00Z') });
    d.sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  });
  afterAll(() => d.close());

  it('two accounts, three drives, one reachable through both', async () => {
    const accounts = await d.json<{ data: Array<{ id: number }> }>('api', '/1/accounts');
    expect(accounts.body.data.map((a) => a.id)).toEqual([415203, 862714]);
    const a = await d.json<{ data: Array<{ id: number }> }>('api', '/2/drive?account_id=415203');
    const b = await d.json<{ data: Array<{ id: number; pack: { is_free: boolean } }> }>(
      'api',
      '/2/drive?account_id=862714',
    );
    expect(a.body.data.map((x) => x.id)).toEqual([610001, 610002]);
    expect(b.body.data.map((x) => x.id)).toEqual([610002, 620003]);
    expect(b.body.data.find((x) => x.id === 620003)?.pack.is_free).toBe(true);
  });

  it('photos are real PNGs, documents real PDFs', async () => {
    const photos = await byPath(d, 620003, '/Private/Fotos/Ferien Engadin 2025');
    const list = await listAll(d, 620003, photos.id);
    expect(list).toHaveLength(12);
    d.sim.setDownloads({ mode: 'direct' });
    const png = Buffer.from(await (await d.req('api', `/2/drive/620003/files/${list[0]!.id}/download`)).arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBe(list[0]!.size);
    const doc = await child(d, 620003, (await byPath(d, 620003, '/Private/Dokumente')).id, 'Lebenslauf.pdf');
    const pdf = Buffer.from(await (await d.req('api', `/2/drive/620003/files/${doc.id}/download`)).arrayBuffer());
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    d.sim.setDownloads({ mode: 'redirect' });
  });

  it('a month of events around now, forty contacts, mail open', async () => {
    const q = `from=${encodeURIComponent('2026-02-01 00:00:00')}&to=${encodeURIComponent('2026-04-15 00:00:00')}`;
    let events = 0;
    for (const id of [1, 2, 3]) {
      const { body } = await d.json<{ data: Array<{ fullday: boolean; rrule: string | null }> }>(
        'calendar',
        `/api/pim/event?calendar_id=${id}&${q}`,
      );
      events += body.data.length;
    }
    expect(events).toBeGreaterThanOrEqual(25);
    const contacts = await d.json<{ data: Array<{ emails: unknown[]; other?: boolean }> }>(
      'contacts',
      '/api/pim/contact/all?with=emails,phones,others',
    );
    expect(contacts.body.data.filter((c) => !c.other)).toHaveLength(40);
    expect(typeof contacts.body.data[0]!.emails[0]).toBe('string');
    const boxes = await d.json<{ data: unknown[] }>('mail', '/api/mailbox');
    expect(boxes.status).toBe(200);
    expect(boxes.body.data).toHaveLength(2);
  });
});
