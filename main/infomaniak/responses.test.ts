import { beforeAll, describe, expect, it } from 'vitest';
import { ok, sendJson, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, failure } = harness;
let api: TestServer, other: TestServer;
beforeAll(() => {
  ({ api, other } = harness.servers);
});

describe('envelope and errors', () => {
  it('decodes cursor and page pagination', async () => {
    api.handle((req, res) => {
      if (req.url?.startsWith('/3/'))
        sendJson(res, 200, ok([1, 2], { cursor: 'c2', has_more: true, response_at: 1741257188 }));
      else sendJson(res, 200, ok([{ id: 9 }], { total: 21, page: 2, pages: 3, items_per_page: 10 }));
    });
    const client = makeClient();
    expect(await client.get('api', '/3/drive/1/files/1/files', { searchParams: { limit: 1000 } })).toEqual({
      data: [1, 2],
      cursor: 'c2',
      hasMore: true,
      responseAt: 1741257188,
    });
    expect(await client.get('api', '/2/drive', { searchParams: { account_id: 5, page: 2 } })).toEqual({
      data: [{ id: 9 }],
      total: 21,
      page: 2,
      pages: 3,
      itemsPerPage: 10,
    });
  });

  it('maps error envelopes to typed errors', async () => {
    const client = makeClient({ retry: { limit: 0 } });
    const cases: Array<[number, unknown, Record<string, unknown>]> = [
      [
        404,
        {
          result: 'error',
          error: { code: 'object_not_found', description: 'Object not found', context: { model: 'Drive' }, errors: [] },
        },
        { code: 'not_found', details: { status: 404, apiCode: 'object_not_found' } },
      ],
      [
        403,
        {
          result: 'error',
          error: { code: 'all_scopes', description: 'Missing scopes', context: { scopes: ['workspace:calendar'] } },
        },
        { code: 'scope_missing', details: { status: 403, apiCode: 'all_scopes', scope: 'workspace:calendar' } },
      ],
      [
        403,
        { result: 'error', error: { code: 'all_scopes', description: 'The token needs the drive scope' } },
        { code: 'scope_missing', details: { scope: 'drive' } },
      ],
      [503, { result: 'error', error: { code: 'drive_is_in_maintenance_error' } }, { code: 'maintenance' }],
      [
        422,
        { result: 'error', error: { code: 'validation_failed', description: 'limit must be at least 5' } },
        { code: 'api_error', details: { status: 422, apiCode: 'validation_failed' } },
      ],
      [400, { result: 'error', error: { code: 'destination_not_a_directory' } }, { code: 'api_error' }],
    ];
    for (const [status, body, expected] of cases) {
      api.handle((_req, res) => sendJson(res, status, body));
      const error = await failure(client.get('api', '/e'));
      expect(error.kind).toBe('http');
      expect(error.status).toBe(status);
      expect(error.toAppError()).toMatchObject(expected);
    }
    const scoped = await failure(client.get('api', '/e'));
    expect(scoped.apiCode).toBe('destination_not_a_directory');
  });

  it('reads missingScope from the answer', async () => {
    api.handle((_req, res) =>
      sendJson(res, 403, { result: 'error', error: { code: 'all_scopes', context: { missing_scopes: 'accounts' } } }),
    );
    const error = await failure(makeClient().get('api', '/1/accounts'));
    expect(error).toMatchObject({ kind: 'http', status: 403, apiCode: 'all_scopes', missingScope: 'accounts' });
    expect(error.toAppError().message).toBe('The token lacks the "accounts" scope.');
  });

  it('a 500 html page is an api_error without code', async () => {
    api.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    });
    const error = await failure(makeClient({ retry: { limit: 0 } }).get('api', '/e'));
    expect(error).toMatchObject({ kind: 'http', status: 500 });
    expect(error.apiCode).toBeUndefined();
    expect(error.toAppError().code).toBe('api_error');
  });

  it('a non-JSON or envelope-less 2xx is a decode error', async () => {
    const client = makeClient();
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html>login</html>');
    });
    const html = await failure(client.get('api', '/api/mail'));
    expect(html).toMatchObject({ kind: 'decode', status: 200 });
    expect(html.toAppError().code).toBe('api_error');
    api.handle((_req, res) => sendJson(res, 200, { hello: 'world' }));
    expect((await failure(client.get('api', '/x'))).kind).toBe('decode');
  });

  it('treats asynchronous as success and 204 as empty data', async () => {
    const client = makeClient();
    api.handle((_req, res) => sendJson(res, 202, { result: 'asynchronous', data: { uuid: 'a' } }));
    expect(await client.get('api', '/x')).toEqual({ data: { uuid: 'a' } });
    api.handle((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    expect(await client.get('api', '/x')).toEqual({ data: null });
  });

  it('a 200 with result error is an error', async () => {
    api.handle((_req, res) => sendJson(res, 200, { result: 'error', error: { code: 'weird' } }));
    const error = await failure(makeClient().get('api', '/x'));
    expect(error).toMatchObject({ kind: 'http', status: 200, apiCode: 'weird' });
  });

  it('a redirect envelope (result "redirect" with uri) is followed on its host; another origin is refused', async () => {
    api.handle((req, res) =>
      req.url === '/x'
        ? sendJson(res, 200, { result: 'redirect', uri: '/2/drive/9?with=x' })
        : sendJson(res, 200, ok({ id: 9 })),
    );
    expect(await makeClient().get('api', '/x')).toEqual({ data: { id: 9 } });
    expect(api.requests.map((r) => r.url)).toEqual(['/x', '/2/drive/9?with=x']);

    api.handle((_req, res) => sendJson(res, 200, { result: 'redirect', uri: 'https://api.infomaniak.com/2/drive/9' }));
    await expect(makeClient().get('api', '/y')).rejects.toMatchObject({ code: 'unsafe_redirect' });
    expect(api.requests.map((r) => r.url)).toEqual(['/x', '/2/drive/9?with=x', '/y']);
  });
});

