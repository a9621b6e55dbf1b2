import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSecureContext, createServer, rootCertificates, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectBody } from './direct-get';
import { directGet } from './direct-get';
import { DirectWorker, SinkError, socketWire } from './direct-wire';
import { isCertificateCode, networkCode } from './network-errors';
import { makeTestPki } from './test-support';

const MiB = 1024 * 1024;
/** What the scripted server does with one connection, given the request head it read. */
type Script = (socket: TLSSocket, request: string) => void;
let script: Script = (socket) => socket.end();
let server: Server;
let origin: string;
let trusted: ReturnType<typeof createSecureContext>;
const closed: TLSSocket[] = [];
let worker: DirectWorker;
let ca: string[];

beforeAll(async () => {
  const pki = await makeTestPki();
  trusted = createSecureContext({ ca: [...rootCertificates, pki.caPem] });
  worker = new DirectWorker();
  ca = [pki.caPem];
  expect(await worker.ready()).toBe(true);
  server = createServer({ cert: pki.certPem, key: pki.keyPem }, (socket) => {
    let request = '';
    socket.on('error', () => undefined);
    socket.on('close', () => closed.push(socket));
    const onData = (data: Buffer) => {
      request += data.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      script(socket, request);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await worker.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

type WireKind = 'thread' | 'worker';
interface GetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  trust?: boolean;
}

function getOn(kind: WireKind, path: string, options: GetOptions = {}) {
  const trust = options.trust !== false;
  return directGet({
    url: new URL(path, origin),
    headers: options.headers ?? {},
    signal: options.signal ?? new AbortController().signal,
    connect:
      kind === 'worker'
        ? (request, events) => worker.open(request, events, trust ? ca : [])
        : (request, events) => socketWire(request, trust ? trusted : undefined, events),
  });
}

/** Reads a body to its end; `recycle` hands each chunk back. Returns the bytes and the slabs seen. */
async function readAll(body: DirectBody, recycle: boolean) {
  const parts: Buffer[] = [];
  const slabs = new Set<ArrayBufferLike>();
  for (;;) {
    if (body.failure) throw body.failure;
    const chunk = body.read();
    if (chunk !== null) {
      parts.push(Buffer.from(chunk));
      slabs.add(chunk.buffer);
      if (recycle) body.recycle(chunk);
      continue;
    }
    if (body.ended) break;
    if (body.closed) throw new Error('closed before the end');
    await new Promise<void>((resolve) => body.watch(resolve));
  }
  body.unwatch();
  return { bytes: Buffer.concat(parts), slabs };
}

/** Writes `bytes` in pieces of `size`, giving the event loop a turn now and then. */
function writeInPieces(socket: TLSSocket, bytes: Buffer, size: number, end = true): void {
  let at = 0;
  const next = () => {
    while (at < bytes.length) {
      const ok = socket.write(bytes.subarray(at, at + size));
      at += size;
      if (!ok) return void socket.once('drain', next);
    }
    if (end) socket.end();
  };
  next();
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each<WireKind>(['thread', 'worker'])('directGet, connection on the %s', (kind) => {
  const get = (path: string, options: GetOptions = {}) => getOn(kind, path, options);

  it('sends the GET with its headers and connection: close, and reads a Content-Length body whole', async () => {
    const content = randomBytes(5 * MiB + 12345);
    let seen = '';
    script = (socket, request) => {
      seen = request;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\nETag: "v1"\r\n\r\n`);
      writeInPieces(socket, content, 7777);
    };
    const response = await get('/dl/1?x=y', { headers: { authorization: 'Bearer t', range: 'bytes=0-' } });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ etag: '"v1"', 'content-length': String(content.length) });
    expect(sha((await readAll(response.body, true)).bytes)).toBe(sha(content));
    const lines = seen.split('\r\n');
    expect(lines[0]).toBe('GET /dl/1?x=y HTTP/1.1');
    expect(lines).toEqual(expect.arrayContaining(['authorization: Bearer t', 'range: bytes=0-', 'connection: close']));
  });

  it('reuses its slabs when chunks are handed back, and leaves them to the collector when not', async () => {
    const content = randomBytes(16 * MiB);
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\n\r\n`);
      writeInPieces(socket, content, 64 * 1024);
    };
    const recycled = await readAll((await get('/a')).body, true);
    const kept = await readAll((await get('/b')).body, false);
    expect(sha(recycled.bytes)).toBe(sha(content));
    expect(sha(kept.bytes)).toBe(sha(content));
    // 16 MiB in 1 MiB slabs: every slab is new when none comes back. When they do come back, no
    // more are in use at once than the unread limit (4 MiB) spans, plus the one being filled.
    expect(kept.slabs.size).toBeGreaterThanOrEqual(16);
    expect(recycled.slabs.size).toBeLessThanOrEqual(7);
  });

  it('undoes a chunked body, skips 103 Early Hints, and reads a body that ends at the close', async () => {
    script = (socket) => {
      socket.write(
        'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      writeInPieces(
        socket,
        Buffer.from('4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nT: 1\r\n\r\n'),
        3,
        false,
      );
    };
    const chunked = await get('/chunked');
    expect(chunked.status).toBe(200);
    expect((await readAll(chunked.body, true)).bytes.toString()).toBe('Wikipedia in \r\n\r\nchunks.');

    script = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nuntil the ');
      setTimeout(() => socket.end('close'), 20);
    };
    expect((await readAll((await get('/close')).body, true)).bytes.toString()).toBe('until the close');
  });

  it('has no body for a 204 or a zero Content-Length', async () => {
    script = (socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    const empty = await get('/204');
    expect(empty.status).toBe(204);
    expect((await readAll(empty.body, true)).bytes.length).toBe(0);
    script = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect((await readAll((await get('/zero')).body, true)).bytes.length).toBe(0);
  });

  it('a connection closed before the end of a Content-Length body is a premature close', async () => {
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part');
    const error = await readAll((await get('/short')).body, true).catch((e: unknown) => e);
    expect(networkCode(error)).toBe('ERR_STREAM_PREMATURE_CLOSE');
  });

  it('refuses a head over 64 KiB, a malformed head, and a connection closed before the head', async () => {
    script = (socket) => socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    expect(networkCode(await get('/big').catch((e: unknown) => e))).toBe('HPE_HEADER_OVERFLOW');
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n');
    expect(networkCode(await get('/bad').catch((e: unknown) => e))).toBe('HPE_INVALID_HEADER_TOKEN');
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\n');
    expect(networkCode(await get('/cut').catch((e: unknown) => e))).toBe('ERR_STREAM_PREMATURE_CLOSE');
  });

  it('refuses a certificate it does not trust', async () => {
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const error = await get('/untrusted', { trust: false }).catch((e: unknown) => e);
    expect(isCertificateCode(networkCode(error))).toBe(true);
  });

  it('stops reading while 4 MiB wait unread, and delivers everything once read', async () => {
    const content = randomBytes(24 * MiB);
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\n\r\n`);
      writeInPieces(socket, content, 256 * 1024);
    };
    const { body } = await get('/slow-reader');
    // The first read starts the body flowing (the worker's connection holds it until then).
    const first = Buffer.from(body.read() ?? new Uint8Array(0));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(body.buffered).toBeGreaterThanOrEqual(4 * MiB);
    // The worker stops within its window (2 MiB) of unacknowledged bytes, plus one batch (1 MiB).
    expect(body.buffered).toBeLessThan((kind === 'worker' ? 8 : 6) * MiB);
    expect(sha(Buffer.concat([first, (await readAll(body, true)).bytes]))).toBe(sha(content));
  });

  it('an abort during the body fails it with the reason and closes the connection', async () => {
    script = (socket) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${10 * MiB}\r\n\r\n${'x'.repeat(1000)}`);
    const controller = new AbortController();
    const { body } = await get('/abort', { signal: controller.signal });
    const before = closed.length;
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await readAll(body, true).catch((e: unknown) => e)).toBe(reason);
    await expect.poll(() => closed.length).toBeGreaterThan(before);
  });

  it('an abort before the head rejects with the reason', async () => {
    script = () => undefined;
    const controller = new AbortController();
    const pending = get('/never', { signal: controller.signal });
    const reason = new Error('gave up');
    setTimeout(() => controller.abort(reason), 20);
    expect(await pending.catch((e: unknown) => e)).toBe(reason);
  });
});

describe('directGet on the worker: sink', () => {
  const get = (path: string, options: GetOptions = {}) => getOn('worker', path, options);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sink-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A file holding `before`, open for writing after it. */
  async function target(name: string, before = Buffer.alloc(0)) {
    const path = join(dir, name);
    await writeFile(path, before);
    return { path, handle: await open(path, 'r+') };
  }

  it('writes the body into the file after what is there, bytes that came with the head first', async () => {
    const content = randomBytes(9 * MiB + 777);
    script = (socket) => {
      // The head and the first body bytes in one write: they reach main before the sink starts.
      socket.write(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\n\r\n`),
          content.subarray(0, 5000),
        ]),
      );
      setTimeout(() => writeInPieces(socket, content.subarray(5000), 64 * 1024, false), 150);
    };
    const before = Buffer.from('kept part ');
    const { path, handle } = await target('length.bin', before);
    try {
      const { body } = await get('/sink');
      const totals: number[] = [];
      const written = await body.sink(handle.fd, before.length, (n) => totals.push(n));
      expect(written).toBe(content.length);
      expect(totals.length).toBeGreaterThan(0);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(totals.every((n) => n <= content.length)).toBe(true);
      expect(body.ended).toBe(true);
    } finally {
      await handle.close();
    }
    expect(sha(await readFile(path))).toBe(sha(Buffer.concat([before, content])));
  });

  it('writes a body that ends at the close, and cannot sink a chunked body or one being read', async () => {
    script = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nuntil the ');
      setTimeout(() => socket.end('close'), 20);
    };
    const { path, handle } = await target('close.bin');
    try {
      expect(await (await get('/close')).body.sink(handle.fd, 0, () => undefined)).toBe(15);
    } finally {
      await handle.close();
    }
    expect(await readFile(path, 'utf8')).toBe('until the close');

    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n');
    const chunked = await get('/chunked');
    expect(chunked.body.sink(1, 0, () => undefined)).toBeNull();
    expect((await readAll(chunked.body, true)).bytes.toString()).toBe('Wiki');

    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nread');
    const reading = await get('/reading');
    reading.body.read();
    expect(reading.body.sink(1, 0, () => undefined)).toBeNull();

    const onThread = await getOn('thread', '/reading');
    expect(onThread.body.sink(1, 0, () => undefined)).toBeNull();
    onThread.body.destroy();
  });

  it('a connection closed mid-body fails the sink as a premature close; what came is in the file', async () => {
    const part = randomBytes(3 * MiB);
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${10 * MiB}\r\n\r\n`);
      writeInPieces(socket, part, 64 * 1024);
    };
    const { path, handle } = await target('short.bin');
    let error: unknown;
    try {
      const { body } = await get('/short');
      error = await body.sink(handle.fd, 0, () => undefined)?.catch((e: unknown) => e);
    } finally {
      await handle.close();
    }
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ kind: 'network', code: 'ERR_STREAM_PREMATURE_CLOSE', written: part.length });
    expect(sha(await readFile(path))).toBe(sha(part));
  });

  it('a failed write fails the sink with the file error', async () => {
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${MiB}\r\n\r\n`);
      writeInPieces(socket, randomBytes(MiB), 64 * 1024);
    };
    const full = await open('/dev/full', 'r+');
    try {
      const { body } = await get('/full');
      const error = await body.sink(full.fd, 0, () => undefined)?.catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'write', code: 'ENOSPC', written: 0 });
    } finally {
      await full.close();
    }
  });

  it('an abort settles the sink only after the worker stopped writing', async () => {
    const content = randomBytes(64 * MiB);
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\n\r\n`);
      // 256 KiB every 5 ms: still sending when the first progress report comes (after 100 ms).
      let at = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || at >= content.length) return clearInterval(timer);
        socket.write(content.subarray(at, (at += 256 * 1024)));
      }, 5);
    };
    const controller = new AbortController();
    const { path, handle } = await target('abort.bin');
    let error: unknown;
    let reported = 0;
    try {
      const { body } = await get('/abort-sink', { signal: controller.signal });
      const sunk = body.sink(handle.fd, 0, (n) => {
        reported = n;
        controller.abort(new Error('stop'));
      });
      error = await sunk?.catch((e: unknown) => e);
    } finally {
      await handle.close();
    }
    expect(error).toEqual(new Error('stop'));
    // Settled means no write is still to come: the file does not grow afterwards.
    const size = (await stat(path)).size;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await stat(path)).size).toBe(size);
    expect(size).toBeGreaterThanOrEqual(reported);
    expect(size).toBeLessThan(content.length);
    expect(sha(await readFile(path))).toBe(sha(content.subarray(0, size)));
  });
});
