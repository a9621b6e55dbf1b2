import { describe, expect, it, vi } from 'vitest';
import { InfomaniakError } from '../infomaniak/errors';
import type { ApiPage, InfomaniakApi, ProbeResult, ApiHost } from '../infomaniak/types';
import { DEFAULT_ENDPOINTS } from '../infomaniak/types';
import type { ValidationProgress } from '../../shared/model/connection';
import { Connections } from './connections';
import type { ClientFactoryOptions } from './connections';
import { memoryStore } from '../settings/store';
import { Vault } from './vault';
import { testCipher } from './test-support';

const TOKEN = 'pat-validation-token-0001';

const scopeError = (scope: string) =>
  new InfomaniakError({
    kind: 'http',
    status: 403,
    apiCode: 'all_scopes',
    missingScope: scope,
    message: `GET 403 all_scopes`,
  });
const unauthorized = () =>
  new InfomaniakError({ kind: 'http', status: 401, apiCode: 'not_authorized', message: 'GET 401' });

type Route = `${ApiHost} ${string}`;
type Answer = { data: unknown } | Error | ((delayMs: number) => Promise<unknown>);

/** A fake client: answers per "host path" key; records calls in order. */
function fakeClient(
  routes: Partial<Record<Route, Answer>>,
  probe: ProbeResult = { kind: 'redirect', status: 302, location: 'https://login.infomaniak.com/authorize' },
) {
  const calls: string[] = [];
  const client: InfomaniakApi = {
    endpoints: DEFAULT_ENDPOINTS,
    async get<T>(host: ApiHost, path: string): Promise<ApiPage<T>> {
      calls.push(`${host} ${path}`);
      const answer = routes[`${host} ${path}` as Route];
      if (!answer)
        throw new InfomaniakError({ kind: 'http', status: 404, apiCode: 'object_not_found', message: 'GET 404' });
      if (answer instanceof Error) throw answer;
      if (typeof answer === 'function') return { data: (await answer(0)) as T };
      return { data: answer.data as T };
    },
    post: vi.fn(),
    async probe(host: ApiHost, path: string) {
      calls.push(`probe ${host} ${path}`);
      return probe;
    },
    download: vi.fn(),
  };
  return { client, calls };
}

const cipher = testCipher;

function service(client: InfomaniakApi) {
  const store = memoryStore();
  const progress: ValidationProgress[] = [];
  const created: ClientFactoryOptions[] = [];
  const svc = new Connections({
    store,
    vault: new Vault(store, cipher),
    target: { endpoints: DEFAULT_ENDPOINTS, ca: [] },
    demo: null,
    createClient: (o) => {
      created.push(o);
      return client;
    },
    onChange: () => {},
    onProgress: (p) => progress.push(p),
    log: () => {},
  });
  return { svc, store, progress, created };
}

const good: Partial<Record<Route, Answer>> = {
  'api /1/accounts': {
    data: [
      { id: 46276, name: 'Muster AG' },
      { id: 99001, name: 'Free kDrive' },
    ],
  },
  'calendar /api/pim/calendar': { data: { calendars: [{ id: 1, name: 'Work', account_name: 'Anna Muster' }] } },
  'contacts /api/pim/addressbook': { data: { addressbooks: [{ id: 3, name: 'Contacts' }] } },
  'api /2/drive': { data: [{ id: 764000, name: 'Example' }] },
};

