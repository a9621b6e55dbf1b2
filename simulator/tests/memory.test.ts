/**
 * Performance guards: a generated 1 GiB file is streamed without being held in memory.
 * (Server and client share this process, so the growth bound covers both.)
 * Issue 20.8: the client reads the first 384 MiB, well over twice the bound, and stops. A server that
 * built the file in memory, or wrote it out without waiting for the socket to drain, would hold
 * far more than the bound by then; the throughput of the whole GiB is the bench's (`download`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, open } from './test-support';
import type { Client } from './test-support';

let c: Client;
/** What the client reads of the 1 GiB: more than twice the growth bound (150 MB). */
const READ = 384 * 1024 ** 2;
beforeAll(async () => {
  c = await open('scale', 'scale-token');
});
afterAll(() => c.close());

describe('memory', () => {
  it('serves /Common documents/Bench/big-1GiB.bin with flat memory', { timeout: 60_000 }, async () => {
    const f = await byPath(c, 9001, '/Common documents/Bench/big-1GiB.bin');
    expect(f.size).toBe(1024 ** 3);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const t0 = performance.now();
    const res = await c.req('api', `/2/drive/9001/files/${f.id}/download`);
    expect(res.headers.get('content-length')).toBe(String(1024 ** 3));
    let received = 0;
    for await (const chunk of res.body!) {
      received += (chunk as Uint8Array).length;
      if (received >= READ) break; // cancels the body: the server stops at the next write
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(received).toBeGreaterThanOrEqual(READ);
    const growthMb = (peak - before) / 1024 ** 2;
    console.info(
      `[figures] ${(received / 1024 ** 2).toFixed(0)} MiB of 1 GiB in ${seconds.toFixed(1)} s (client and server in one process); ` +
        `RSS ${(before / 1024 ** 2).toFixed(0)} → peak ${(peak / 1024 ** 2).toFixed(0)} MB (+${growthMb.toFixed(0)} MB)`,
    );
    expect(growthMb).toBeLessThan(150);
  });
});
