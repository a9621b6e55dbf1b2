/**
 * The writer against the real Infomaniak client and a local HTTP server: Range / If-Range headers,
 * a socket destroyed mid-body, and a changed ETag, over a real connection; and a large file over
 * https, read by the direct reader with its buffers handed back by the part writer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createInfomaniakClient } from '../infomaniak/client';
import type { InfomaniakClient } from '../infomaniak/client';
import { DirectWorker } from '../infomaniak/direct-wire';
import { DIRECT_MIN_BYTES } from '../infomaniak/download';
import { makeTestPki, startServer } from '../infomaniak/test-support';
import type { TestServer } from '../infomaniak/test-support';
import { writeItem } from '../localfs/file-writer';
import { inside } from '../localfs/paths';
import type { DownloadItem } from '../localfs/types';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

let server: TestServer;
let client: InfomaniakClient;
let dir: string;

/** A client whose API is `origin`, with fast retries; `ca` trusts a test CA. */
function clientFor(origin: string, ca?: string, downloadWorker?: DirectWorker): InfomaniakClient {
  return createInfomaniakClient({
    token: 'test-token-not-real-0123456789',
    endpoints: {
      api: origin,
      calendar: 'https://calendar.example.test',
      contacts: 'https://contacts.example.test',
      mail: 'https://mail.example.test',
    },
    ...(ca ? { ca: [ca] } : {}),
    ...(downloadWorker ? { downloadWorker } : {}),
    retry: { backoffMs: 5, defaultWaitMs: 10 },
    stallMs: 2000,
  });
}

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server.origin);
});
afterAll(async () => {
  await client.close();
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-dl-'));
  server.reset();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Serves `data` with Range / If-Range; `cutAt` destroys the socket once that absolute offset is sent. */
function serve(state: { data: Buffer; etag: string; cutAt: number[]; sent: number }) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const partial = match !== null && (ifRange === undefined || ifRange === state.etag);
    const start = partial ? Number(match[1]) : 0;
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/octet-stream',
      etag: state.etag,
      'content-length': state.data.length - start,
    };
    if (partial) headers['content-range'] = `bytes ${start}-${state.data.length - 1}/${state.data.length}`;
    res.writeHead(partial ? 206 : 200, headers);
    const cut = state.cutAt.find((c) => c > start);
    if (cut !== undefined) {
      state.cutAt = state.cutAt.filter((c) => c !== cut);
      const piece = state.data.subarray(start, cut);
      state.sent += piece.length;
      res.write(piece, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    state.sent += state.data.length - start;
    res.end(state.data.subarray(start));
  };
}

function item(size: number | null): DownloadItem {
  return { segments: ['f.bin'], size, fetch: (request) => client.download('api', '/dl', request) };
}

it('resumes a real dropped connection with Range and If-Range, fetching nothing twice', async () => {
  const state = { data: randomBytes(2_000_000), etag: '"abc"', cutAt: [1_200_000], sent: 0 };
  server.handle(serve(state));
  const result = await writeItem(item(state.data.length), inside(dir, 'f.bin'), { retryDelayMs: () => 1 });
  expect(result.resumes).toBe(1);
  expect(sha256(await readFile(join(dir, 'f.bin')))).toBe(sha256(state.data));
  expect(server.requests.map((r) => [r.headers.range, r.headers['if-range']])).toEqual([
    [undefined, undefined],
    ['bytes=1200000-', '"abc"'],
  ]);
  expect(state.sent - state.data.length).toBe(0);
  expect(await readdir(dir)).toEqual(['f.bin']);
});

it('restarts from 0 when the ETag changed between attempts (If-Range → 200)', async () => {
  const state = { data: randomBytes(500_000), etag: '"one"', cutAt: [300_000], sent: 0 };
  server.handle(serve(state));
  await expect(writeItem(item(null), inside(dir, 'f.bin'), { maxAttempts: 1 })).rejects.toMatchObject({
    code: 'network',
  });
  state.data = randomBytes(400_000);
  state.etag = '"two"';
  await writeItem(item(null), inside(dir, 'f.bin'));
  expect(server.requests.at(-1)?.headers).toMatchObject({ range: 'bytes=300000-', 'if-range': '"one"' });
  expect(sha256(await readFile(join(dir, 'f.bin')))).toBe(sha256(state.data));
});

/**
 * A large file over https with the connection dropped mid-body: resumed with Range and If-Range from
 * what is in the part. With the worker running, the worker writes the body into the part (sink);
 * without it (its script missing), the direct reader runs on this thread and its buffers come back.
 */
it.each([
  { reader: 'the worker (sink)', worker: undefined },
  {
    reader: 'this thread (no worker)',
    worker: () => new DirectWorker(new URL('./no-such-worker.mjs', import.meta.url)),
  },
])('a large file over https on $reader: a dropped connection resumed', async ({ worker }) => {
  const pki = await makeTestPki();
  const tls = await startServer({ pki });
  const tlsClient = clientFor(tls.origin, pki.caPem, worker?.());
  try {
    const size = 3 * DIRECT_MIN_BYTES;
    const state = { data: randomBytes(size), etag: '"big"', cutAt: [DIRECT_MIN_BYTES + 12345], sent: 0 };
    tls.handle(serve(state));
    let handedBack = 0;
    let sunk = 0;
    const big: DownloadItem = {
      segments: ['big.bin'],
      size,
      fetch: async (request) => {
        const response = await tlsClient.download('api', '/dl', request);
        const recycle = response.recycle?.bind(response);
        const sink = response.sink?.bind(response);
        return {
          ...response,
          ...(recycle ? { recycle: (chunk: Uint8Array) => (handedBack++, recycle(chunk)) } : {}),
          ...(sink
            ? {
                sink: (fd: number, position: number, onProgress: (written: number) => void) => {
                  const started = sink(fd, position, onProgress);
                  if (started) sunk++;
                  return started;
                },
              }
            : {}),
        };
      },
    };
    const result = await writeItem(big, inside(dir, 'big.bin'), { retryDelayMs: () => 1 });
    expect(result.resumes).toBe(1);
    expect(sha256(await readFile(join(dir, 'big.bin')))).toBe(sha256(state.data));
    expect(tls.requests.map((r) => [r.headers.range, r.headers['if-range'], r.headers.connection])).toEqual([
      [undefined, undefined, 'close'],
      [`bytes=${DIRECT_MIN_BYTES + 12345}-`, '"big"', 'close'],
    ]);
    expect(state.sent - size).toBe(0);
    if (worker) {
      expect(sunk).toBe(0);
      expect(handedBack).toBeGreaterThan(0);
    } else {
      expect(sunk).toBe(2);
      expect(handedBack).toBe(0);
    }
  } finally {
    await tlsClient.close();
    await tls.close();
  }
});
