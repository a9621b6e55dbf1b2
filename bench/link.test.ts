/**
 * The link emulator (bench/lib/link.ts): every byte arrives, in order, never faster than the rate
 * and never sooner than the delay (lower bounds only: a busy machine may make it slower, never faster).
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { relay } from './lib/link';

const payload = randomBytes(1024 * 1024);
let server: Server;
let port: number;

beforeAll(async () => {
  // Answers "go" with the payload, "ping" with "pong".
  server = createServer((socket) => {
    socket.on('data', (data: Buffer) => {
      if (data.toString() === 'go') socket.end(payload);
      else if (data.toString() === 'ping') socket.write('pong');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

it('delivers every byte in order, no faster than the rate, each way no sooner than half the RTT', async () => {
  const rateBitsPerSecond = 80_000_000;
  const rttMs = 40;
  const link = await relay({ target: { host: '127.0.0.1', port }, rateBitsPerSecond, rttMs, queueBytes: 64 * 1024 });
  try {
    const socket = connect(link.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const pinged = performance.now();
    socket.write('ping');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    expect(performance.now() - pinged).toBeGreaterThanOrEqual(rttMs - 1);

    const parts: Buffer[] = [];
    socket.on('data', (data: Buffer) => parts.push(data));
    const started = performance.now();
    socket.write('go');
    await new Promise<void>((resolve) => socket.once('end', resolve));
    const ms = performance.now() - started;
    socket.destroy();
    const received = Buffer.concat(parts);
    expect(sha(received)).toBe(sha(payload));
    // 1 MiB at 10 MB/s is 105 ms, plus the round trip of the request.
    expect(ms).toBeGreaterThanOrEqual((payload.length * 8 * 1000) / rateBitsPerSecond + rttMs - 1);
  } finally {
    await link.close();
  }
});
