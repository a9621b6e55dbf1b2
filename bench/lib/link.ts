/**
 * The link emulator: a userspace TCP relay on loopback with a rate, a delay and a queue, so a
 * download is measured on a link like a user's rather than on loopback (issue 20.5).
 *
 * Each direction is a bottleneck of `rateBitsPerSecond` with a FIFO in front of it: a chunk read
 * from one side leaves the bottleneck once every byte before it has (`len / rate` after the
 * previous one, never before it arrived) and is written to the other side `rttMs / 2` later. The
 * schedule runs on a virtual clock, so timer granularity delays a chunk by a millisecond or so but
 * never changes the rate. When more than `queueBytes` wait for the bottleneck, the relay stops
 * reading from that side (TCP's flow control then holds the sender back, as a full router queue
 * would through its losses, without the losses). TLS passes through untouched: curl and the app
 * connect to the relay as to the server.
 *
 * The relay runs in a process of its own (`bench/workers/link.ts`, `startLink`) so that its CPU
 * is neither the simulator's nor the measured client's; `relay()` is the same thing in-process.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { onCleanup, spawnTracked, stopChild } from './resources';

export interface LinkOptions {
  /** Where the relay connects for every connection it accepts. */
  target: { host: string; port: number };
  /** The bottleneck's rate, each direction. */
  rateBitsPerSecond: number;
  /** Round-trip time the relay adds (half each way). */
  rttMs: number;
  /** Bytes that may wait for the bottleneck before the relay stops reading (default: 20 ms of the rate). */
  queueBytes?: number;
}

interface Pending {
  bytes: Buffer;
  deliverAt: number;
}

/** One direction: `from` → bottleneck → delay → `to`. */
class Direction {
  readonly #from: Socket;
  readonly #to: Socket;
  readonly #bytesPerMs: number;
  readonly #delayMs: number;
  readonly #queueBytes: number;
  readonly #pending: Pending[] = [];
  /** When the bottleneck is free again (virtual clock, ms). */
  #busyUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;
  #blocked = false;
  #ended = false;

  constructor(from: Socket, to: Socket, options: Required<Omit<LinkOptions, 'target'>>) {
    this.#from = from;
    this.#to = to;
    this.#bytesPerMs = options.rateBitsPerSecond / 8 / 1000;
    this.#delayMs = options.rttMs / 2;
    this.#queueBytes = options.queueBytes;
    from.on('data', (bytes: Buffer) => this.#push(bytes));
    from.on('end', () => {
      this.#ended = true;
      this.#deliver();
    });
    to.on('drain', () => {
      this.#blocked = false;
      this.#deliver();
    });
  }

  #push(bytes: Buffer): void {
    const now = performance.now();
    const leaves = Math.max(now, this.#busyUntil) + bytes.length / this.#bytesPerMs;
    this.#busyUntil = leaves;
    this.#pending.push({ bytes, deliverAt: leaves + this.#delayMs });
    // Bytes waiting for the bottleneck: what it has not sent yet.
    const waiting = (leaves - now) * this.#bytesPerMs;
    if (waiting > this.#queueBytes && !this.#from.isPaused()) {
      this.#from.pause();
      // Read again once half the queue has gone through.
      const resumeAt = leaves - this.#queueBytes / 2 / this.#bytesPerMs;
      clearTimeout(this.#resumeTimer);
      this.#resumeTimer = setTimeout(() => this.#from.resume(), Math.max(0, resumeAt - now));
    }
    if (!this.#timer) this.#deliver();
  }

  /** Writes every chunk whose time has come; sleeps until the next one. */
  #deliver(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = performance.now();
    while (!this.#blocked && this.#pending.length > 0 && (this.#pending[0] as Pending).deliverAt <= now) {
      const { bytes } = this.#pending.shift() as Pending;
      if (!this.#to.write(bytes)) this.#blocked = true;
    }
    if (this.#blocked) return;
    const next = this.#pending[0];
    if (next) this.#timer = setTimeout(() => this.#deliver(), Math.max(0, next.deliverAt - now));
    else if (this.#ended) this.#to.end();
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#resumeTimer);
  }
}

/** The relay in this process: listens on 127.0.0.1 (a free port), one pair of directions per connection. */
export async function relay(options: LinkOptions): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const settings = {
    rateBitsPerSecond: options.rateBitsPerSecond,
    rttMs: options.rttMs,
    queueBytes: options.queueBytes ?? Math.max(64 * 1024, (options.rateBitsPerSecond / 8) * 0.02),
  };
  const sockets = new Set<Socket>();
  // Half-open allowed: each direction ends its side only once its queue is delivered.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: options.target.port, host: options.target.host, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    const directions = [new Direction(client, upstream, settings), new Direction(upstream, client, settings)];
    const stop = (): void => {
      for (const direction of directions) direction.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', stop);
    upstream.on('error', stop);
    client.on('close', () => {
      if (client.errored) stop();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Link {
  port: number;
  /** `url` with the relay's port instead of its own. */
  via(url: string): string;
  close(): Promise<void>;
}

/** The relay in a process of its own (bench/workers/link.ts); stopped by pid on close or exit. */
export async function startLink(root: string, options: LinkOptions): Promise<Link> {
  const child = spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'workers', 'link.ts'), JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const close = onCleanup(() => stopChild(child, 2000));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /READY (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.stderr?.on('data', (data: Buffer) => (err += data.toString()));
    child.once('exit', (code) => reject(new Error(`link emulator exited (${code}): ${err.slice(-500)}`)));
  });
  return {
    port,
    via: (url) => {
      const parsed = new URL(url);
      parsed.port = String(port);
      return parsed.origin + (parsed.pathname === '/' ? '' : parsed.pathname) + parsed.search;
    },
    close,
  };
}
