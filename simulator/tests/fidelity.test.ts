/** Behaviour taught from Infomaniak's own apps (issue 9): correspondents, drive discovery, mail threads… */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll, open } from './test-support';
import type { ApiFile, Client } from './test-support';

let demo: Client;

beforeAll(async () => {
  demo = await open('demo', 'demo-poweron-token-7f3a9c2e51d8');
});
afterAll(() => demo.close());

interface ContactJson {
  id: number;
  addressbook_id: number | null;
  other?: boolean;
  emails?: string[];
}

describe('contacts: with=others', () => {
  it('adds the people only corresponded with, as other: true in no book; a book filter leaves them out', async () => {
    const all = await demo.json<{ data: ContactJson[] }>('contacts', '/api/pim/contact/all?with=emails,others');
    const others = all.body.data.filter((c) => c.other === true);
    expect(others).toHaveLength(3);
    expect(others.every((c) => c.addressbook_id === null)).toBe(true);
    expect(others.map((c) => c.emails?.[0])).toContain('olivia.martin@example.fr');
    const plain = await demo.json<{ data: ContactJson[] }>('contacts', '/api/pim/contact/all?with=emails');
    expect(plain.body.data.some((c) => c.other)).toBe(false);
    const book = all.body.data[0]!.addressbook_id;
    const filtered = await demo.json<{ data: ContactJson[] }>(
      'contacts',
      `/api/pim/contact/all?with=emails,others&addressbook_id=${book}`,
    );
    expect(filtered.body.data.some((c) => c.other)).toBe(false);
  });
});

describe('drive discovery: /2/drive/init?with=drives', () => {
  it('lists every drive the user reaches, also one shared from an organisation outside /1/accounts', async () => {
    const edge = await open('edge', 'edge-drive-only-token');
    try {
      const init = await edge.json<{ data: { drives: Array<{ id: number; role: string; account_id: number }> } }>(
        'api',
        '/2/drive/init?with=drives',
      );
      expect(init.status).toBe(200);
      const ids = init.body.data.drives.map((d) => d.id);
      expect(ids).toEqual([7001, 7002, 7003, 7004, 7005, 7006]);
      expect(init.body.data.drives.find((d) => d.id === 7006)?.role).toBe('none');
      // The drive-only token cannot list accounts; the shared drive's organisation is not an account of the token.
      expect((await edge.json('api', '/1/accounts')).status).toBe(403);
      const full = await open('edge', 'edge-full-token');
      try {
        const accounts = await full.json<{ data: Array<{ id: number }> }>('api', '/1/accounts');
        expect(accounts.body.data.map((a) => a.id)).not.toContain(3009);
        expect((await full.json('api', '/2/drive?account_id=3009')).status).toBe(404);
        expect((await full.json('api', '/3/drive/7005/files/3/files')).status).toBe(200);
      } finally {
        await full.close();
      }
    } finally {
      await edge.close();
    }
  });
});

describe('mail: threads across folders, unseen counts', () => {
  interface Msg {
    subject: string;
    folder_id: string;
  }
  it('thread=on brings a Sent reply into the inbox thread (its own folder_id); thread=off does not', async () => {
    const boxes = await demo.json<{ data: Array<{ uuid: string; unseen_messages?: number }> }>('mail', '/api/mailbox');
    expect(boxes.body.data[0]!.unseen_messages).toBeUndefined();
    const withUnseen = await demo.json<{ data: Array<{ unseen_messages?: number }> }>(
      'mail',
      '/api/mailbox?with=unseen',
    );
    expect(withUnseen.body.data[0]!.unseen_messages).toBeGreaterThan(0);
    const uuid = boxes.body.data[0]!.uuid;
    const folders = await demo.json<{ data: Array<{ id: string; role: string }> }>('mail', `/api/mail/${uuid}/folder`);
    const inbox = folders.body.data.find((f) => f.role === 'INBOX')!;
    const list = (thread: string) =>
      demo.json<{ data: { threads: Array<{ messages: Msg[] }> } }>(
        'mail',
        `/api/mail/${uuid}/folder/${inbox.id}/message?offset=0&limit=100&thread=${thread}`,
      );
    const on = (await list('on')).body.data.threads.flatMap((t) => t.messages);
    const reply = on.find((m) => m.subject === 'Re: Zahlen Q4');
    expect(reply).toBeDefined();
    expect(reply!.folder_id).not.toBe(inbox.id);
    const off = (await list('off')).body.data.threads.flatMap((t) => t.messages);
    expect(off.every((m) => m.folder_id === inbox.id)).toBe(true);
    expect(off).toHaveLength(10);
  });
});

describe('kDrive: a vault', () => {
  it('is listed with type "vault"; its contents are refused and never part of a recursive listing', async () => {
    const edge = await open('edge', 'edge-full-token');
    try {
      const common = await listAll(edge, 7001, 3);
      const vault = common.find((f) => f.name === 'Tresor')!;
      expect(vault.type).toBe('vault');
      expect((await edge.json('api', `/3/drive/7001/files/${vault.id}/files`)).status).toBe(403);
      expect((await edge.json('api', `/2/drive/7001/files/${vault.id}/download`)).status).toBe(403);
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const { body } = await edge.json<{ data: ApiFile[]; cursor: string | null }>(
          'api',
          `/3/drive/7001/files/3/files?depth=unlimited&limit=1000${q}`,
        );
        names.push(...body.data.map((f) => f.name));
        cursor = body.cursor;
      } while (cursor);
      expect(names).toContain('Tresor');
      expect(names).toContain('small-plain.txt');
      expect(names).not.toContain('geheim.txt');
    } finally {
      await edge.close();
    }
  });
});

describe('envelopes and archives', () => {
  it('answers redirect (uri to the same request) and asynchronous envelopes when told to', async () => {
    demo.sim.setEnvelopes([
      { route: 'GET /1/accounts', result: 'redirect', times: 1 },
      { route: 'GET /2/drive', result: 'asynchronous', times: 1 },
    ]);
    try {
      const first = await demo.json<{ result: string; uri: string }>('api', '/1/accounts');
      expect(first.body.result).toBe('redirect');
      expect(first.body.uri).toBe(`${demo.sim.urls.api}/1/accounts`);
      const again = await demo.json<{ result: string; data: unknown[] }>('api', '/1/accounts');
      expect(again.body.result).toBe('success');
      const drives = await demo.json<{ result: string; data: unknown[] }>('api', '/2/drive?account_id=415203');
      expect(drives.body.result).toBe('asynchronous');
      expect(drives.body.data.length).toBeGreaterThan(0);
    } finally {
      demo.sim.setEnvelopes(null);
    }
  });

  it('an archive of a whole drive: parent_id 1 works, the root id as a file is refused', async () => {
    const post = (body: unknown) =>
      demo.req('api', '/3/drive/620003/files/archives', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post({ file_ids: [1] })).status).toBe(400);
    const ok = await post({ parent_id: 1 });
    expect(ok.status).toBe(201);
  });
});
