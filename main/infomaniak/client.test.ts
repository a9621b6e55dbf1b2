import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInfomaniakClient, type InfomaniakClient, type InfomaniakClientOptions } from './client';
import { InfomaniakError } from './errors';
import { makeTestPki, sendJson, startServer, type TestPki, type TestServer } from './test-support';
import type { Endpoints } from './types';

const TOKEN = 'pat-TEST-7f3a9c1e5b2d4f6a8c0e-SECRET';

/** Every log line and error text produced in this file; checked for the token at the end. */
const texts: string[] = [];
const clients: InfomaniakClient[] = [];

let pki: TestPki;
/** http://127.0.0.1:<port>: loopback http is an allowed endpoint. */
let api: TestServer;
/** A second loopback http origin that is NOT a configured endpoint. */
let other: TestServer;
/** https://127.0.0.1:<port>, certificate from the test CA. */
let tlsApi: TestServer;
/** https://localhost:<port>: another https origin (a storage host), same CA. */
let storage: TestServer;

beforeAll(async () => {
  pki = await makeTestPki();
  [api, other, tlsApi, storage] = await Promise.all([
    startServer(),
    startServer(),
    startServer({ pki }),
    startServer({ pki, hostName: 'localhost' }),
  ]);
});

afterEach(() => {
  for (const server of [api, other, tlsApi, storage]) server.reset();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([api, other, tlsApi, storage].map((s) => s.close()));
});

function makeClient(
  options: Partial<Omit<InfomaniakClientOptions, 'endpoints'>> & { endpoints?: Partial<Endpoints> } = {},
) {
  const { endpoints, ...rest } = options;
  const client = createInfomaniakClient({
    token: TOKEN,
    endpoints: {
      api: api.origin,
      calendar: 'https://calendar.example.test',
      contacts: 'https://contacts.example.test',
      mail: 'https://mail.example.test',
      ...endpoints,
    },
    retry: { backoffMs: 20, defaultWaitMs: 50 },
    log: (line) => texts.push(line),
    ...rest,
  });
  clients.push(client);
  return client;
}

function makeTlsClient(options: Partial<Omit<InfomaniakClientOptions, 'endpoints'>> = {}) {
  return makeClient({ ca: [pki.caPem], endpoints: { api: tlsApi.origin }, ...options });
}

function record(error: InfomaniakError): InfomaniakError {
  texts.push(error.message, error.description ?? '', JSON.stringify(error.toAppError()), String(error.stack));
  return error;
}

async function failure(promise: Promise<unknown>): Promise<InfomaniakError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InfomaniakError) return record(error);
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const ok = (data: unknown, extra: Record<string, unknown> = {}) => ({ result: 'success', data, ...extra });

