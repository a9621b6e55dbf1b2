import { beforeAll, describe, expect, it } from 'vitest';
import { collect, sendJson, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, makeTlsClient, failure } = harness;
let api: TestServer, tlsApi: TestServer;
beforeAll(() => {
  ({ api, tlsApi } = harness.servers);
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

  it("a download makes one attempt and carries the server's delay in its typed error", async () => {
    const client = makeClient();
    api.handle((_req, res) => sendJson(res, 503, {}, { 'retry-after': '7' }));
    const unavailable = await failure(client.download('api', '/dl'));
    expect(unavailable).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 7000 });
    expect(api.requests).toHaveLength(1);

    api.reset();
    // The rate-limit window's reset is no delay for a server error (only for a 429).
    api.handle((_req, res) =>
      sendJson(res, 500, {}, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }),
    );
    const failed = await failure(client.download('api', '/dl'));
    expect(failed).toMatchObject({ kind: 'http', status: 500 });
    expect(failed.retryAfterMs).toBeUndefined();

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