describe('probe', () => {
  it('returns JSON answers', async () => {
    api.handle((_req, res) => sendJson(res, 200, ok([{ uuid: 'm1' }])));
    expect(await makeClient().probe('api', '/api/mailbox')).toEqual({
      kind: 'json',
      status: 200,
      body: { result: 'success', data: [{ uuid: 'm1' }] },
    });
  });

  it('reports redirects without following them', async () => {
    const client = makeClient();
    api.handle((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/authorize?client_id=x` });
      res.end();
    });
    expect(await client.probe('api', '/api/mail')).toEqual({
      kind: 'redirect',
      status: 302,
      location: `${other.origin}/authorize?client_id=x`,
    });
    api.handle((_req, res) => {
      res.writeHead(301, { location: 'http://mail.infomaniak.com:5000' });
      res.end();
    });
    expect(await client.probe('api', '/api/mail/')).toEqual({
      kind: 'redirect',
      status: 301,
      location: 'http://mail.infomaniak.com:5000',
    });
    expect(other.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(2);
  });

  it('reports HTTP errors with their code, without calling onUnauthorized', async () => {
    let unauthorized = 0;
    const client = makeClient({ onUnauthorized: () => unauthorized++ });
    api.handle((_req, res) =>
      sendJson(res, 404, { result: 'error', error: { code: 'object_not_found', description: 'Nope' } }),
    );
    expect(await client.probe('api', '/2/mail')).toEqual({
      kind: 'http',
      status: 404,
      apiCode: 'object_not_found',
      description: 'Nope',
    });
    api.handle((_req, res) => sendJson(res, 401, { result: 'error', error: { code: 'not_authorized' } }));
    expect(await client.probe('api', '/api/mailbox')).toEqual({ kind: 'http', status: 401, apiCode: 'not_authorized' });
    expect(unauthorized).toBe(0);
  });

  it('reports a non-JSON answer', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Login</title>');
    });
    expect(await makeClient().probe('api', '/api/mail')).toEqual({
      kind: 'not_json',
      status: 200,
      contentType: 'text/html; charset=utf-8',
    });
  });

  it('still throws on network errors', async () => {
    api.handle((req) => req.socket.destroy());
    const error = await failure(makeClient({ retry: { limit: 1, backoffMs: 10 } }).probe('api', '/x'));
    expect(error.kind).toBe('network');
    expect(api.requests).toHaveLength(2);
  });
});
