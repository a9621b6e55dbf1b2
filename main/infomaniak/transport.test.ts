import { beforeAll, describe, expect, it } from 'vitest';
import { collect, ok, sendJson, type TestServer, useClientHarness } from './test-support';
import { secureContextFor } from './secure-context.mjs';

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
    api.handle((req, res) => {
      if (req.url?.startsWith('/dl')) {
        res.writeHead(200, { 'content-length': '2' });
        res.end('ok');
      } else sendJson(res, 200, ok(req.url));
    });
    // The window alone (share and reserve 0: no room kept for interactive requests; the lanes are pacer.test.ts's).
    const client = makeClient({ rateLimit: { limit: 3, windowMs: 500, share: 0, reserve: 0 } });
    const waits: number[][] = [];
    const status: number[] = [];
    client.onRateLimitWait((ms) => status.push(ms));
    // All eight ask at once (the pacer's own timing is tested with a fake clock in pacer.test.ts):
    // counted by what each call was told, not by the wall clock.
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
    // 8 requests at 3 per 500 ms: three go at once, three wait one window, two wait two.
    const firstWaits = waits.map((told) => told[0] ?? 0);
    expect(firstWaits.filter((ms) => ms === 0)).toHaveLength(3);
    expect(firstWaits.filter((ms) => ms > 0 && ms <= 500)).toHaveLength(3);
    expect(firstWaits.filter((ms) => ms > 500 && ms <= 1000)).toHaveLength(2);
    // Every waiting call heard 0 when it went.
    for (const told of waits.filter((t) => t.length > 0)) expect(told.at(-1)).toBe(0);
    expect(Math.max(...status)).toBeGreaterThan(0);
    expect(status.at(-1)).toBe(0);
    expect(texts.some((l) => /waits \d+ ms for the token's request budget/.test(l))).toBe(true);
  });

  it('a 429 with Retry-After pauses every request of the token, and the retry waits in the budget', async () => {
    const seen: string[] = [];
    api.handle((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/first' && seen.length === 1) {
        sendJson(res, 429, { result: 'error', error: { code: 'too_many_request' } }, { 'retry-after': '1' });
      } else sendJson(res, 200, ok(req.url));
    });
    const client = makeClient();
    const told: number[] = [];
    const first = client.get('api', '/first', { onWait: (ms) => told.push(ms) });
    // The retry of the refused call waits in the budget: the pause is in force.
    await expect.poll(() => told.length).toBeGreaterThan(0);
    const toldSecond: number[] = [];
    const second = await client.get('api', '/second', { onWait: (ms) => toldSecond.push(ms) });
    await first;
    // The retry queued first (at the 429), the second call after it: both went after the pause.
    expect(seen).toEqual(['/first', '/first', '/second']);
    expect(second.data).toBe('/second');
    expect(told[0]).toBeGreaterThan(800);
    expect(told.at(-1)).toBe(0);
    expect(toldSecond[0]).toBeGreaterThan(0);
    expect(toldSecond.at(-1)).toBe(0);
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

  it('builds the trust store once per set of extra CAs: clients of the same set share it, another set gets its own', async () => {
    const ca = [harness.servers.pki.caPem];
    const shared = secureContextFor(ca);
    expect(secureContextFor([...ca])).toBe(shared);
    expect(secureContextFor([...ca, ca[0]!])).not.toBe(shared);
    // Two clients built on the shared context both reach the server.
    tlsApi.handle((_req, res) => sendJson(res, 200, ok('shared')));
    expect((await makeTlsClient().get('api', '/a')).data).toBe('shared');
    expect((await makeTlsClient().get('api', '/b')).data).toBe('shared');
  });
});
