import { beforeAll, describe, expect, it } from 'vitest';
import { ok, sendJson, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { texts, makeClient, failure } = harness;
let api: TestServer;
beforeAll(() => {
  ({ api } = harness.servers);
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

  it('a 503 waits its backoff, not the rate-limit window its X-RateLimit-Reset names (that header is about 429)', async () => {
    failThen(503, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30), 'ratelimit-reset': '30' });
    const started = Date.now();
    expect((await makeClient({ retry: { backoffMs: 50 } }).get('api', '/r')).data).toBe('done');
    expect(api.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(texts.some((l) => /503; retry 1\/3 in 50 ms$/.test(l))).toBe(true);
  });

  it('a 503 with Retry-After waits what it asks', async () => {
    failThen(503, { 'retry-after': '1', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30) });
    const started = Date.now();
    await makeClient({ retry: { backoffMs: 50 } }).get('api', '/r');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(texts.some((l) => /503; retry 1\/3 in 1000 ms \(as the server asked\)/.test(l))).toBe(true);
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

describe('timeouts', () => {
  it('times out a request whose headers do not come', async () => {
    api.handle(() => undefined);
    const started = Date.now();
    const error = await failure(makeClient({ timeoutMs: 150 }).get('api', '/slow'));
    expect(error.kind).toBe('timeout');
    expect(error.toAppError().code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.requests).toHaveLength(1);
  });
});

describe("the token's budget lanes (issue 22.2)", () => {
  it("a call's lane reaches the pacer: an interactive GET overtakes the downloads and background calls that wait", async () => {
    const order: string[] = [];
    api.handle((req, res) => {
      order.push(req.url ?? '');
      if (req.url?.startsWith('/dl')) {
        res.writeHead(200, { 'content-length': '2' });
        res.end('ok');
      } else sendJson(res, 200, ok(req.url));
    });
    // One request per 300 ms: the order the server sees is the order the pacer let them go.
    const client = makeClient({ rateLimit: { limit: 1, windowMs: 300, share: 0, reserve: 0 } });
    await client.get('api', '/fill');
    const calls = [
      client.get('api', '/background', { lane: 'background' }),
      client.download('api', '/dl', { lane: 'download' }).then((d) => d.cancel()),
      client.get('api', '/untagged'),
      client.get('api', '/interactive', { lane: 'interactive' }),
    ];
    await Promise.all(calls);
    expect(order.slice(1)).toEqual(['/interactive', '/dl', '/untagged', '/background']);
  });
});
