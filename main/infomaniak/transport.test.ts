import { beforeAll, describe, expect, it } from 'vitest';
import { collect, ok, sendJson, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { texts, makeClient, makeTlsClient, failure } = harness;
let api: TestServer, tlsApi: TestServer;
beforeAll(() => {
  ({ api, tlsApi } = harness.servers);
});

describe('in-flight limit', () => {
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
    // The window alone (share and reserve 0: no room kept for interactive requests; the lanes are pacer.test.ts's).
    const client = makeClient({ rateLimit: { limit: 3, windowMs: 500, share: 0, reserve: 0 } });
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
