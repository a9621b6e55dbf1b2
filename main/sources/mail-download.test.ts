/**
 * Mail downloads against the simulator (edge, mail open): a message as `.eml` (raw where the route
 * answers, else assembled from its JSON), a folder as one `.mbox`, a mailbox as a folder of them;
 * requests counted per download.
 */
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import type { DownloadItem } from '../localfs/types';
import { parseId } from './ids';
import { MailAdapter } from './mail';
import { clientFor, collect, contextFor, itemBytes, splitMbox } from './test-support';

const SERVICE = 'conn:c1/mail';
const BYTES = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256));
let sim: Simulator;
let client: InfomaniakClient;
let adapter: MailAdapter;
let inbox: SourceNode;
let box: SourceNode;
const nodes = new Map<string, SourceNode>();

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'edge', quiet: true });
  sim.setMailMode('open');
  client = clientFor(sim, 'edge-full-token');
  const browse = new MailAdapter();
  const kids = async (id: string) => {
    const pages = await collect(browse.list(contextFor(client, SERVICE), parseId(id)!, id));
    const found = pages.flatMap((p) => p.nodes);
    for (const n of found) nodes.set(n.id, n);
    return found;
  };
  [box] = (await kids(SERVICE)) as [SourceNode];
  inbox = (await kids(box.id)).find((f) => f.details?.role === 'inbox')!;
  await kids(inbox.id);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
beforeEach(() => {
  adapter = new MailAdapter(); // a new session: nothing known about the raw route
  sim.setMailRaw('ok');
  sim.log.reset();
});

const ctx = () => contextFor(client, SERVICE, nodes);
const message = (subject: string) => [...nodes.values()].find((n) => n.kind === 'message' && n.name === subject)!;
const mailRequests = () => sim.log.entries().filter((e) => e.origin === 'mail');

async function eml(subject: string): Promise<{ bytes: Buffer; name: string }> {
  const node = message(subject);
  const job = await adapter.job(ctx(), parseId(node.id)!, node.id);
  return { bytes: await itemBytes(job), name: job.name };
}

async function expectUmlautMessage(bytes: Buffer): Promise<void> {
  const parsed = await PostalMime.parse(bytes);
  expect(parsed.from).toMatchObject({ name: 'Jörg Ünal', address: 'joerg@edge.example' });
  expect(parsed.subject).toBe('Ümläut 📎 attachment');
  expect(parsed.to?.[0]).toMatchObject({ address: 'edge@edge.example' });
  expect(parsed.text?.trim()).toBe('Anhang anbei.');
  expect(parsed.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
    ['Bericht Ä.txt', 'text/plain'],
    ['bytes.bin', 'application/octet-stream'],
  ]);
  expect(Buffer.from(parsed.attachments[0]!.content as ArrayBuffer).toString('utf8')).toBe('Inhalt äöü\n');
  expect(Buffer.from(parsed.attachments[1]!.content as ArrayBuffer).equals(BYTES)).toBe(true);
}

