/**
 * The client's choice of reader for a download: the direct reader (direct-get.ts) for a large
 * expected body on a direct https connection, undici otherwise; and that a response read by the
 * direct reader is handled as one read by undici (redirects, errors, encodings, stalls); and the
 * sink, where the direct reader's worker thread writes the body into a file.
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
import { collect, sendJson, TEST_TOKEN, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient, makeTlsClient, failure } = harness;
let api: TestServer, tlsApi: TestServer, storage: TestServer;
beforeAll(() => {
  ({ api, tlsApi, storage } = harness.servers);
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const large = { expectedBytes: DIRECT_MIN_BYTES };
const content = randomBytes(DIRECT_MIN_BYTES + 4321);

function serveContent(server: TestServer): void {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-length': content.length, etag: '"e1"' });
    res.end(content);
  });
}

describe('download reader', () => {
  it('a large expected body on a direct https connection is read by the direct reader', async () => {
    serveContent(tlsApi);
    const download = await makeTlsClient().download('api', '/dl', large);
    expect(download).toMatchObject({ status: 200, totalSize: content.length, etag: '"e1"' });
    expect(download.recycle).toBeTypeOf('function');
    expect(sha(await collect(download.body))).toBe(sha(content));
    expect(tlsApi.requests[0]?.headers).toMatchObject({
      connection: 'close',
      authorization: `Bearer ${TEST_TOKEN}`,
      'accept-encoding': 'identity',
    });
  });

  it('a small or unknown size, and plain http, stay on undici', async () => {
    serveContent(tlsApi);
    serveContent(api);
    const client = makeTlsClient();
    for (const options of [{}, { expectedBytes: DIRECT_MIN_BYTES - 1 }]) {
      const download = await client.download('api', '/dl', options);
      expect(download.recycle).toBeUndefined();
      expect(sha(await collect(download.body))).toBe(sha(content));
    }
    expect(tlsApi.requests.map((r) => r.headers['connection'])).not.toContain('close');
    const plain = await makeClient().download('api', '/dl', large);
    expect(plain.recycle).toBeUndefined();
    expect(sha(await collect(plain.body))).toBe(sha(content));
  });

  it('follows a redirect to another origin without the token, on the direct reader', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(302, { location: `${storage.origin}/blob/7` });
      res.end();
    });
    serveContent(storage);
    const download = await makeTlsClient().download('api', '/dl', large);
    expect(sha(await collect(download.body))).toBe(sha(content));
    expect(storage.requests[0]?.headers['authorization']).toBeUndefined();
    expect(storage.requests[0]?.headers['connection']).toBe('close');
  });

  it('resumes with Range and If-Range, and reads the 206', async () => {
    tlsApi.handle((req, res) => {
      const start = Number(/^bytes=(\d+)-$/.exec(String(req.headers['range']))?.[1] ?? 0);
      res.writeHead(206, {
        'content-range': `bytes ${start}-${content.length - 1}/${content.length}`,
        'content-length': content.length - start,
        etag: '"e1"',
      });
      res.end(content.subarray(start));
    });
    const download = await makeTlsClient().download('api', '/dl', { start: 1000, ifRange: '"e1"', ...large });
    expect(download).toMatchObject({ status: 206, offset: 1000, totalSize: content.length });
    expect(tlsApi.requests[0]?.headers).toMatchObject({ range: 'bytes=1000-', 'if-range': '"e1"' });
    expect(sha(await collect(download.body))).toBe(sha(content.subarray(1000)));
  });

  it('an error answer is a typed error with its description', async () => {
    tlsApi.handle((_req, res) =>
      sendJson(res, 403, { result: 'error', error: { code: 'forbidden', description: 'No access to this file' } }),
    );
    const error = await failure(makeTlsClient().download('api', '/dl', large));
    expect(error).toMatchObject({ kind: 'http', status: 403 });
    expect(error.description).toContain('No access to this file');
  });

  it('a body compressed although identity was asked for is decoded', async () => {
    tlsApi.handle((_req, res) => {
      const zipped = gzipSync(content);
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': zipped.length });
      res.end(zipped);
    });
    const download = await makeTlsClient().download('api', '/dl', large);
    expect(download.recycle).toBeUndefined();
    expect(sha(await collect(download.body))).toBe(sha(content));
  });

  it('a stalled body is a timeout', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 1000));
    });
    const download = await makeTlsClient({ stallMs: 150 }).download('api', '/dl', large);
    const error = await failure(collect(download.body));
    expect(error).toMatchObject({ kind: 'timeout' });
  });
});

describe('download sink (the worker writes the body into the file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-sink-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function sinkInto(name: string, download: DownloadResponse, onProgress: (n: number) => void = () => {}) {
    const path = join(dir, name);
    const handle = await open(path, 'w');
    try {
      const sunk = download.sink?.(handle.fd, 0, onProgress);
      if (!sunk) throw new Error('no sink');
      return { path, written: await sunk };
    } finally {
      await handle.close();
    }
  }

  it('writes a large direct https body into the file, with running totals', async () => {
    serveContent(tlsApi);
    const download = await makeTlsClient().download('api', '/dl', large);
    const totals: number[] = [];
    const { path, written } = await sinkInto('whole.bin', download, (n) => totals.push(n));
    expect(written).toBe(content.length);
    expect(sha(await readFile(path))).toBe(sha(content));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
  });

  it('a stall is a timeout and a dropped connection a network error; what came is in the file', async () => {
    tlsApi.handle((_req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 1000));
    });
    const stalled = await makeTlsClient({ stallMs: 150 }).download('api', '/dl', large);
    expect(await failure(sinkInto('stalled.bin', stalled))).toMatchObject({ kind: 'timeout' });
    expect(await readFile(join(dir, 'stalled.bin'))).toEqual(content.subarray(0, 1000));

    tlsApi.handle((req, res) => {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 5000), () => req.socket.destroy());
    });
    const dropped = await makeTlsClient().download('api', '/dl', large);
    expect(await failure(sinkInto('dropped.bin', dropped))).toMatchObject({ kind: 'network' });
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

  it('when the worker cannot start, the direct reader runs on this thread and the body is read', async () => {
    const missing = new DirectWorker(new URL('./no-such-worker.mjs', import.meta.url));
    expect(await missing.ready()).toBe(false);
    serveContent(tlsApi);
    const download = await makeTlsClient({ downloadWorker: missing }).download('api', '/dl', large);
    expect(download.recycle).toBeTypeOf('function');
    expect(download.sink?.(1, 0, () => {})).toBeNull();
    expect(sha(await collect(download.body))).toBe(sha(content));
    expect(await missing.ready()).toBe(false);
  });
});
