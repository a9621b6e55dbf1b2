/**
 * Issue 9.3 against the simulator: a 401 from the calendar, contacts or mail host is not proof that
 * the token is revoked. The connection needs attention only when `/1/accounts` on the API host
 * itself answers 401 (a re-check, one request, not repeated within a minute).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { Connection } from '../../shared/model/connection';
import { createInfomaniakClient } from '../infomaniak/client';
import { Connections } from './connections';
import { memoryStore } from '../settings/store';
import { Vault } from './vault';
import { testCipher } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';

const cipher = testCipher;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.restoreToken(TOKEN);
  sim.setFaults(null);
});

async function connected() {
  const store = memoryStore();
  const changes: Connection[][] = [];
  const endpoints = {
    api: sim.urls.api,
    calendar: sim.urls.calendar,
    contacts: sim.urls.contacts,
    mail: sim.urls.mail,
  };
  const svc = new Connections({
    store,
    vault: new Vault(store, cipher),
    target: { endpoints, ca: [sim.caPem] },
    demo: null,
    createClient: (o) => createInfomaniakClient({ ...o, retry: { limit: 0 } }),
    onChange: (list) => changes.push(list),
    onProgress: () => {},
    log: () => {},
  });
  const conn = await svc.add(TOKEN, 'attempt-1');
  sim.log.reset();
  return { svc, conn, changes };
}

const accountsChecks = () =>
  sim.log.entries().filter((e) => e.origin === 'api' && e.path.startsWith('/1/accounts') && e.status !== 0);

describe('a 401 from a service host (issue 9.3)', () => {
  it('keeps the connection active when only the calendar host answers 401 (the API host still accepts the token)', async () => {
    const { svc, conn } = await connected();
    sim.setFaults({ unauthorizedOrigins: ['calendar'] });
    const client = await svc.client(conn.id);
    await expect(client.get('calendar', '/api/pim/calendar')).rejects.toMatchObject({ status: 401 });
    await vi.waitFor(() => expect(accountsChecks()).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(svc.get(conn.id).status).toBe('active');
    // A second calendar 401 within the minute costs no further re-check.
    await expect(client.get('calendar', '/api/pim/calendar')).rejects.toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r, 100));
    expect(accountsChecks()).toHaveLength(1);
    expect(svc.get(conn.id).status).toBe('active');
    // The same client still works.
    expect((await client.get('api', '/1/accounts')).data).toBeDefined();
  });

  it('marks the connection when the token is really revoked (the re-check of /1/accounts answers 401 too)', async () => {
    const { svc, conn } = await connected();
    sim.revokeToken(TOKEN);
    const client = await svc.client(conn.id);
    await expect(client.get('contacts', '/api/pim/addressbook')).rejects.toMatchObject({ status: 401 });
    await vi.waitFor(() => expect(svc.get(conn.id).status).toBe('needs_attention'));
    expect(svc.get(conn.id).problem).toMatchObject({ code: 'token_invalid' });
    expect(accountsChecks()).toHaveLength(1);
  });

  it('marks the connection at once on a 401 from the API host itself', async () => {
    const { svc, conn } = await connected();
    sim.revokeToken(TOKEN);
    const client = await svc.client(conn.id);
    await expect(client.get('api', '/2/drive', { searchParams: { account_id: 1 } })).rejects.toMatchObject({
      status: 401,
    });
    await vi.waitFor(() => expect(svc.get(conn.id).status).toBe('needs_attention'));
  });
});
