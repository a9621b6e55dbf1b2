/**
 * The client's choice of reader for a download: the download thread (direct-get.ts) for a large
 * body written into a file on a direct https connection, when its answer is an identity-encoded
 * 200/206 with a Content-Length; undici otherwise. A response of the thread is handled as one of
 * undici (redirects, errors, stalls), and its body is written into the file by the thread (sink).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectWorker } from './direct-wire';
import { DIRECT_MIN_BYTES } from './download';
import { InfomaniakError } from './errors';
import type { DownloadResponse } from './types';
import { collect, TEST_TOKEN, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, makeTlsClient, failure, texts } = harness;
let api: TestServer, tlsApi: TestServer, storage: TestServer;
beforeAll(() => {
  ({ api, tlsApi, storage } = harness.servers);
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const content = randomBytes(DIRECT_MIN_BYTES + 4321);
/** A download of `content` into a file: what the part writer asks for. */
const large = { toFile: true, expectedBytes: content.length };

function serveContent(server: TestServer): void {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-length': content.length, etag: '"e1"' });
    res.end(content);
  });
}

/** A file in `dir` the response's body is sunk into; fails when the response offers no sink. */
async function sinkInto(path: string, download: DownloadResponse, onProgress: (n: number) => void = () => {}) {
  const handle = await open(path, 'w');
  try {
    const sunk = download.sink?.(handle.fd, 0, onProgress);
    if (!sunk) throw new Error('no sink');
    return await sunk;
  } finally {
    await handle.close();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-sink-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('which reader', () => {
  it('a large body written to a file, on a direct https connection, goes to the download thread', async () => {
    serveContent(tlsApi);
    const download = await makeTlsClient().download('api', '/dl', large);
    expect(download).toMatchObject({ status: 200, totalSize: content.length, etag: '"e1"' });
    const path = join(dir, 'thread.bin');
    expect(await sinkInto(path, download)).toBe(content.length);
    expect(sha(await readFile(path))).toBe(sha(content));
    expect(tlsApi.requests[0]?.headers).toMatchObject({
      connection: 'close',
      authorization: `Bearer ${TEST_TOKEN}`,
      'accept-encoding': 'identity',
    });
  });

  it('an unknown size, a body read here (no toFile), and plain http go to undici', async () => {
    serveContent(tlsApi);
    serveContent(api);
    const client = makeTlsClient();
    for (const options of [{ toFile: true }, { expectedBytes: content.length }]) {
      const download = await client.download('api', '/dl', options);
      expect(download.sink).toBeUndefined();
      expect(sha(await collect(download.body))).toBe(sha(content));
    }
    expect(tlsApi.requests.map((r) => r.headers['connection'])).not.toContain('close');
    const plain = await makeClient().download('api', '/dl', large);
    expect(plain.sink).toBeUndefined();
    expect(sha(await collect(plain.body))).toBe(sha(content));
  });

  it('follows a redirect to another origin without the token, on the download thread', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(302, { location: `${storage.origin}/blob/7` });
      res.end();
    });
    serveContent(storage);
    const download = await makeTlsClient().download('api', '/dl', large);
    const path = join(dir, 'redirected.bin');
    await sinkInto(path, download);
    expect(sha(await readFile(path))).toBe(sha(content));
    expect(storage.requests[0]?.headers['authorization']).toBeUndefined();
    expect(storage.requests[0]?.headers['connection']).toBe('close');
  });

  it('resumes with Range and If-Range, and writes the 206', async () => {
    tlsApi.handle((req, res) => {
      const start = Number(/^bytes=(\d+)-$/.exec(String(req.headers['range']))?.[1] ?? 0);
      res.writeHead(206, {
        'content-range': `bytes ${start}-${content.length - 1}/${content.length}`,
        'content-length': content.length - start,
        etag: '"e1"',
      });
      res.end(content.subarray(start));
    });
    const options = { ...large, start: 1000, ifRange: '"e1"', expectedBytes: content.length - 1000 };
    const download = await makeTlsClient().download('api', '/dl', options);
    expect(download).toMatchObject({ status: 206, offset: 1000, totalSize: content.length });
    expect(tlsApi.requests[0]?.headers).toMatchObject({ range: 'bytes=1000-', 'if-range': '"e1"' });
    const path = join(dir, 'resumed.bin');
    await sinkInto(path, download);
    expect(sha(await readFile(path))).toBe(sha(content.subarray(1000)));
  });

  it('an error answer is a typed error with its description: read on the thread, or from undici when chunked', async () => {
    const answer = JSON.stringify({
      result: 'error',
      error: { code: 'drive_is_in_maintenance_error', description: 'The drive is in maintenance' },
    });
    for (const chunked of [false, true]) {
      tlsApi.requests.length = 0;
      tlsApi.handle((_req, res) => {
        res.writeHead(503, {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': answer.length }),
        });
        res.end(answer);
      });
      const error = await failure(makeTlsClient().download('api', '/dl', large));
      expect(error).toMatchObject({ kind: 'http', status: 503, apiCode: 'drive_is_in_maintenance_error' });
      expect(error.description).toContain('The drive is in maintenance');
      expect(error.toAppError().code).toBe('maintenance');
      expect(tlsApi.requests.map((r) => r.headers['connection'])).toEqual(
        chunked ? ['close', 'keep-alive'] : ['close'],
      );
    }
  });

  it('a 200 the thread cannot write (encoded, chunked) is asked again from undici, and so is its origin later', async () => {
    tlsApi.handle((req, res) => {
      if (req.url === '/gzip') {
        const zipped = gzipSync(content);
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': zipped.length });
        res.end(zipped);
      } else {
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        res.end(content);
      }
    });
    for (const path of ['/gzip', '/chunked']) {
      const client = makeTlsClient();
      tlsApi.requests.length = 0;
      const first = await client.download('api', path, large);
      expect(first.sink).toBeUndefined();
      expect(sha(await collect(first.body))).toBe(sha(content));
      expect(tlsApi.requests.map((r) => r.headers['connection'])).toEqual(['close', 'keep-alive']);
      const again = await client.download('api', path, large);
      expect(again.sink).toBeUndefined();
      expect(sha(await collect(again.body))).toBe(sha(content));
      expect(tlsApi.requests).toHaveLength(3);
    }
    expect(texts.some((line) => /asked again from undici/.test(line))).toBe(true);
  });

  it('trailer lines do not keep a download alive: only body bytes re-arm the stall watchdog', async () => {
    let trailers = 0;
    tlsApi.handle((req) => {
      const socket = req.socket;
      // Written by hand: 1000 bytes of body, the last chunk, then a trailer line every 20 ms and
      // never the blank line that ends them.
      socket.write(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-t\r\n\r\n3e8\r\n`);
      socket.write(Buffer.concat([content.subarray(0, 1000), Buffer.from('\r\n0\r\n')]));
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        trailers++;
        socket.write(`x-t${trailers}: ${'t'.repeat(50)}\r\n`);
      }, 20);
    });
    const download = await makeTlsClient({ stallMs: 300 }).download('api', '/dl', large);
    const started = Date.now();
    expect(await failure(collect(download.body))).toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(trailers).toBeGreaterThan(5);
  });
});

describe('download sink (the thread writes the body into the file)', () => {
  it('writes a large direct https body into the file, with running totals', async () => {
    serveContent(tlsApi);
    const download = await makeTlsClient().download('api', '/dl', large);
    const totals: number[] = [];
    const path = join(dir, 'whole.bin');
    expect(await sinkInto(path, download, (n) => totals.push(n))).toBe(content.length);
    expect(sha(await readFile(path))).toBe(sha(content));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
  });

  it('a stall is a timeout and a dropped connection a network error; what came is in the file', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 1000));
    });
    const stalled = await makeTlsClient({ stallMs: 150 }).download('api', '/dl', large);
    expect(await failure(sinkInto(join(dir, 'stalled.bin'), stalled))).toMatchObject({ kind: 'timeout' });
    expect(await readFile(join(dir, 'stalled.bin'))).toEqual(content.subarray(0, 1000));

    tlsApi.handle((req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 5000), () => req.socket.destroy());
    });
    const dropped = await makeTlsClient().download('api', '/dl', large);
    expect(await failure(sinkInto(join(dir, 'dropped.bin'), dropped))).toMatchObject({ kind: 'network' });
    expect(await readFile(join(dir, 'dropped.bin'))).toEqual(content.subarray(0, 5000));
  });

  it('a full disk fails with the file error (ENOSPC), not as a network error', async () => {
    serveContent(tlsApi);
    const download = await makeTlsClient().download('api', '/dl', large);
    const full = await open('/dev/full', 'r+');
    try {
      const error = await download.sink?.(full.fd, 0, () => {})?.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(InfomaniakError);
      expect(error).toMatchObject({ code: 'ENOSPC' });
    } finally {
      await full.close();
    }
  });

  it('a worker that neither starts nor fails is given up on after its start timeout', async () => {
    const silent = join(dir, 'silent-worker.mjs');
    await writeFile(silent, 'setInterval(() => {}, 1000);\n');
    const worker = new DirectWorker(pathToFileURL(silent), 200);
    const started = Date.now();
    expect(await worker.ready()).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await worker.ready()).toBe(false);
    await worker.close();
  });

  it('when the thread cannot start, the download goes to undici and the body is read', async () => {
    const missing = new DirectWorker(new URL('./no-such-worker.mjs', import.meta.url));
    expect(await missing.ready()).toBe(false);
    serveContent(tlsApi);
    const download = await makeTlsClient({ downloadWorker: missing }).download('api', '/dl', large);
    expect(download.sink).toBeUndefined();
    expect(sha(await collect(download.body))).toBe(sha(content));
    expect(tlsApi.requests.map((r) => r.headers['connection'])).toEqual(['keep-alive']);
    expect(await missing.ready()).toBe(false);
  });
});
