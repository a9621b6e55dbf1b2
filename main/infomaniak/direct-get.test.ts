import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectBody } from './direct-get';
import { directGet } from './direct-get';
import { DirectWorker, SinkError } from './direct-wire';
import { isCertificateCode, networkCode } from './network-errors';
import { makeTestPki } from './test-support';

const MiB = 1024 * 1024;
/** What the scripted server does with one connection, given the request head it read. */
type Script = (socket: TLSSocket, request: string) => void;
let script: Script = (socket) => socket.end();
let server: Server;
let origin: string;
const closed: TLSSocket[] = [];
let worker: DirectWorker;
let ca: string[];

beforeAll(async () => {
  const pki = await makeTestPki();
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

interface GetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  trust?: boolean;
}

function get(path: string, options: GetOptions = {}) {
  const trust = options.trust !== false;
  return directGet({
    url: new URL(path, origin),
    headers: options.headers ?? {},
    signal: options.signal ?? new AbortController().signal,
    connect: (request, events) => worker.open(request, events, trust ? ca : []),
  });
}

/** Reads a body to its end, batch by batch (as an error answer's body is read). */
async function readAll(body: DirectBody): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    if (body.failure) throw body.failure;
    const chunk = body.read();
    if (chunk !== null) {
      parts.push(Buffer.from(chunk));
      continue;
    }
    if (body.ended) break;
    if (body.closed) throw new Error('closed before the end');
    await new Promise<void>((resolve) => body.watch(resolve));
  }
  body.unwatch();
  return Buffer.concat(parts);
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
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => e,
  );

describe('directGet: the head, and an error answer read batch by batch', () => {
  it("skips 103 Early Hints and reads an error answer's Content-Length body", async () => {
    const text = JSON.stringify({ result: 'error', error: { code: 'object_not_found' } });
    let seen = '';
    script = (socket, request) => {
      seen = request;
      socket.write(`HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\n`);
      writeInPieces(socket, Buffer.from(`Content-Length: ${text.length}\r\n\r\n${text}`), 7, false);
    };
    const response = await get('/dl/1?x=y', { headers: { authorization: 'Bearer t', range: 'bytes=0-' } });
    expect(response.status).toBe(404);
    expect((await readAll(response.body)).toString()).toBe(text);
    const lines = seen.split('\r\n');
    expect(lines[0]).toBe('GET /dl/1?x=y HTTP/1.1');
    expect(lines).toEqual(expect.arrayContaining(['authorization: Bearer t', 'range: bytes=0-', 'connection: close']));
  });

  it('has no body for a 204 or a zero Content-Length, and reads an error body that ends at the close', async () => {
    script = (socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    const empty = await get('/204');
    expect(empty.status).toBe(204);
    expect((await readAll(empty.body)).length).toBe(0);
    script = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect((await readAll((await get('/zero')).body)).length).toBe(0);
    script = (socket) => {
      socket.write('HTTP/1.1 500 Oops\r\n\r\nuntil the ');
      setTimeout(() => socket.end('close'), 20);
    };
    expect((await readAll((await get('/close')).body)).toString()).toBe('until the close');
  });

  it('does not read a chunked body (undici does)', async () => {
    script = (socket) => socket.end('HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n');
    const chunked = await get('/chunked');
    expect(chunked.body.sink(1, 0, () => undefined)).toBeNull();
    expect(networkCode(await failureOf(readAll(chunked.body)))).toBe('HPE_CHUNKED_NOT_READ');
  });

  it('a connection closed before the end of a Content-Length body is a premature close', async () => {
    script = (socket) => socket.end('HTTP/1.1 500 Oops\r\nContent-Length: 100\r\n\r\nonly part');
    expect(networkCode(await failureOf(readAll((await get('/short')).body)))).toBe('ERR_STREAM_PREMATURE_CLOSE');
  });

  it('refuses a head over 16 KiB (as llhttp), a malformed head, and both framings at once', async () => {
    script = (socket) => socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(networkCode(await failureOf(get('/big')))).toBe('HPE_HEADER_OVERFLOW');
    script = (socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Endless: ${'a'.repeat(32 * 1024)}`);
    expect(networkCode(await failureOf(get('/endless')))).toBe('HPE_HEADER_OVERFLOW');
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n');
    expect(networkCode(await failureOf(get('/bad')))).toBe('HPE_INVALID_HEADER_TOKEN');
    script = (socket) =>
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n');
    expect(networkCode(await failureOf(get('/both')))).toBe('HPE_UNEXPECTED_CONTENT_LENGTH');
  });

  it('a head without its blank line before the close is a parse error, not a dropped connection', async () => {
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n');
    expect(networkCode(await failureOf(get('/cut')))).toBe('HPE_INVALID_EOF_STATE');
  });

  it('refuses a certificate it does not trust', async () => {
    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(isCertificateCode(networkCode(await failureOf(get('/untrusted', { trust: false }))))).toBe(true);
  });

  it('an abort before the head rejects with the reason', async () => {
    let asked = false;
    script = () => {
      asked = true;
    };
    const controller = new AbortController();
    const pending = get('/never', { signal: controller.signal });
    await expect.poll(() => asked).toBe(true);
    const reason = new Error('gave up');
    controller.abort(reason);
    expect(await failureOf(pending)).toBe(reason);
  });
});

describe('directGet: sink (the thread writes the body into the file)', () => {
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
      setTimeout(() => writeInPieces(socket, content.subarray(5000), 64 * 1024, false), 300);
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

  it('never writes past the Content-Length, also when the server sends more', async () => {
    const content = randomBytes(2 * MiB);
    script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\n\r\n`);
      writeInPieces(socket, Buffer.concat([content, randomBytes(3 * MiB)]), 64 * 1024);
    };
    const { path, handle } = await target('exact.bin');
    try {
      expect(await (await get('/more')).body.sink(handle.fd, 0, () => undefined)).toBe(content.length);
    } finally {
      await handle.close();
    }
    expect(sha(await readFile(path))).toBe(sha(content));
  });

  it('writes a body that came whole with the head (the thread keeps it until then)', async () => {
    script = (socket) => socket.end('HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\n\r\nbytes');
    const { path, handle } = await target('whole.bin', Buffer.from('kept '));
    try {
      const { body } = await get('/whole');
      expect(await body.sink(handle.fd, 5, () => undefined)).toBe(5);
    } finally {
      await handle.close();
    }
    expect(await readFile(path, 'utf8')).toBe('kept bytes');
  });

  it('cannot sink a body without a Content-Length, or one being read', async () => {
    script = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nuntil the ');
      setTimeout(() => socket.end('close'), 20);
    };
    const close = await get('/close');
    expect(close.body.sink(1, 0, () => undefined)).toBeNull();
    close.body.destroy();

    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n');
    const chunked = await get('/chunked');
    expect(chunked.body.sink(1, 0, () => undefined)).toBeNull();
    chunked.body.destroy();

    script = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nread');
    const reading = await get('/reading');
    reading.body.read();
    expect(reading.body.sink(1, 0, () => undefined)).toBeNull();
    reading.body.destroy();
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
      // 256 KiB every 5 ms: still sending when the first progress report comes (after 250 ms).
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
