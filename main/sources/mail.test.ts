/** Mail against the simulator's demo (mail open): one folder's own messages, unseen counts. */
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

describe('mail', () => {
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

  it('the mailbox shows its unseen count (asked with with=unseen)', async () => {
    const [box] = await children(SERVICE);
    expect(Number(box!.subtitle)).toBeGreaterThan(0);
    expect(sim.log.entries().some((e) => e.path.startsWith('/api/mailbox') && e.path.includes('with=unseen'))).toBe(
      true,
    );
  });
});
