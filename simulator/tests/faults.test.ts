/** Rate limit, latency and injected faults: 500s, resets after N bytes, stalls, hanging routes. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byPath, bytesOf, open, readUntilError } from './test-support';
import type { ApiFile, Client } from './test-support';

const DRIVE = 7001;
let c: Client;
let plain: ApiFile;

beforeAll(async () => {
  c = await open('edge', 'edge-full-token');
  plain = await byPath(c, DRIVE, '/Common documents/Locked.docx');
});
afterEach(() => {
  c.sim.setRateLimit(null);
  c.sim.setFaults(null);
  c.sim.setLatency({ fixedMs: 0, jitterMs: 0 });
});
afterAll(() => c.close());

const dl = (id: number, headers: Record<string, string> = {}) =>
  c.req('api', `/2/drive/${DRIVE}/files/${id}/download`, { headers });

describe('rate limit', () => {
  it('429 with Retry-After and X-RateLimit headers after N requests per minute, per token', async () => {
    c.sim.setRateLimit(5);
    for (let i = 0; i < 5; i++) {
      const ok = await c.req('api', '/1/accounts');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(4 - i));
      await ok.arrayBuffer();
    }
    const limited = await c.req('api', '/1/accounts');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
    // the limit counts across origins for the same token, and not at all for another token
    expect((await c.req('calendar', '/api/pim/calendar')).status).toBe(429);
    const other = await c.req('api', '/1/accounts', { token: 'edge-one-account-token' });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it('off when set to null', async () => {
    c.sim.setRateLimit(1);
    await (await c.req('api', '/1/accounts')).arrayBuffer();
    expect((await c.req('api', '/1/accounts')).status).toBe(429);
    c.sim.setRateLimit(null);
    expect((await c.req('api', '/1/accounts')).status).toBe(200);
  });

  it('60 per window: the 61st request is refused until the window slides on (short window for tests)', async () => {
    c.sim.setRateLimit(60, { windowMs: 1500 });
    const started = Date.now();
    for (let i = 0; i < 60; i++) await (await c.req('api', '/1/accounts')).arrayBuffer();
    const refused = await c.req('api', '/1/accounts');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const resetAt = Number(refused.headers.get('x-ratelimit-reset')) * 1000;
    expect(resetAt).toBeGreaterThanOrEqual(started);
    expect(resetAt).toBeLessThanOrEqual(started + 1500 + 2000);
    await new Promise((r) => setTimeout(r, Math.max(0, started + 1600 - Date.now())));
    expect((await c.req('api', '/1/accounts')).status).toBe(200);
  });

  it('a lower limit on one route, on top of the overall one', async () => {
    c.sim.setRateLimit(null, { routes: { 'GET /2/drive': 2 } });
    for (let i = 0; i < 2; i++) expect((await c.req('api', '/2/drive?account_id=3001')).status).toBe(200);
    const refused = await c.req('api', '/2/drive?account_id=3001');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('2');
    // other routes are not limited
    expect((await c.req('api', '/1/accounts')).status).toBe(200);
  });

  it('a scenario can switch it on (60 per minute)', async () => {
    const scenario = {
      name: 'limited',
      settings: { rate_limit_per_minute: 60 },
      tokens: [{ value: 'limited-token-123456', scopes: ['accounts'] }],
    };
    const limited = await open(scenario, 'limited-token-123456');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) {
        const res = await limited.req('api', '/1/accounts');
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(60);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('injected 500s', () => {
  it('answers about the configured share of requests with 500 and the error envelope', async () => {
    c.sim.setFaults({ errorRate: 0.3, seed: 7 });
    let failed = 0;
    for (let i = 0; i < 200; i++) {
      const res = await c.req('api', '/1/accounts');
      if (res.status === 500) {
        failed++;
        expect(((await res.json()) as { result: string }).result).toBe('error');
      } else {
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    }
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(80);
  });

  it('can be limited to some routes; the storage origin is spared by default', async () => {
    c.sim.setFaults({ errorRate: 1, errorRoutes: ['GET /2/drive'] });
    expect((await c.req('api', '/2/drive?account_id=3001')).status).toBe(500);
    expect((await c.req('api', '/1/accounts')).status).toBe(200);
    c.sim.setDownloads({ mode: 'redirect' });
    c.sim.setFaults({ errorRate: 1, errorRoutes: ['GET /2/drive/{drive}/files/{file}/download'] });
    expect((await dl(plain.id)).status).toBe(500);
    c.sim.setFaults({ errorRate: 0 });
    const location = (await dl(plain.id)).headers.get('location')!;
    c.sim.setFaults({ errorRate: 1 });
    expect((await c.fetchUrl(location)).status).toBe(200);
    c.sim.setDownloads({ mode: 'direct' });
  });

  it('can answer 503 with Retry-After instead (a server asking to come back later)', async () => {
    c.sim.setFaults({ errorRate: 1, errorRoutes: ['GET /1/accounts'], errorStatus: 503, retryAfterSeconds: 12 });
    const refused = await c.req('api', '/1/accounts');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('12');
    expect(await refused.json()).toMatchObject({ result: 'error', error: { code: 'service_unavailable' } });
    c.sim.setFaults({ errorRate: 1, errorRoutes: ['GET /1/accounts'], errorStatus: 503 });
    expect((await c.req('api', '/1/accounts')).headers.get('retry-after')).toBeNull();
  });
});

describe('body faults', () => {
  it('a scenario file resets the connection after exactly N bytes, every time', async () => {
    const f = await byPath(c, DRIVE, '/Common documents/Broken downloads/reset-always.bin');
    for (let i = 0; i < 2; i++) {
      const res = await dl(f.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(1024 * 1024));
      const { received, error } = await readUntilError(res);
      expect(error).toBeTruthy();
      expect(received).toBe(512 * 1024);
    }
  });

  it('a reset-once file fails at 60%, then resumes with a Range request', async () => {
    c.sim.setFaults({ scenarioFaults: false });
    const f = await byPath(c, DRIVE, '/Common documents/Broken downloads/reset-once.bin');
    const full = await bytesOf(await dl(f.id));
    c.sim.setFaults(null); // re-arms the scenario's faults
    const first = await dl(f.id);
    const etag = first.headers.get('etag')!;
    const { received, error, chunks } = await readUntilError(first);
    expect(error).toBeTruthy();
    expect(received).toBe(Math.floor(0.6 * 2 * 1024 * 1024));
    const rest = await dl(f.id, { range: `bytes=${received}-`, 'if-range': etag });
    expect(rest.status).toBe(206);
    const joined = Buffer.concat([...chunks, await bytesOf(rest)]);
    expect(joined.equals(full)).toBe(true);
    const again = await dl(f.id);
    expect((await bytesOf(again)).length).toBe(full.length);
  });

  it('runtime resets by file id, counted', async () => {
    c.sim.setFaults({ resets: [{ file: plain.id, afterBytes: 1000, times: 1 }] });
    const first = await readUntilError(await dl(plain.id));
    expect(first.error).toBeTruthy();
    expect(first.received).toBe(1000);
    const second = await readUntilError(await dl(plain.id));
    expect(second.error).toBeNull();
    expect(second.received).toBe(12 * 1024);
  });

  it('a stalled body stops after N bytes and keeps the connection open', async () => {
    c.sim.setFaults({ stalls: [{ file: '/Common documents/Locked.docx', afterBytes: 4096, times: 1 }] });
    const controller = new AbortController();
    const res = await c.req('api', `/2/drive/${DRIVE}/files/${plain.id}/download`);
    let received = 0;
    const reader = res.body!.getReader();
    const timer = setTimeout(() => controller.abort(), 400);
    controller.signal.addEventListener('abort', () => void reader.cancel());
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    clearTimeout(timer);
    expect(controller.signal.aborted).toBe(true);
    expect(received).toBe(4096);
  });
});

describe('latency and hanging routes', () => {
  it('adds fixed latency, with per-route overrides', async () => {
    c.sim.setLatency({ fixedMs: 120, jitterMs: 0, routes: { 'GET /1/accounts': { fixedMs: 0, jitterMs: 0 } } });
    let t = performance.now();
    await (await c.req('api', '/2/drive?account_id=3001')).arrayBuffer();
    expect(performance.now() - t).toBeGreaterThanOrEqual(110);
    t = performance.now();
    await (await c.req('api', '/1/accounts')).arrayBuffer();
    expect(performance.now() - t).toBeLessThan(100);
  });

  it('a hanging route never answers', async () => {
    c.sim.setFaults({ hangRoutes: ['GET /1/accounts'] });
    const outcome = await Promise.race([
      c.req('api', '/1/accounts').then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('timeout'), 300)),
    ]);
    expect(outcome).toBe('timeout');
  });
});