describe('adding a connection (the seed three steps)', () => {
  it('stores the connection and only ciphertext after all steps pass', async () => {
    const { client, calls } = fakeClient(good);
    const { svc, store, progress } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    expect(conn).toMatchObject({ label: 'Anna Muster', status: 'active', accountIds: [46276, 99001] });
    expect(conn.accounts).toEqual([
      { id: 46276, name: 'Muster AG' },
      { id: 99001, name: 'Free kDrive' },
    ]);
    expect(conn.endpoints).toEqual(DEFAULT_ENDPOINTS);
    expect(conn.grantedScopes).toEqual([
      'accounts',
      'drive',
      'workspace:calendar',
      'workspace:contact',
      'workspace:mail',
    ]);
    expect(conn.services.mail).toMatchObject({ available: false, reasonCode: 'mail_blocked' });
    expect(calls).toContain('api /2/drive');
    expect(JSON.stringify(conn)).not.toContain(TOKEN);
    expect(JSON.stringify(store.get('connections'))).not.toContain(TOKEN);
    expect(JSON.stringify(store.get('vault'))).not.toContain(TOKEN);
    expect(await new Vault(store, cipher).get(conn.id)).toBe(TOKEN);
    const final = new Map(progress.map((p) => [p.step, p.state]));
    expect(Object.fromEntries(final)).toEqual({ accounts: 'ok', label: 'ok', drive: 'ok', mail: 'skipped' });
  });

  it.each([
    ['accounts', { 'api /1/accounts': scopeError('accounts') }, 'accounts'],
    [
      'calendar and contacts',
      {
        'calendar /api/pim/calendar': scopeError('workspace:calendar'),
        'contacts /api/pim/addressbook': scopeError('workspace:contact'),
      },
      'workspace:calendar',
    ],
    ['drive', { 'api /2/drive': scopeError('drive') }, 'drive'],
  ] as const)('a token without %s fails naming the scope, and nothing is persisted', async (_name, override, scope) => {
    const { client } = fakeClient({ ...good, ...override });
    const { svc, store } = service(client);
    const error = await svc.add(TOKEN, 'a1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'scope_missing', details: expect.objectContaining({ scope }) });
    expect((error as Error).message).toContain(`This token lacks the scope ${scope}`);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(store.get('connections')).toBeUndefined();
    expect(store.get('vault')).toBeUndefined();
  });

  it('falls back to contacts for the label when calendar is missing', async () => {
    const { client } = fakeClient({ ...good, 'calendar /api/pim/calendar': scopeError('workspace:calendar') });
    const { svc } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    expect(conn.grantedScopes).not.toContain('workspace:calendar');
    expect(conn.services.calendar.available).toBe(false);
    expect(conn.services.contacts.available).toBe(true);
  });

  it('tries the API host for the calendar when the calendar host does not answer', async () => {
    const { client, calls } = fakeClient({
      ...good,
      'calendar /api/pim/calendar': new InfomaniakError({ kind: 'network', message: 'ECONNREFUSED' }),
      'api /1/calendar/pim/calendar': { data: { calendars: [{ id: 1, name: 'Work' }] } },
    });
    const { svc } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    expect(calls).toContain('api /1/calendar/pim/calendar');
    expect(conn.services.calendar.available).toBe(true);
  });

  it('reports the first failing step even when a later step fails first', async () => {
    let releaseAccounts!: () => void;
    const slowAccountsFail = () =>
      new Promise((_resolve, reject) => {
        releaseAccounts = () => reject(scopeError('accounts'));
      });
    const { client } = fakeClient({
      ...good,
      'api /1/accounts': slowAccountsFail,
      'calendar /api/pim/calendar': scopeError('workspace:calendar'),
      'contacts /api/pim/addressbook': scopeError('workspace:contact'),
    });
    const { svc } = service(client);
    const pending = svc.add(TOKEN, 'a1').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    releaseAccounts();
    expect(await pending).toMatchObject({
      code: 'scope_missing',
      details: expect.objectContaining({ scope: 'accounts', step: 'accounts' }),
    });
  });

  it('a revoked token is refused with token_invalid', async () => {
    const { client } = fakeClient({
      'api /1/accounts': unauthorized(),
      'calendar /api/pim/calendar': unauthorized(),
      'contacts /api/pim/addressbook': unauthorized(),
    });
    const { svc } = service(client);
    await expect(svc.add(TOKEN, 'a1')).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('enables Mail only on a JSON success', async () => {
    const { client } = fakeClient(good, { kind: 'json', status: 200, body: { result: 'success', data: [] } });
    const { svc } = service(client);
    expect((await svc.add(TOKEN, 'a1')).services.mail).toEqual({ available: true });
  });
});

describe('connection lifecycle', () => {
  it('marks a connection as needing attention on a later 401 confirmed by /1/accounts, and Replace token keeps its id and settings', async () => {
    const routes = { ...good };
    const { client } = fakeClient(routes);
    const { svc, created } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    await svc.client(conn.id);
    routes['api /1/accounts'] = unauthorized();
    created.at(-1)!.onUnauthorized();
    await vi.waitFor(() =>
      expect(svc.get(conn.id)).toMatchObject({ status: 'needs_attention', problem: { code: 'token_invalid' } }),
    );
    routes['api /1/accounts'] = good['api /1/accounts']!; // the new token is accepted
    const replaced = await svc.replaceToken(conn.id, 'pat-new-token-0002', 'a2');
    expect(replaced).toMatchObject({ id: conn.id, status: 'active', createdAt: conn.createdAt });
    expect(replaced).not.toHaveProperty('problem');
    await svc.client(conn.id);
    expect(created.at(-1)!.token).toBe('pat-new-token-0002');
  });

  it('remove deletes the ciphertext and the record', async () => {
    const { client } = fakeClient(good);
    const { svc, store } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    await svc.remove(conn.id);
    expect(store.get('connections')).toEqual([]);
    expect(store.get('vault')).toEqual({});
  });

  it('a vault that cannot decrypt any more marks the connection instead of losing it', async () => {
    const { client } = fakeClient(good);
    const { svc, store } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    const vault = store.get('vault') as Record<string, { backend: string }>;
    vault[conn.id]!.backend = 'other-backend';
    store.set('vault', vault);
    await expect(svc.client(conn.id)).rejects.toMatchObject({ code: 'vault_locked' });
    expect(svc.get(conn.id)).toMatchObject({ status: 'needs_attention', problem: { code: 'vault_locked' } });
  });
});

describe('stored connections', () => {
  it('skips a damaged record instead of failing every call', async () => {
    const { client } = fakeClient(good);
    const { svc, store } = service(client);
    const conn = await svc.add(TOKEN, 'a1');
    store.set('connections', [...(store.get('connections') as unknown[]), { id: 42, label: null }, 'garbage']);
    expect(svc.list().map((c) => c.id)).toEqual([conn.id]);
  });
});

describe('client pools', () => {
  it('closes the throwaway validation client and the replaced connection client', async () => {
    const { client } = fakeClient(good);
    const closes: number[] = [];
    let n = 0;
    const { svc } = service(client);
    (client as { close?: () => Promise<void> }).close = async () => void closes.push(++n);
    const conn = await svc.add(TOKEN, 'a1');
    expect(closes).toHaveLength(1); // validation client
    await svc.client(conn.id);
    await svc.replaceToken(conn.id, 'pat-new-token-0002', 'a2');
    await new Promise((r) => setTimeout(r, 0));
    expect(closes).toHaveLength(3); // replace's validation client + the dropped connection client
  });
});
