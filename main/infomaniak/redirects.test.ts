import { beforeAll, describe, expect, it } from 'vitest';
import { collect, ok, sendJson, TEST_TOKEN as TOKEN, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { texts, makeClient, makeTlsClient, failure } = harness;
let api: TestServer, other: TestServer, tlsApi: TestServer, storage: TestServer;
beforeAll(() => {
  ({ api, other, tlsApi, storage } = harness.servers);
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
});
