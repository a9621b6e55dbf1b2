import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { collect, ok, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, failure } = harness;
let api: TestServer;
beforeAll(() => {
  ({ api } = harness.servers);
});

describe('stalls and deadlines', () => {
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
    const error = await failure(makeClient({ stallMs: 5_000, bodyDeadlineMs: 400 }).get('api', '/trickle'));
    expect(error.kind).toBe('timeout');
    expect(error.toAppError().code).toBe('timeout');
    expect(error.description).toMatch(/did not finish within/);
    // The deadline (400 ms) ended it: not the stall timer (5 s), not the trickle's end (20 s). The
    // bound leaves room for a loaded machine (it measured over 1.5 s with three test files at once).
    expect(Date.now() - started).toBeLessThan(4000);

    const probeError = await failure(makeClient({ stallMs: 5_000, bodyDeadlineMs: 400 }).probe('api', '/trickle'));
    expect(probeError.kind).toBe('timeout');
  });

  it('the deadline is said as the deadline even when its timer fires before Date.now() reaches it', async () => {
    // Timers run on the event loop's clock, which lags under load, so a wait bounded by the
    // deadline can end while Date.now() is still short of it: that read as "no data for 5 s"
    // (a clean-clone CI run). Here Date.now() runs at half speed, so it always is.
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20);
      res.on('close', () => clearInterval(timer));
    });
    const realNow = Date.now.bind(Date);
    const start = realNow();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => start + (realNow() - start) / 2);
    try {
      const error = await failure(makeClient({ stallMs: 5_000, bodyDeadlineMs: 400 }).get('api', '/trickle'));
      expect(error.kind).toBe('timeout');
      expect(error.description).toMatch(/did not finish within/);
    } finally {
      now.mockRestore();
    }
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
    // The stream stops reading at its 1 MiB high-water mark; what the parser already had in hand
    // still comes (1 MiB + 156 KiB was seen on a loaded machine).
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024 + 256 * 1024);
    expect(sizes.length).toBeLessThan(data.length / (16 * 1024));
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