describe('a message as .eml', () => {
  it('raw where the route answers: one probe for the connection, then one request per message', async () => {
    const first = await eml('Ümläut 📎 attachment');
    expect(first.name).toBe('Ümläut 📎 attachment.eml');
    await expectUmlautMessage(first.bytes);
    const resource = decodeURIComponent(message('Ümläut 📎 attachment').id.split('/msg:')[1]!);
    expect(mailRequests().map((e) => e.path)).toEqual([`${resource}/download`, `${resource}/download`]);
    sim.log.reset();
    const raw = await eml('Raw message');
    expect(raw.bytes.toString('utf8')).toContain('Served byte for byte.');
    expect(mailRequests()).toHaveLength(1);
  });

  it.each(['forbidden', 'missing', 'redirect'] as const)(
    'assembled from the JSON when the raw route is refused (%s): same From, Subject, attachments byte for byte',
    async (mode) => {
      sim.setMailRaw(mode);
      const first = await eml('Ümläut 📎 attachment');
      await expectUmlautMessage(first.bytes);
      const resource = decodeURIComponent(message('Ümläut 📎 attachment').id.split('/msg:')[1]!);
      const paths = mailRequests().map((e) => e.path);
      expect(paths[0]).toBe(`${resource}/download`); // the probe, never followed
      expect(paths.slice(1)).toEqual([
        `${resource}?prefered_format=html&with=auto_uncrypt,thread_context`,
        `${resource}/attachment/2`,
        `${resource}/attachment/3`,
      ]);
      expect(sim.log.entries().some((e) => e.origin !== 'mail')).toBe(false);
      // The connection now knows: the next message goes straight to its JSON (one request, no attachments).
      sim.log.reset();
      const raw = await PostalMime.parse((await eml('Raw message')).bytes);
      expect(raw.subject).toBe('Raw message');
      expect(raw.from).toMatchObject({ address: 'raw@edge.example' });
      expect(mailRequests()).toHaveLength(1);
    },
  );

  it('a raw route that starts refusing mid-session falls back for that message and the ones after', async () => {
    await eml('Raw message'); // learns: raw answers
    sim.setMailRaw('forbidden');
    sim.log.reset();
    await expectUmlautMessage((await eml('Ümläut 📎 attachment')).bytes);
    expect(mailRequests().map((e) => e.status)).toEqual([403, 200, 200, 200]);
    sim.log.reset();
    await eml('Raw message');
    expect(mailRequests().map((e) => e.path.endsWith('/download'))).toEqual([false]);
  });

  it('a 404 after the route answered is that message only: it falls back, the connection keeps the raw route', async () => {
    await eml('Raw message'); // learns: raw answers
    sim.setMailRaw('missing');
    sim.log.reset();
    await expectUmlautMessage((await eml('Ümläut 📎 attachment')).bytes);
    expect(mailRequests().map((e) => e.status)).toEqual([404, 200, 200, 200]);
    sim.setMailRaw('ok');
    sim.log.reset();
    await eml('Raw message');
    expect(mailRequests().map((e) => e.path.endsWith('/download'))).toEqual([true]);
  });
});

