/**
 * The writer against the real Infomaniak client and a local HTTP server: Range / If-Range headers,
 * a socket destroyed mid-body, and a changed ETag, over a real connection; a large file over https,
 * written by the download thread (or by undici when the thread cannot start); and a body longer
 * than the listing announced, which never grows the part past the announced size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
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
import { partSize } from '../localfs/part-files';
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

/**
 * Resolves once the part of the download to `target` holds `bytes`: the server cuts a connection
 * only after the bytes sent before the cut are on disk. Cut earlier, a loaded machine may not have
 * read them yet, and a stream destroyed by the cut drops what it still buffers; the resume then
 * rightly starts at 0, and these tests are about the resume's headers, not about that timing.
 */
async function untilPartHolds(target: string, bytes: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (((await partSize(target)) ?? 0) >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the part of ${target} never held ${bytes} bytes`);
}

/**
 * Serves `data` with Range / If-Range; `cutAt` destroys the socket once that absolute offset is sent
 * and the part of the download to `target` holds it.
 */
function serve(state: { data: Buffer; etag: string; cutAt: number[]; sent: number; target: string }) {
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
      res.write(piece, () => {
        untilPartHolds(state.target, cut).then(
          () => res.socket?.destroy(),
          (error: unknown) => res.socket?.destroy(error as Error),
        );
      });
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
  const target = join(dir, 'f.bin');
  const state = { data: randomBytes(2_000_000), etag: '"abc"', cutAt: [1_200_000], sent: 0, target };
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
  const target = join(dir, 'f.bin');
  const state = { data: randomBytes(500_000), etag: '"one"', cutAt: [300_000], sent: 0, target };
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
 * what is in the part. With the thread running, it writes the body into the part (sink); without it
 * (its script missing), undici brings the body and the part writer writes it.
 */
it.each([
  { reader: 'the download thread (sink)', worker: undefined },
  {
    reader: 'undici (no thread)',
    worker: () => new DirectWorker(new URL('./no-such-worker.mjs', import.meta.url)),
  },
])('a large file over https through $reader: a dropped connection resumed', async ({ worker }) => {
  const pki = await makeTestPki();
  const tls = await startServer({ pki });
  const tlsClient = clientFor(tls.origin, pki.caPem, worker?.());
  try {
    const size = 3 * DIRECT_MIN_BYTES;
    const target = join(dir, 'big.bin');
    const state = { data: randomBytes(size), etag: '"big"', cutAt: [DIRECT_MIN_BYTES + 12345], sent: 0, target };
    tls.handle(serve(state));
    let sunk = 0;
    const big: DownloadItem = {
      segments: ['big.bin'],
      size,
      fetch: async (request) => {
        const response = await tlsClient.download('api', '/dl', request);
        const sink = response.sink?.bind(response);
        return {
          ...response,
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
    const connection = worker ? 'keep-alive' : 'close';
    expect(tls.requests.map((r) => [r.headers.range, r.headers['if-range'], r.headers.connection])).toEqual([
      [undefined, undefined, connection],
      [`bytes=${DIRECT_MIN_BYTES + 12345}-`, '"big"', connection],
    ]);
    expect(state.sent - size).toBe(0);
    expect(sunk).toBe(worker ? 0 : 2);
  } finally {
    await tlsClient.close();
    await tls.close();
  }
});

/**
 * The listing says 9 MiB; the server sends 512 MiB without a Content-Length (the body ends at the
 * close). Over https with the thread (asked again from undici: no Content-Length) and over plain
 * http: the part never grows past 9 MiB, and the download fails as `integrity`.
 */
it.each([{ over: 'https' }, { over: 'http' }])(
  'a body longer than the listing announced never grows the part past it ($over)',
  async ({ over }) => {
    const MiB = 1024 * 1024;
    const announced = 9 * MiB;
    const pki = over === 'https' ? await makeTestPki() : undefined;
    const origin = pki ? await startServer({ pki }) : server;
    const endless = pki ? clientFor(origin.origin, pki.caPem) : client;
    let sent = 0;
    origin.handle((req) => {
      const socket = req.socket;
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n');
      const piece = randomBytes(256 * 1024);
      const more = (): void => {
        while (sent < 512 * MiB && !socket.destroyed) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', more);
        }
        socket.end();
      };
      more();
    });
    const part = join(dir, 'nine.bin.part');
    let largest = 0;
    const watch = setInterval(() => {
      stat(part).then(
        (info) => (largest = Math.max(largest, info.size)),
        () => undefined,
      );
    }, 5);
    try {
      const nine: DownloadItem = {
        segments: ['nine.bin'],
        size: announced,
        fetch: (request) => endless.download('api', '/dl', request),
      };
      const error = await writeItem(nine, inside(dir, 'nine.bin'), { retryDelayMs: () => 1, maxAttempts: 2 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'integrity' });
      largest = Math.max(largest, (await stat(part).catch(() => ({ size: 0 }))).size);
      expect(largest).toBeLessThanOrEqual(announced);
      expect(sent).toBeLessThan(64 * MiB);
    } finally {
      clearInterval(watch);
      if (pki) {
        await endless.close();
        await origin.close();
      }
    }
  },
);
