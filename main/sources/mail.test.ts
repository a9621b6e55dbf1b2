/** Mail against the simulator's demo (mail open): exactly the published routes, one folder's own messages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from './ids';
import { MailAdapter } from './mail';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const SERVICE = 'conn:c1/mail';
let sim: Simulator;
let client: InfomaniakClient;
const adapter = new MailAdapter();

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  client = clientFor(sim, TOKEN);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

async function children(nodeId: string): Promise<SourceNode[]> {
  const pages = await collect(adapter.list(contextFor(client, SERVICE), parseId(nodeId)!, nodeId));
  return pages.flatMap((p) => p.nodes);
}

function mailPaths(): string[] {
  return sim.log
    .entries()
    .filter((e) => e.origin === 'mail')
    .map((e) => e.path);
}

describe('mail', () => {
  it('browses on exactly the routes of Infomaniak’s mail server for assistants, one request each', async () => {
    adapter.reset('c1');
    sim.log.reset();
    const [box] = await children(SERVICE);
    const folders = await children(box!.id);
    const inbox = folders.find((f) => f.details?.role === 'inbox')!;
    const messages = (await children(inbox.id)).filter((n) => n.kind === 'message');
    const uuid = parseId(box!.id)!.path.at(-1)!.value;
    const folder = parseId(inbox.id)!.path.at(-1)!.value;
    expect(mailPaths()).toEqual([
      '/api/mailbox?with=aliases,permissions,accountId,count_users',
      `/api/mail/${uuid}/folder?with=ik-static`,
      `/api/mail/${uuid}/folder/${folder}/message?offset=0&thread=off&severywhere=0&limit=100`,
    ]);
    expect(box).toMatchObject({ kind: 'mailbox', downloadable: true, name: 'lea.brunner@muster-ag.ch' });
    expect(inbox).toMatchObject({ kind: 'mailfolder', downloadable: true });
    expect(messages.every((m) => m.downloadable)).toBe(true);
    // A message's id carries its resource, with the short uid the message routes take.
    const resource = decodeURIComponent(messages[0]!.id.split('/msg:')[1]!);
    expect(resource).toMatch(new RegExp(`^/api/mail/${uuid}/folder/${folder}/message/\\d+$`));
  });

  it('a thread with a reply in Sent lists only this folder’s messages', async () => {
    const [box] = await children(SERVICE);
    const folders = await children(box!.id);
    const inbox = folders.find((f) => f.details?.role === 'inbox')!;
    const sent = folders.find((f) => f.details?.role === 'sent')!;
    const inInbox = (await children(inbox.id)).filter((n) => n.kind === 'message');
    expect(inInbox.map((n) => n.name)).toContain('Zahlen Q4 für den Jahresbericht');
    expect(inInbox.map((n) => n.name)).not.toContain('Re: Zahlen Q4');
    expect(inInbox).toHaveLength(10);
    const inSent = (await children(sent.id)).filter((n) => n.kind === 'message');
    expect(inSent.map((n) => n.name)).toEqual(expect.arrayContaining(['Re: Zahlen Q4']));
    expect(inSent.map((n) => n.name)).not.toContain('Zahlen Q4 für den Jahresbericht');
    // No message shows twice anywhere.
    const ids = [...inInbox, ...inSent].map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an answer of an unknown shape is an error, never an empty mailbox (parse loudly)', async () => {
    adapter.reset('c1');
    const fake = {
      ...client,
      endpoints: client.endpoints,
      get: async () => ({ data: { something: 'else' } }),
    } as unknown as InfomaniakClient;
    const ctx = contextFor(fake, SERVICE);
    await expect(collect(adapter.list(ctx, parseId(SERVICE)!, SERVICE))).rejects.toThrow(/form this app does not know/);
    const boxId = `${SERVICE}/mbx:u1`;
    await expect(collect(adapter.list(ctx, parseId(boxId)!, boxId))).rejects.toThrow(/form this app does not know/);
    adapter.reset('c1');
  });
});

describe('hostile message ids (8.15)', () => {
  it('a crafted id never makes main request another path on the mail host; a real one downloads', async () => {
    const [box] = await children(SERVICE);
    const folders = await children(box!.id);
    const inbox = folders.find((f) => f.details?.role === 'inbox')!;
    const message = (await children(inbox.id)).find((n) => n.kind === 'message')!;
    const ctx = contextFor(client, SERVICE);
    const good = await adapter.job(ctx, parseId(message.id)!, message.id);
    const [item] = await collect(good.items);
    const answer = await (item as { fetch: (r: object) => Promise<{ status: number; cancel(): void }> }).fetch({});
    expect(answer.status).toBe(200);
    answer.cancel();

    const uuid = parseId(box!.id)!.path.at(-1)!.value;
    const folder = parseId(inbox.id)!.path.at(-1)!.value;
    const hostile = [
      '/api/mailbox',
      `/api/mail/${uuid}/folder/${folder}/message/../../../../1/accounts`,
      `/api/mail/${uuid}/folder/${folder}/message/%2e%2e`,
      `/api/mail/${uuid}/folder/${folder}/message/1@x?x=1`,
      `https://evil.example/api/mail/${uuid}/folder/${folder}/message/1@x`,
      `${sim.urls.mail}/api/mail/${uuid}/folder/${folder}/message/1@x?steal=1`,
      `/api/mail/00000000-0000-0000-0000-000000000000/folder/${folder}/message/1@x`,
      `/api/mail/${uuid}/folder/other/message/1@x`,
      `/api/mail/${uuid}/folder/${folder}/message/%zz`,
    ];
    sim.log.reset();
    for (const resource of hostile) {
      const id = `${inbox.id}/msg:${encodeURIComponent(resource)}`;
      await expect(adapter.job(ctx, parseId(id)!, id), resource).rejects.toThrow(/not valid/);
    }
    for (const bad of ['..', '.', 'a/b']) {
      const id = `${box!.id}/fld:${encodeURIComponent(bad)}`;
      await expect(collect(adapter.list(ctx, parseId(id)!, id)), bad).rejects.toThrow(/not valid/);
      await expect(adapter.job(ctx, parseId(id)!, id), bad).rejects.toThrow(/not valid/);
    }
    expect(sim.log.entries().filter((e) => e.origin === 'mail')).toHaveLength(0);
  });
});