describe('a folder as .mbox, a mailbox as a folder of .mbox files', () => {
  it('the INBOX parses back into its three messages, From lines quoted and restored; one request per page and per message', async () => {
    const job = await adapter.job(ctx(), parseId(inbox.id)!, inbox.id);
    expect(job).toMatchObject({ name: 'INBOX.mbox', kind: 'export', filesTotal: 1 });
    const mbox = await itemBytes(job);
    const text = mbox.toString('latin1');
    expect(text).toMatch(/^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n/);
    expect(text).toContain('\n>From the start of a line\n');
    expect(text).toContain('\n>>From already quoted once\n');
    expect(text).not.toMatch(/\r\n/);
    const messages = splitMbox(mbox);
    expect(messages).toHaveLength(3);
    const parsed = await Promise.all(messages.map((m) => PostalMime.parse(m)));
    expect(parsed.map((p) => p.subject).sort()).toEqual(['From lines', 'Raw message', 'Ümläut 📎 attachment']);
    const quoting = parsed.find((p) => p.subject === 'From lines')!;
    expect(quoting.text?.replace(/\r\n/g, '\n').trim()).toBe(
      'First line\nFrom the start of a line\n>From already quoted once\n>>From twice\nFrom\nlast line without From',
    );
    await expectUmlautMessage(messages.find((m) => m.toString('latin1').includes('joerg@'))!);
    // 1 page + 1 probe + 3 messages.
    expect(mailRequests()).toHaveLength(5);
    expect(mailRequests()[0]!.path).toContain('/message?offset=0&thread=off&severywhere=0&limit=100');
  });

  it('assembled messages in an .mbox too, when the raw route is refused', async () => {
    sim.setMailRaw('missing');
    const mbox = await itemBytes(await adapter.job(ctx(), parseId(inbox.id)!, inbox.id));
    const parsed = await Promise.all(splitMbox(mbox).map((m) => PostalMime.parse(m)));
    expect(parsed.map((p) => p.subject).sort()).toEqual(['From lines', 'Raw message', 'Ümläut 📎 attachment']);
    const umlaut = parsed.find((p) => p.subject?.startsWith('Ümläut'))!;
    expect(Buffer.from(umlaut.attachments[1]!.content as ArrayBuffer).equals(BYTES)).toBe(true);
    // 1 page + 1 probe + 3 message JSONs + 2 attachments.
    expect(mailRequests()).toHaveLength(7);
  });

  it('cancelling an .mbox stops its requests', async () => {
    const job = await adapter.job(ctx(), parseId(inbox.id)!, inbox.id);
    const [item] = (await collect(job.items)) as DownloadItem[];
    const controller = new AbortController();
    const response = await item!.fetch!({ signal: controller.signal });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next(); // the first message
    const before = mailRequests().length;
    controller.abort();
    response.cancel();
    await expect(iterator.next()).rejects.toThrow();
    expect(mailRequests().length).toBeLessThanOrEqual(before + 1);
  });

  it('an .mbox spends the token’s budget and says so while it waits for it', async () => {
    const paced = clientFor(sim, 'edge-full-token', { limit: 2, windowMs: 400 });
    try {
      const job = await adapter.job(contextFor(paced, SERVICE, nodes), parseId(inbox.id)!, inbox.id);
      const [item] = (await collect(job.items)) as DownloadItem[];
      const waits: number[] = [];
      const response = await item!.fetch!({ onWait: (ms) => waits.push(ms) });
      const chunks: Uint8Array[] = [];
      for await (const chunk of response.body) chunks.push(chunk);
      expect(splitMbox(Buffer.concat(chunks))).toHaveLength(3);
      expect(waits.some((ms) => ms > 0)).toBe(true);
      expect(waits.at(-1)).toBe(0);
    } finally {
      await paced.close();
    }
  });

  it('a mailbox is a folder with one .mbox per mail folder, nested like the folders', async () => {
    const job = await adapter.job(ctx(), parseId(box.id)!, box.id);
    expect(job).toMatchObject({ name: 'edge@edge.example', kind: 'folder', filesTotal: 2 });
    const items = (await collect(job.items)) as DownloadItem[];
    expect(items.map((i) => i.segments)).toEqual([
      ['edge@edge.example'],
      ['edge@edge.example', 'INBOX.mbox'],
      ['edge@edge.example', 'Empty.mbox'],
    ]);
    expect(mailRequests()).toHaveLength(1); // the folders; nothing else until the files are written
    expect(await itemBytes(await adapter.job(ctx(), parseId(box.id)!, box.id), 2)).toHaveLength(0);
    expect(mailRequests()).toHaveLength(2); // the folders stay known; the empty folder's one page
  });
});

describe('the setting "A folder of .eml files"', () => {
  const emlCtx = () => ({ ...ctx(), settings: { ...ctx().settings, mailFolderFormat: 'eml' as const } });

  it('a folder is a folder of .eml files, found page by page, each with its message’s date', async () => {
    const job = await adapter.job(emlCtx(), parseId(inbox.id)!, inbox.id);
    expect(job).toMatchObject({ name: 'INBOX', kind: 'folder' });
    const items = (await collect(job.items)) as DownloadItem[];
    expect(items.map((i) => i.segments)).toEqual([
      ['INBOX'],
      ['INBOX', 'Raw message.eml'],
      ['INBOX', 'Ümläut 📎 attachment.eml'],
      ['INBOX', 'From lines.eml'],
    ]);
    expect(items.slice(1).every((i) => typeof i.modifiedAt === 'number' && i.size === null)).toBe(true);
    expect(mailRequests()).toHaveLength(2); // the folders and one page
    const response = await items[2]!.fetch!({});
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    await expectUmlautMessage(Buffer.concat(chunks));
  });

  it('a mailbox is a folder of folders of .eml files', async () => {
    const job = await adapter.job(emlCtx(), parseId(box.id)!, box.id);
    const items = (await collect(job.items)) as DownloadItem[];
    expect(items.map((i) => i.segments.join('/'))).toEqual([
      'edge@edge.example',
      'edge@edge.example/INBOX',
      'edge@edge.example/INBOX/Raw message.eml',
      'edge@edge.example/INBOX/Ümläut 📎 attachment.eml',
      'edge@edge.example/INBOX/From lines.eml',
      'edge@edge.example/Empty',
    ]);
  });
});
