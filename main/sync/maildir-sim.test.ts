/**
 * A mail folder or mailbox kept as Maildirs (issue 24.4), through the sources' mail adapter against
 * the simulator (mail open): the first run writes one file per message that parses back, in
 * `new/` or `cur/…:2,S`; an unchanged run sends only the listing requests and writes nothing; a
 * new message appears on the next run; one read elsewhere moves to `cur/` without being fetched
 * again; a mailbox is one Maildir per folder, nested; the Preview says what the first run costs.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import { MailAdapter } from '../sources/mail';
import { clientFor, collect, contextFor } from '../sources/test-support';
import { parseId } from '../sources/ids';
import { QuickSync } from './service';
import { mailMessages, mailScenario, SYNC_TOKEN, sourcesOver } from './test-support';

const NAME = /^\d+\.M[0-9a-f]{16}\.poweron-sources$/;
const SEEN = /^\d+\.M[0-9a-f]{16}\.poweron-sources:2,S$/;

const scenario = mailScenario('maildir', [
  {
    name: 'INBOX',
    role: 'INBOX',
    messages: [
      ...mailMessages(3),
      {
        subject: 'Ümläut 📎 attachment',
        from: { name: 'Jörg Ünal', email: 'joerg@sync.example' },
        to: [{ email: 'me@sync.example' }],
        date: '-5d',
        body: 'Anhang anbei.',
        seen: false,
        attachments: [
          { name: 'Bericht Ä.txt', mime_type: 'text/plain', text: 'Inhalt äöü\n' },
          { name: 'bytes.bin', base64: Buffer.from([0, 1, 2, 255]).toString('base64') },
        ],
      },
    ],
    children: [
      { name: 'Projects', messages: mailMessages(2, false) },
      { name: 'cur', messages: mailMessages(1) },
    ],
  },
  { name: 'Sent', role: 'SENT', messages: mailMessages(2) },
]);

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;
let sync: QuickSync;
const nodes = new Map<string, SourceNode>();

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, SYNC_TOKEN, { limit: 10_000 });
  dir = await mkdtemp(join(tmpdir(), 'sync-maildir-'));
  const browse = new MailAdapter();
  const kids = async (id: string) => {
    const pages = await collect(browse.list(contextFor(client, 'conn:c1/mail'), parseId(id)!, id));
    const found = pages.flatMap((p) => p.nodes);
    for (const n of found) nodes.set(n.id, n);
    return found;
  };
  const [box] = await kids('conn:c1/mail');
  for (const f of await kids(box!.id)) if (f.kind === 'mailfolder') await kids(f.id);
});
afterAll(async () => {
  sync?.dispose();
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

let run = 0;
beforeEach(async () => {
  sync?.dispose();
  sim.setMailRaw('ok');
  const { connections, sources } = sourcesOver(client, [new MailAdapter()]);
  run++;
  sync = new QuickSync({
    dataDir: join(dir, `data-${run}`),
    connections,
    lookupNode: (id) => nodes.get(id),
    sources,
    settings: () => DEFAULT_SETTINGS,
    downloadsDir: () => join(dir, `Downloads-${run}`),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
  });
  await sync.init();
});

const node = (name: string) => [...nodes.values()].find((n) => n.name === name && n.kind !== 'message')!;
const mailRequests = () => sim.log.entries().filter((e) => e.origin === 'mail');

async function files(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

async function parsed(path: string) {
  return PostalMime.parse(await readFile(path));
}

describe('a mail folder as a Maildir', () => {
  it('first run: one file per message that parses back; unchanged run: listing requests only, nothing written; a new message appears', async () => {
    const created = await sync.create({ nodeId: node('INBOX').id });
    const id = created.pair.id;
    const root = created.pair.localPath;
    expect(created.pair).toMatchObject({ kind: 'mail', layout: 'maildir', pending: true, ignoreLocalDeletes: true });
    expect(root).toMatch(/PowerOn Sources[\\/]Test[\\/]Mail[\\/]me@sync\.example[\\/]INBOX$/);

    sim.log.reset();
    const preview = await sync.preview(id);
    expect(preview.counts.download).toBe(7);
    expect(preview.requests).toBeGreaterThanOrEqual(7);
    expect(await files(root)).toEqual([]);

    sim.log.reset();
    const [first] = await sync.runNow([id]);
    expect(first).toMatchObject({ ok: true, counts: { added: 7, failed: 0 } });
    expect(await files(root)).toEqual(['Projects', 'cur', 'cur (folder)', 'new', 'tmp']);
    const cur = await files(join(root, 'cur'));
    const fresh = await files(join(root, 'new'));
    expect(cur).toHaveLength(3);
    for (const name of cur) expect(name).toMatch(SEEN);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatch(NAME);
    expect(await files(join(root, 'tmp'))).toEqual([]);
    expect(await files(join(root, 'Projects', 'new'))).toHaveLength(2);
    expect(await files(join(root, 'cur (folder)', 'cur'))).toHaveLength(1);

    const subjects = await Promise.all(cur.map(async (f) => (await parsed(join(root, 'cur', f))).subject));
    expect(subjects.sort()).toEqual(['Message 1', 'Message 2', 'Message 3']);
    const umlaut = await parsed(join(root, 'new', fresh[0]!));
    expect(umlaut.subject).toBe('Ümläut 📎 attachment');
    expect(umlaut.from).toMatchObject({ name: 'Jörg Ünal', address: 'joerg@sync.example' });
    expect(umlaut.attachments.map((a) => a.filename)).toEqual(['Bericht Ä.txt', 'bytes.bin']);
    // Each file carries the message's date (the time its name starts with).
    for (const name of cur) {
      const { mtimeMs } = await stat(join(root, 'cur', name));
      expect(Math.abs(mtimeMs - Number(name.split('.')[0]) * 1000)).toBeLessThan(1000);
    }
    // Folders (1) + one page per folder (3) + the raw route's probe (1) + one download per message (7).
    expect(mailRequests()).toHaveLength(12);
    expect(first!.requests).toBe(12);

    const before = await snapshot(root);
    sim.log.reset();
    const [again] = await sync.runNow([id]);
    expect(again).toMatchObject({ ok: true, counts: { added: 0, updated: 0, moved: 0, trashed: 0, conflicts: 0 } });
    expect(mailRequests().map((e) => e.path.split('?')[0]!.split('/').at(-1))).toEqual([
      'folder',
      'message',
      'message',
      'message',
    ]);
    expect(await snapshot(root)).toEqual(before);

    const uid = sim.addMailMessage('INBOX', {
      subject: 'Arrived later',
      from: { email: 'late@sync.example' },
      to: [{ email: 'me@sync.example' }],
      date: 'now',
      body: 'New.',
      seen: false,
    });
    sim.log.reset();
    const [third] = await sync.runNow([id]);
    expect(third).toMatchObject({ ok: true, counts: { added: 1 } });
    expect(mailRequests()).toHaveLength(5);
    const arrived = (await files(join(root, 'new'))).filter((f) => f !== fresh[0]);
    expect(arrived).toHaveLength(1);
    expect((await parsed(join(root, 'new', arrived[0]!))).subject).toBe('Arrived later');

    // Read in another mail program: the file moves to cur/ with its S flag, no bytes fetched again.
    sim.setMailSeen(uid, true);
    sim.log.reset();
    const [fourth] = await sync.runNow([id]);
    expect(fourth).toMatchObject({ ok: true, counts: { added: 0, moved: 1 } });
    expect(mailRequests()).toHaveLength(4);
    expect(await files(join(root, 'new'))).toEqual(fresh);
    expect(await files(join(root, 'cur'))).toContain(`${arrived[0]}:2,S`);
  });

  it('assembled where the raw route is refused: the messages parse back with their attachments', async () => {
    sim.setMailRaw('forbidden');
    const created = await sync.create({ nodeId: node('INBOX').id });
    const root = created.pair.localPath;
    // 8 messages (one arrived in the test before); the Ümläut one has attachments: at least one more request.
    expect((await sync.preview(created.pair.id)).requests).toBe(9);
    sim.log.reset();
    const [result] = await sync.runNow([created.pair.id]);
    expect(result).toMatchObject({ ok: true, counts: { added: 8 } });
    const all = await Promise.all(
      ['cur', 'new'].map(async (d) => (await files(join(root, d))).map((f) => join(root, d, f))),
    );
    const messages = await Promise.all(all.flat().map((f) => parsed(f)));
    const attached = messages.find((m) => m.subject === 'Ümläut 📎 attachment')!;
    expect(
      attached.attachments.map((a) => [a.filename, Buffer.from(a.content as ArrayBuffer).toString('hex')]),
    ).toEqual([
      ['Bericht Ä.txt', Buffer.from('Inhalt äöü\n').toString('hex')],
      ['bytes.bin', '000102ff'],
    ]);
    // Folders (1) + pages (3) + the probe, refused (1) + each message's JSON (8) + the 2 attachments.
    expect(mailRequests()).toHaveLength(15);
  });

  it('a mailbox: one Maildir per folder, nested like the folders', async () => {
    const box = [...nodes.values()].find((n) => n.kind === 'mailbox')!;
    const created = await sync.create({ nodeId: box.id });
    const [result] = await sync.runNow([created.pair.id]);
    // The scenario's 9 messages and the one that arrived in the first test.
    expect(result).toMatchObject({ ok: true, counts: { added: 10 } });
    const root = created.pair.localPath;
    expect(await files(root)).toEqual(['INBOX', 'Sent']);
    expect(await files(join(root, 'INBOX'))).toEqual(['Projects', 'cur', 'cur (folder)', 'new', 'tmp']);
    expect(await files(join(root, 'Sent'))).toEqual(['cur', 'new', 'tmp']);
    expect(await files(join(root, 'Sent', 'cur'))).toHaveLength(2);
  });

  it('a folder already in a pair is refused (the mailbox holding it, a folder inside it)', async () => {
    await sync.create({ nodeId: node('INBOX').id });
    const box = [...nodes.values()].find((n) => n.kind === 'mailbox')!;
    await expect(sync.create({ nodeId: box.id })).rejects.toThrow(/holds "INBOX"/);
    await expect(sync.create({ nodeId: node('Projects').id })).rejects.toThrow(/lies inside "INBOX"/);
  });
});

describe('the Preview of a first run of 1,000 messages', () => {
  it('counts a request per message (about 17 minutes at 60 a minute), after only the listing requests', async () => {
    const big = await startSimulator({
      scenario: mailScenario('maildir-1000', [{ name: 'Archive', messages: mailMessages(1000) }]),
      quiet: true,
    });
    const bigClient = clientFor(big, SYNC_TOKEN, { limit: 10_000 });
    try {
      const adapter = new MailAdapter();
      const ctx = contextFor(bigClient, 'conn:c1/mail');
      const [box] = (await collect(adapter.list(ctx, parseId('conn:c1/mail')!, 'conn:c1/mail'))).flatMap(
        (p) => p.nodes,
      );
      const [archive] = (await collect(adapter.list(ctx, parseId(box!.id)!, box!.id))).flatMap((p) => p.nodes);
      const subtree = await adapter.subtree(ctx, parseId(archive!.id)!, archive!.id, { layout: 'maildir' });
      big.log.reset();
      const entries = await subtree.list(new AbortController().signal);
      const messages = [...entries.values()].filter((e) => e.type === 'file');
      expect(messages).toHaveLength(1000);
      // The folder tree, then 10 pages of 100.
      expect(big.log.entries()).toHaveLength(11);
      const requests = messages.reduce((n, e) => n + subtree.requestsFor!(e), 0);
      expect(requests).toBe(1000);
    } finally {
      await bigClient.close();
      await big.close();
    }
  });
});

/** Every file below `root` with its size and modification time. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string, rel: string) => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path, `${rel}${entry.name}/`);
      else {
        const info = await stat(path);
        out.push(`${rel}${entry.name} ${info.size} ${info.mtimeMs}`);
      }
    }
  };
  await walk(root, '');
  return out;
}