describe('token', () => {
  it('sends the bearer token to a configured origin, and logs the exchange without it', async () => {
    api.handle((_req, res) => sendJson(res, 200, ok([{ id: 1 }])));
    const client = makeClient();
    const page = await client.get('api', '/1/accounts', { searchParams: { with: 'x', ids: [1, 2], skip: undefined } });
    expect(page).toEqual({ data: [{ id: 1 }] });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(api.requests[0]?.url).toBe('/1/accounts?with=x&ids=1&ids=2');
    expect(
      texts.some((l) => /^GET http:\/\/127\.0\.0\.1:\d+\/1\/accounts\?with=x&ids=1&ids=2 200 \d+ ms$/.test(l)),
    ).toBe(true);
  });

  it('refuses paths that would leave the configured host, before any request', async () => {
    const client = makeClient();
    await expect(client.get('api', '@evil.example.test/x')).rejects.toThrow(TypeError);
    await expect(client.get('api', 'https://evil.example.test/x')).rejects.toThrow(TypeError);
    await expect(client.get('api', '//evil.example.test/x')).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it('refuses endpoints that are neither https nor loopback http', () => {
    expect(() => makeClient({ endpoints: { mail: 'http://mail.infomaniak.com:5000' } })).toThrow(/must use https/);
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect with the token', async () => {
    api.handle((req, res) => {
      if (req.url === '/a') {
        res.writeHead(302, { location: '/b?x=1' });
        res.end();
      } else sendJson(res, 200, ok('b'));
    });
    const page = await makeClient().get('api', '/a');
    expect(page.data).toBe('b');
    expect(api.requests.map((r) => [r.url, r.headers['authorization']])).toEqual([
      ['/a', `Bearer ${TOKEN}`],
      ['/b?x=1', `Bearer ${TOKEN}`],
    ]);
  });

  it('download follows a redirect to another https origin without the token, and logs only its origin', async () => {
    const body = Buffer.from('file content from the storage host');
    tlsApi.handle((_req, res) => {
      res.writeHead(302, { location: `${storage.origin}/blob/1?sig=SIGNED-QUERY-VALUE` });
      res.end();
    });
    storage.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(body);
    });
    const before = texts.length;
    const download = await makeTlsClient().download('api', '/2/drive/1/files/5/download');
    expect(await collect(download.body)).toEqual(body);
    expect(download).toMatchObject({ status: 200, offset: 0, totalSize: body.length });
    expect(tlsApi.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]?.headers['authorization']).toBeUndefined();
    expect(storage.requests[0]?.url).toBe('/blob/1?sig=SIGNED-QUERY-VALUE');
    const lines = texts.slice(before);
    // Only the origin of the foreign URL is logged (issue 8.17): its path and query may be signed.
    expect(lines.some((l) => l.endsWith(`→ ${storage.origin} (without the token)`))).toBe(true);
    expect(lines.join('\n')).not.toContain('/blob/1');
    expect(lines.join('\n')).not.toContain('SIGNED-QUERY-VALUE');
  });

  it('download follows a loopback http redirect to another loopback origin without the token', async () => {
    api.handle((_req, res) => {
      res.writeHead(307, { location: `${other.origin}/file` });
      res.end();
    });
    other.handle((_req, res) => {
      res.writeHead(200);
      res.end('abc');
    });
    const download = await makeClient().download('api', '/dl');
    expect((await collect(download.body)).toString()).toBe('abc');
    expect(other.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('get refuses a redirect to another origin instead of following it', async () => {
    api.handle((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/login?client_id=1` });
      res.end();
    });
    const error = await failure(makeClient().get('api', '/api/mail'));
    expect(error.kind).toBe('redirect');
    expect(error.toAppError().code).toBe('unsafe_redirect');
    expect(other.requests).toHaveLength(0);
  });

  it('refuses a redirect to http from https without connecting', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(301, { location: `${other.origin}/insecure` });
      res.end();
    });
    const error = await failure(makeTlsClient().download('api', '/x'));
    expect(error).toMatchObject({ kind: 'redirect', status: 301 });
    expect(error.toAppError()).toMatchObject({ code: 'unsafe_redirect' });
    expect(other.requests).toHaveLength(0);
  });

  it('refuses a redirect to non-loopback http (the seed mail host)', async () => {
    api.handle((_req, res) => {
      res.writeHead(301, { location: 'http://mail.infomaniak.com:5000/api/mail/?account_id=1' });
      res.end();
    });
    const started = Date.now();
    const error = await failure(makeClient().download('api', '/api/mail/'));
    expect(error.kind).toBe('redirect');
    expect(error.toAppError().message).toContain('http://mail.infomaniak.com:5000');
    expect(error.toAppError().message).not.toContain('account_id');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up after 5 hops', async () => {
    api.handle((_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    const error = await failure(makeClient().get('api', '/loop'));
    expect(error.kind).toBe('redirect');
    expect(api.requests).toHaveLength(6);
  });
});

describe('retries', () => {
  function failThen(status: number, headers: Record<string, string>, times = 1) {
    api.handle((_req, res) => {
      if (api.requests.length <= times) sendJson(res, status, { result: 'error', error: { code: 'x' } }, headers);
      else sendJson(res, 200, ok('done'));
    });
  }

  it('honours Retry-After in seconds', async () => {
    failThen(429, { 'retry-after': '1' });
    const started = Date.now();
    expect((await makeClient().get('api', '/r')).data).toBe('done');
    const elapsed = Date.now() - started;
    expect(api.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
    expect(texts.some((l) => /429; retry 1\/3 in 1000 ms \(as the server asked\)/.test(l))).toBe(true);
  });

  it('honours Retry-After as an HTTP date', async () => {
    failThen(429, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
    const started = Date.now();
    await makeClient().get('api', '/r');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('honours X-RateLimit-Reset (epoch seconds)', async () => {
    failThen(429, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2) });
    const started = Date.now();
    await makeClient().get('api', '/r');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('caps each wait, applies the limit, and reports the server-requested delay', async () => {
    api.handle((_req, res) =>
      sendJson(res, 429, { result: 'error', error: { code: 'too_many' } }, { 'retry-after': '30' }),
    );
    const started = Date.now();
    const error = await failure(makeClient({ retry: { limit: 2, maxWaitMs: 100 } }).get('api', '/r'));
    const elapsed = Date.now() - started;
    expect(api.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 30_000 });
    expect(error.toAppError()).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 30_000 } });
  });

  it('waits defaultWaitMs after a 429 with no header', async () => {
    failThen(429, {});
    const started = Date.now();
    await makeClient({ retry: { defaultWaitMs: 300 } }).get('api', '/r');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('retries 502/503/504 with backoff', async () => {
    api.handle((_req, res) => {
      const n = api.requests.length;
      if (n === 1) sendJson(res, 503, { result: 'error', error: { code: 'x' } });
      else if (n === 2) sendJson(res, 502, {});
      else if (n === 3) sendJson(res, 504, {});
      else sendJson(res, 200, ok('up'));
    });
    expect((await makeClient().get('api', '/r')).data).toBe('up');
    expect(api.requests).toHaveLength(4);
  });

  it('retries a GET after a connection reset', async () => {
    api.handle((req, res) => {
      if (api.requests.length === 1) req.socket.destroy();
      else sendJson(res, 200, ok('again'));
    });
    expect((await makeClient().get('api', '/r')).data).toBe('again');
    expect(api.requests).toHaveLength(2);
    expect(texts.some((l) => /failed \(UND_ERR_SOCKET\); retry 1\/3/.test(l))).toBe(true);
  });

  it('retries a POST on 503 but not on 502 or a reset', async () => {
    failThen(503, {});
    const client = makeClient();
    expect((await client.post('api', '/3/drive/1/files/archives', { file_ids: [1] })).data).toBe('done');
    expect(api.requests).toHaveLength(2);
    expect(api.requests[0]?.headers['content-type']).toBe('application/json');

    api.reset();
    failThen(502, {});
    expect((await failure(client.post('api', '/p', {}))).status).toBe(502);
    expect(api.requests).toHaveLength(1);

    api.reset();
    api.handle((req) => req.socket.destroy());
    expect((await failure(client.post('api', '/p', {}))).kind).toBe('network');
    expect(api.requests).toHaveLength(1);
  });

  it('sends the POST body as JSON', async () => {
    let received = '';
    api.handle((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (c: string) => (received += c));
      req.on('end', () => sendJson(res, 201, ok({ uuid: 'u1' })));
    });
    const page = await makeClient().post<{ uuid: string }>('api', '/3/drive/1/files/archives', { file_ids: [3, 4] });
    expect(page.data.uuid).toBe('u1');
    expect(JSON.parse(received)).toEqual({ file_ids: [3, 4] });
  });

  it('never retries 401 or 403, and reports 401 to onUnauthorized', async () => {
    let unauthorized = 0;
    const client = makeClient({ onUnauthorized: () => unauthorized++ });
    api.handle((_req, res) => sendJson(res, 401, { result: 'error', error: { code: 'not_authorized' } }));
    const e401 = await failure(client.get('api', '/1/accounts'));
    expect(api.requests).toHaveLength(1);
    expect(unauthorized).toBe(1);
    expect(e401.toAppError()).toEqual({
      code: 'token_invalid',
      message: 'The token was refused (revoked, expired or mistyped).',
      details: { status: 401, apiCode: 'not_authorized' },
    });

    api.reset();
    api.handle((_req, res) => sendJson(res, 403, { result: 'error', error: { code: 'access_denied' } }));
    const e403 = await failure(client.get('api', '/1/accounts'));
    expect(api.requests).toHaveLength(1);
    expect(e403.toAppError().code).toBe('forbidden');
    expect(unauthorized).toBe(1);

    api.reset();
    api.handle((_req, res) => sendJson(res, 401, {}));
    await failure(client.download('api', '/dl'));
    expect(unauthorized).toBe(2);
  });

  it('aborts at once on the caller signal during a retry wait', async () => {
    api.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': '10' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await failure(makeClient().get('api', '/r', { signal: controller.signal }));
    expect(error.kind).toBe('cancelled');
    expect(error.toAppError().code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.requests).toHaveLength(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const error = await failure(makeClient().get('api', '/r', { signal: AbortSignal.abort() }));
    expect(error.kind).toBe('cancelled');
    expect(api.requests).toHaveLength(0);
  });
});

describe('timeouts and stalls', () => {
  it('times out a request whose headers do not come', async () => {
    api.handle(() => undefined);
    const started = Date.now();
    const error = await failure(makeClient({ timeoutMs: 150 }).get('api', '/slow'));
    expect(error.kind).toBe('timeout');
    expect(error.toAppError().code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.requests).toHaveLength(1);
  });

  it('the stall watchdog ends a download body that stops mid-way', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('first bytes');
    });
    const download = await makeClient({ stallMs: 150 }).download('api', '/dl');
    const iterator = download.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('first bytes');
    const started = Date.now();
    const error = await failure(iterator.next());
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the stall watchdog also guards JSON bodies', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":"success","data":[');
    });
    const error = await failure(makeClient({ stallMs: 150 }).get('api', '/list'));
    expect(error.kind).toBe('timeout');
  });

  it('cancel() stops a download', async () => {
    api.handle((_req, res) => {
      res.writeHead(200);
      res.write('chunk');
    });
    const download = await makeClient().download('api', '/dl');
    const iterator = download.body[Symbol.asyncIterator]();
    await iterator.next();
    download.cancel();
    const error = await failure(iterator.next());
    expect(error.kind).toBe('cancelled');
  });

  it('caps concurrent requests at maxConcurrent', async () => {
    let inFlight = 0;
    let peak = 0;
    api.handle((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, ok(1));
      }, 60);
    });
    const client = makeClient({ maxConcurrent: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => client.get('api', `/c/${i}`)));
    expect(api.requests).toHaveLength(5);
    expect(peak).toBe(2);
  });
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

  it('redacts the token if a server echoes it', async () => {
    api.handle((_req, res) =>
      sendJson(res, 400, {
        result: 'error',
        error: { code: 'bad_request_error', description: `bad header Bearer ${TOKEN}` },
      }),
    );
    const error = await failure(makeClient().get('api', '/x'));
    expect(error.description).toBe('bad header Bearer [redacted]');
  });
});

describe('compressed JSON', () => {
  it('asks for gzip/deflate and inflates gzip, deflate and br answers', async () => {
    const json = JSON.stringify(ok({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `file ${i}` })) }));
    const encoders: Record<string, (b: Buffer) => Buffer> = {
      gzip: (b) => gzipSync(b),
      deflate: (b) => deflateSync(b),
      br: (b) => brotliCompressSync(b),
    };
    const client = makeClient();
    for (const [encoding, encode] of Object.entries(encoders)) {
      api.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
        res.end(encode(Buffer.from(json)));
      });
      const page = await client.get<{ items: Array<{ id: number }> }>('api', '/list');
      expect(page.data.items).toHaveLength(200);
    }
    expect(api.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate');
    expect(api.requests[0]?.headers['user-agent']).toBe('PowerOn-Sources');
  });

  it('a corrupt or unknown encoding is a decode error, and error envelopes are inflated too', async () => {
    const client = makeClient({ retry: { limit: 0 } });
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('not gzip at all');
    });
    expect(await failure(client.get('api', '/x'))).toMatchObject({ kind: 'decode', status: 200 });
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'compress' });
      res.end('??');
    });
    expect((await failure(client.get('api', '/x'))).kind).toBe('decode');
    api.handle((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ result: 'error', error: { code: 'object_not_found' } })));
    });
    expect(await failure(client.get('api', '/x'))).toMatchObject({ status: 404, apiCode: 'object_not_found' });
  });

  it('a download sent compressed anyway is inflated, with no total size', async () => {
    const data = Buffer.from('compressed file content '.repeat(1000));
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gzipSync(data).length });
      res.end(gzipSync(data));
    });
    const download = await makeClient().download('api', '/dl');
    expect(api.requests[0]?.headers['accept-encoding']).toBe('identity');
    expect(download.totalSize).toBeNull();
    expect((await collect(download.body)).equals(data)).toBe(true);
  });

  it('an error body that inflates beyond its cap is not read whole', async () => {
    api.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      // Valid JSON once inflated (an envelope, then 2 MiB of spaces): only the cap keeps it unread.
      const envelope = JSON.stringify({ result: 'error', error: { code: 'too_big' } });
      res.end(gzipSync(Buffer.concat([Buffer.from(envelope), Buffer.alloc(2 * 1024 * 1024, 0x20)])));
    });
    const error = await failure(makeClient({ retry: { limit: 0 } }).get('api', '/x'));
    expect(error).toMatchObject({ kind: 'http', status: 500 });
    expect(error.apiCode).toBeUndefined();
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

describe('download', () => {
  const content = Buffer.from(Array.from({ length: 200 }, (_, i) => i));

  it('asks for a range with If-Range and parses a 206', async () => {
    tlsApi.handle((req, res) => {
      const match = /^bytes=(\d+)-$/.exec(String(req.headers['range']));
      const start = Number(match?.[1] ?? 0);
      res.writeHead(206, {
        'content-type': 'application/pdf',
        'content-range': `bytes ${start}-${content.length - 1}/${content.length}`,
        'content-length': content.length - start,
        etag: '"v1"',
        'last-modified': 'Sat, 01 Mar 2025 12:00:00 GMT',
      });
      res.end(content.subarray(start));
    });
    const download = await makeTlsClient().download('api', '/2/drive/1/files/5/download', {
      start: 120,
      ifRange: '"v1"',
    });
    expect(tlsApi.requests[0]?.headers['range']).toBe('bytes=120-');
    expect(tlsApi.requests[0]?.headers['if-range']).toBe('"v1"');
    expect(download).toMatchObject({
      status: 206,
      offset: 120,
      totalSize: 200,
      etag: '"v1"',
      lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT',
      contentType: 'application/pdf',
    });
    expect(await collect(download.body)).toEqual(content.subarray(120));
  });

  it('accepts a 200 when the range was not honoured (body restarts at 0)', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.end(content);
    });
    const download = await makeClient().download('api', '/dl', { start: 50, ifRange: '"old"' });
    expect(download).toMatchObject({ status: 200, offset: 0, totalSize: 200 });
    expect(await collect(download.body)).toEqual(content);
  });

  it('sends no Range from 0 and handles a missing Content-Length', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(content.subarray(0, 100));
      setTimeout(() => res.end(content.subarray(100)), 20);
    });
    const download = await makeClient().download('api', '/dl');
    expect(api.requests[0]?.headers['range']).toBeUndefined();
    expect(download.totalSize).toBeNull();
    expect(await collect(download.body)).toEqual(content);
  });

  it('a 416 is an error', async () => {
    api.handle((_req, res) => {
      res.writeHead(416, { 'content-range': 'bytes */200' });
      res.end();
    });
    const error = await failure(makeClient().download('api', '/dl', { start: 500 }));
    expect(error).toMatchObject({ kind: 'http', status: 416 });
    expect(error.toAppError().code).toBe('api_error');
  });
});

describe('download body transport', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('hands a busy reader fewer, larger chunks, bounded by about 1 MiB', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': data.length });
      for (let at = 0; at < data.length; at += 16 * 1024) res.write(data.subarray(at, at + 16 * 1024));
      res.end();
    });
    const download = await makeClient().download('api', '/big');
    await sleep(300);
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of download.body) {
      sizes.push(chunk.byteLength);
      chunks.push(chunk);
      await sleep(5);
    }
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(sizes[0]).toBeGreaterThanOrEqual(512 * 1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024 + 128 * 1024);
    expect(sizes.length).toBeLessThan(data.length / (16 * 1024));
  });

  it('frees the concurrency slot at the headers, while the body is still open', async () => {
    api.handle((req, res) => {
      if (req.url === '/dl') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
      } else sendJson(res, 200, ok('json'));
    });
    const client = makeClient({ maxConcurrent: 1 });
    const download = await client.download('api', '/dl');
    expect((await client.get('api', '/x', { timeoutMs: 1000 })).data).toBe('json');
    download.cancel();
  });

  it('the stall watchdog ignores the time the reader holds a chunk, and re-arms for the next wait', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.flushHeaders();
      setTimeout(() => res.write('one'), 50);
    });
    const download = await makeClient({ stallMs: 150 }).download('api', '/dl');
    const iterator = download.body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('one');
    await sleep(350);
    const started = Date.now();
    const error = await failure(iterator.next());
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a slow reader is not a stall', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '6' });
      res.flushHeaders();
      setTimeout(() => res.write('abc'), 30);
      setTimeout(() => res.end('def'), 60);
    });
    const download = await makeClient({ stallMs: 100 }).download('api', '/dl');
    const parts: string[] = [];
    for await (const chunk of download.body) {
      parts.push(Buffer.from(chunk).toString());
      await sleep(250);
    }
    expect(parts.join('')).toBe('abcdef');
  });

  it('cancel() and the caller signal end a pending read at once', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x');
    });
    const client = makeClient();
    const first = await client.download('api', '/dl');
    const iterator = first.body[Symbol.asyncIterator]();
    await iterator.next();
    const pending = failure(iterator.next());
    setTimeout(() => first.cancel(), 50);
    expect((await pending).kind).toBe('cancelled');

    const controller = new AbortController();
    const second = await client.download('api', '/dl', { signal: controller.signal });
    const reader = second.body[Symbol.asyncIterator]();
    await reader.next();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(reader.next());
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('leaving the loop early closes the connection', async () => {
    let closed: Promise<void> = Promise.resolve();
    api.handle((_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write(Buffer.alloc(64 * 1024));
    });
    const download = await makeClient().download('api', '/dl');
    for await (const chunk of download.body) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    await closed;
  });

  it('a connection lost mid-body is a network error with its cause', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('some', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const download = await makeClient().download('api', '/dl');
    const error = await failure(collect(download.body));
    expect(error.kind).toBe('network');
    expect(error.causeCode).toBe('UND_ERR_SOCKET');
  });
});

describe("the token's request budget", () => {
  it('holds a burst of calls, downloads and probes to the budget, and tells the waiting calls', async () => {
    const seen: number[] = [];
    api.handle((req, res) => {
      seen.push(Date.now());
      if (req.url?.startsWith('/dl')) {
        res.writeHead(200, { 'content-length': '2' });
        res.end('ok');
      } else sendJson(res, 200, ok(req.url));
    });
    const client = makeClient({ rateLimit: { limit: 3, windowMs: 500 } });
    // Warm up (the first fetch of a process loads undici's fetch, which delays that request alone).
    await client.get('api', '/warm-up');
    await new Promise((resolve) => setTimeout(resolve, 550));
    seen.length = 0;
    api.requests.length = 0;
    const waits: number[][] = [];
    const status: number[] = [];
    client.onRateLimitWait((ms) => status.push(ms));
    const started = Date.now();
    const calls = Array.from({ length: 8 }, (_, i) => {
      const told: number[] = [];
      waits.push(told);
      const onWait = (ms: number) => told.push(ms);
      if (i % 4 === 1) return client.download('api', `/dl/${i}`, { onWait }).then((d) => collect(d.body));
      if (i % 4 === 2) return client.probe('api', `/p/${i}`, { onWait });
      return client.get('api', `/g/${i}`, { onWait });
    });
    await Promise.all(calls);
    expect(api.requests).toHaveLength(8);
    // 8 requests at 3 per 500 ms: the last ones go in the third window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    for (const at of seen) {
      expect(seen.filter((t) => t >= at && t < at + 450).length).toBeLessThanOrEqual(3);
    }
    // Three went at once; every other call heard a wait, then 0 when it went.
    expect(waits.filter((told) => told.length === 0)).toHaveLength(3);
    for (const told of waits.filter((t) => t.length > 0)) {
      expect(told[0]).toBeGreaterThan(0);
      expect(told[0]).toBeLessThanOrEqual(1000);
      expect(told.at(-1)).toBe(0);
    }
    expect(Math.max(...status)).toBeGreaterThan(0);
    expect(status.at(-1)).toBe(0);
    expect(texts.some((l) => /waits \d+ ms for the token's request budget/.test(l))).toBe(true);
  });

  it('a 429 with Retry-After pauses every request of the token, and the retry waits in the budget', async () => {
    const seen: Array<[string, number]> = [];
    api.handle((req, res) => {
      seen.push([req.url ?? '', Date.now()]);
      if (req.url === '/first' && seen.length === 1) {
        sendJson(res, 429, { result: 'error', error: { code: 'too_many_request' } }, { 'retry-after': '1' });
      } else sendJson(res, 200, ok(req.url));
    });
    const client = makeClient();
    const told: number[] = [];
    const first = client.get('api', '/first', { onWait: (ms) => told.push(ms) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await client.get('api', '/second');
    await first;
    const refusedAt = seen[0]?.[1] ?? 0;
    // The retry queued first (at the 429), the second call 100 ms later: both went after the pause.
    expect(seen.map(([url]) => url)).toEqual(['/first', '/first', '/second']);
    expect(second.data).toBe('/second');
    for (const [, at] of seen.slice(1)) expect(at - refusedAt).toBeGreaterThanOrEqual(950);
    expect(told[0]).toBeGreaterThan(800);
    expect(told.at(-1)).toBe(0);
  });

  it("a download makes one attempt and carries the server's delay in its typed error", async () => {
    const client = makeClient();
    api.handle((_req, res) => sendJson(res, 503, {}, { 'retry-after': '7' }));
    const unavailable = await failure(client.download('api', '/dl'));
    expect(unavailable).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 7000 });
    expect(api.requests).toHaveLength(1);

    api.reset();
    api.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': '2' }));
    const limited = await failure(client.download('api', '/dl'));
    expect(limited).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 2000 });
    expect(limited.toAppError()).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 2000 } });
    expect(api.requests).toHaveLength(1);

    api.reset();
    api.handle((req) => req.socket.destroy());
    const reset = await failure(makeClient().download('api', '/dl'));
    expect(reset).toMatchObject({ kind: 'network', causeCode: 'UND_ERR_SOCKET' });
    expect(api.requests).toHaveLength(1);
  });
});

describe('issue 8 and 9 edges', () => {
  it('a JSON body trickling one byte at a time fails with a timeout at the body deadline', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = JSON.stringify(ok('x'.repeat(1000)));
      let at = 0;
      const timer = setInterval(() => {
        if (at >= body.length || res.destroyed) return clearInterval(timer);
        res.write(body[at++]);
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await failure(makeClient({ stallMs: 200, bodyDeadlineMs: 400 }).get('api', '/trickle'));
    expect(error.kind).toBe('timeout');
    expect(error.toAppError().code).toBe('timeout');
    expect(error.description).toMatch(/did not finish within/);
    expect(Date.now() - started).toBeLessThan(1500);

    const probeError = await failure(makeClient({ stallMs: 200, bodyDeadlineMs: 400 }).probe('api', '/trickle'));
    expect(probeError.kind).toBe('timeout');
  });

  it('a token echoed in any error field (plain, URL-encoded, base64, partial) never reaches an error', async () => {
    const base64 = Buffer.from(TOKEN).toString('base64');
    const partial = TOKEN.slice(4, 24);
    const echoes = [
      { code: TOKEN, description: 'plain code' },
      { code: 'bad_request_error', description: `encoded ${encodeURIComponent(`Bearer ${TOKEN}`)}` },
      { code: 'bad_request_error', description: `base64 ${base64}` },
      { code: 'bad_request_error', description: `partial …${partial}…` },
      { code: `x_${TOKEN.slice(0, 12).toLowerCase()}`, message: 'lower-case code' },
      { code: 'all_scopes', context: { missing_scope: TOKEN } },
    ];
    const client = makeClient({ retry: { limit: 0 } });
    for (const echo of echoes) {
      api.handle((_req, res) => sendJson(res, 403, { result: 'error', error: echo }));
      const error = await failure(client.get('api', '/x'));
      const probe = await client.probe('api', '/x');
      const crossing = [
        error.message,
        error.apiCode ?? '',
        error.description ?? '',
        error.missingScope ?? '',
        JSON.stringify(error.toAppError()),
        JSON.stringify(probe),
      ].join('\n');
      for (const secret of [TOKEN, encodeURIComponent(TOKEN), base64, partial, TOKEN.slice(0, 12).toLowerCase()]) {
        expect(crossing).not.toContain(secret);
      }
    }
    // Only codes of the documented shape are kept.
    api.handle((_req, res) => sendJson(res, 400, { result: 'error', error: { code: 'Not A Code!' } }));
    expect((await failure(client.get('api', '/x'))).apiCode).toBeUndefined();
    api.handle((_req, res) => sendJson(res, 400, { result: 'error', error: { code: 'object_not_found' } }));
    expect((await failure(client.get('api', '/x'))).apiCode).toBe('object_not_found');
  });

  it('logs only the origin of a foreign URL (a signature in the path stays out of logs and errors)', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(302, { location: `${storage.origin}/sig/SIGNED-PATH-VALUE/blob?sig=SIGNED-QUERY-VALUE` });
      res.end();
    });
    storage.handle((_req, res) => sendJson(res, 500, {}));
    const before = texts.length;
    const error = await failure(makeTlsClient().download('api', '/2/drive/1/files/5/download'));
    expect(storage.requests).toHaveLength(1);
    const lines = [...texts.slice(before), error.message, JSON.stringify(error.toAppError())].join('\n');
    expect(lines).toContain(storage.origin);
    expect(lines).not.toContain('SIGNED-PATH-VALUE');
    expect(lines).not.toContain('SIGNED-QUERY-VALUE');
  });

  it('decodes a redirect envelope (result "redirect" with uri) as a typed answer', async () => {
    api.handle((_req, res) => sendJson(res, 200, { result: 'redirect', uri: 'https://api.infomaniak.com/2/drive/9' }));
    expect(await makeClient().get('api', '/x')).toEqual({
      data: null,
      redirectUri: 'https://api.infomaniak.com/2/drive/9',
    });
  });
});

describe('per-client CA', () => {
  it('trusts the extra CA only for the client that was given it', async () => {
    tlsApi.handle((_req, res) => sendJson(res, 200, ok('tls')));
    expect((await makeTlsClient().get('api', '/x')).data).toBe('tls');

    const started = Date.now();
    const error = await failure(
      makeClient({ endpoints: { api: tlsApi.origin }, retry: { backoffMs: 2000 } }).get('api', '/x'),
    );
    expect(error.kind).toBe('network');
    expect(error.causeCode).toMatch(/CERT|UNABLE_TO_VERIFY/);
    expect(error.toAppError()).toMatchObject({ code: 'network' });
    expect(error.toAppError().message).toMatch(/certificate is not trusted/);
    // Certificate errors are not retried.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(tlsApi.requests).toHaveLength(1);
  });
});

describe('secrecy', () => {
  // Runs last in this file: every scenario above fed `texts`.
  it('never puts the token or the Authorization header in a log line or error text', () => {
    expect(texts.length).toBeGreaterThan(80);
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('7f3a9c1e5b2d4f6a8c0e');
      expect(text.toLowerCase()).not.toContain('authorization');
    }
  });
});
