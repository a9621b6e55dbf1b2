/**
 * Performance guards: a generated 1 GiB file is streamed without being held in memory.
 * (Server and client share this process, so the growth bound covers both.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, open } from './test-support';
import type { Client } from './test-support';

let c: Client;
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
    for await (const chunk of res.body!) received += (chunk as Uint8Array).length;
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(received).toBe(1024 ** 3);
    const growthMb = (peak - before) / 1024 ** 2;
    console.info(
      `[figures] 1 GiB in ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s, client and server in one process); ` +
        `RSS ${(before / 1024 ** 2).toFixed(0)} → peak ${(peak / 1024 ** 2).toFixed(0)} MB (+${growthMb.toFixed(0)} MB)`,
    );
    expect(growthMb).toBeLessThan(150);
  });
});
