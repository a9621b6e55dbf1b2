/**
 * The download thread's connections ("wires"): where DirectBody (direct-get.ts) gets its bytes.
 *
 * `DirectWorker` runs them on a worker thread (direct-worker.mjs), so a body can be written straight
 * into a part file there (`sink`), record by record while it is still in cache, without blocking
 * the app's thread. The app shares one among its clients and starts it with the app (main/app.ts); a
 * client without one starts its own when first needed. Each connection carries its client's trust
 * store. When the thread cannot start, there is no wire: downloads go to undici.
 *
 * A wire delivers the response's bytes one batch at a time (`next()`), so the reader decides after
 * the head, with nothing in flight, whether to sink the body.
 */
import { isIP } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './direct-worker-protocol';
import { requestHead } from './http1';

export interface WireEvents {
  /** Bytes received; the view is only valid during the call. */
  data(bytes: Uint8Array): void;
  /** The connection closed (after its last data). */
  close(): void;
  /** The connection failed; close() follows or has been reported instead. */
  error(error: unknown): void;
}

/** Where the rest of a body goes in sink mode, and what main already holds of it. */
export interface SinkTarget {
  fd: number;
  position: number;
  /** Body bytes to write in all, `prefix` included: never more. */
  remaining: number;
  prefix: Uint8Array;
  /** The writer's bandwidth limit (main/localfs/bandwidth-bucket.mjs), shared with the thread; null: none. */
  bandwidth: SharedArrayBuffer | null;
}

export interface SinkEvents {
  progress(written: number): void;
  done(written: number): void;
  failed(error: SinkError): void;
}

/** A failed sink: `kind` says whether the file or the connection failed; `written` bytes are in the file. */
export class SinkError extends Error {
  readonly kind: 'write' | 'network';
  readonly code: string | undefined;
  readonly written: number;
  constructor(kind: 'write' | 'network', code: string | null, message: string, written: number) {
    super(message);
    this.name = 'SinkError';
    this.kind = kind;
    this.code = code ?? undefined;
    this.written = written;
  }
}

export interface Wire {
  /** Deliver the next batch. */
  next(): void;
  destroy(): void;
  /** Writes the rest of the body into a file on the thread (instead of `next()` from then on). */
  sink(target: SinkTarget, events: SinkEvents): void;
}

export interface WireRequest {
  url: URL;
  headers: Record<string, string>;
}

function endpoint(url: URL): { host: string; port: number; servername: string | null } {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(url.port || 443), servername: isIP(host) === 0 ? host : null };
}

function headOf(request: WireRequest): string {
  const { url, headers } = request;
  return requestHead(`${url.pathname}${url.search}`, url.host, headers);
}

/** How long the worker may take to start before downloads go to undici. */
const START_TIMEOUT_MS = 10_000;

interface Route {
  events: WireEvents;
  sink: SinkEvents | null;
}

/** The worker thread serving direct connections. */
export class DirectWorker {
  readonly #script: URL;
  #worker: Worker | null = null;
  #ready: Promise<boolean> | null = null;
  #routes = new Map<number, Route>();
  #nextId = 1;
  #closed = false;
  /** The worker could not start: downloads go to undici from now on. */
  #broken = false;

  readonly #startTimeoutMs: number;

  /** `script` and `startTimeoutMs` are for tests (another script, a shorter wait). */
  constructor(script: URL = new URL('./direct-worker.mjs', import.meta.url), startTimeoutMs = START_TIMEOUT_MS) {
    this.#script = script;
    this.#startTimeoutMs = startTimeoutMs;
  }

  /** True once the worker takes connections; false when it cannot start (use undici). */
  ready(): Promise<boolean> {
    if (this.#closed || this.#broken) return Promise.resolve(false);
    this.#ready ??= this.#start();
    return this.#ready;
  }

  #start(): Promise<boolean> {
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        // Plain JavaScript: none of the parent's loader flags (tsx in development) are needed.
        worker = new Worker(this.#script, { execArgv: [] });
      } catch {
        resolve(false);
        return;
      }
      this.#worker = worker;
      worker.unref();
      let started = false;
      // A worker that neither starts nor fails (it should take about 20 ms) is given up on.
      const late = setTimeout(() => {
        if (started) return;
        this.#broken = true;
        resolve(false);
        void worker.terminate();
      }, this.#startTimeoutMs).unref();
      worker.on('message', (message: FromWorker) => {
        if (message.op !== 'ready') this.#deliver(message);
        else {
          started = true;
          clearTimeout(late);
          resolve(true);
        }
      });
      const gone = (error: unknown): void => {
        if (!started) this.#broken = true;
        resolve(false);
        this.#stopped(worker, error);
      };
      worker.on('error', gone);
      worker.on('exit', (code) => gone(new Error(`the download worker stopped (exit code ${code})`)));
    });
  }

  /** The worker ended: its connections fail, and the next download starts a new one. */
  #stopped(worker: Worker, error: unknown): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#ready = null;
    const routes = [...this.#routes.values()];
    this.#routes.clear();
    for (const route of routes) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      if (route.sink) route.sink.failed(new SinkError('network', typeof code === 'string' ? code : null, message, 0));
      else route.events.error(error);
    }
  }

  #deliver(message: Exclude<FromWorker, { op: 'ready' }>): void {
    const route = this.#routes.get(message.id);
    if (!route) return;
    switch (message.op) {
      case 'data':
        route.events.data(message.bytes);
        return;
      case 'progress':
        route.sink?.progress(message.written);
        return;
      case 'closed':
        this.#forget(message.id);
        route.events.close();
        return;
      case 'error':
        this.#forget(message.id);
        route.events.error(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
        route.events.close();
        return;
      case 'sunk':
        this.#forget(message.id);
        route.sink?.done(message.written);
        return;
      case 'sink-failed':
        this.#forget(message.id);
        route.sink?.failed(new SinkError(message.kind, message.code, message.message, message.written));
    }
  }

  #send(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  /** Has the worker build the secure context for `ca` ahead of the first connection. */
  prepare(ca: string[]): void {
    void this.ready().then((ok) => {
      if (ok) this.#send({ op: 'trust', ca });
    });
  }

  #forget(id: number): void {
    this.#routes.delete(id);
  }

  /**
   * A connection on the worker (call after `ready()` answered true), trusting Node's bundled roots
   * plus `ca` (PEM).
   */
  open(request: WireRequest, events: WireEvents, ca: string[]): Wire {
    if (!this.#worker) throw new Error('the download worker is not running');
    const id = this.#nextId++;
    const route: Route = { events, sink: null };
    this.#routes.set(id, route);
    this.#send({ op: 'open', id, ...endpoint(request.url), ca, request: headOf(request) });
    return {
      next: () => {
        if (this.#routes.get(id) === route) this.#send({ op: 'more', id });
      },
      destroy: () => {
        if (this.#routes.get(id) !== route) return;
        // A sink's route stays until the worker answers (sunk or sink-failed): until then it may
        // still write into the file, so its descriptor must stay open.
        if (!route.sink) this.#forget(id);
        this.#send({ op: 'close', id });
      },
      sink: (target, sinkEvents) => {
        if (this.#routes.get(id) !== route) {
          sinkEvents.failed(new SinkError('network', null, 'the connection is closed', 0));
          return;
        }
        route.sink = sinkEvents;
        const prefix = target.prefix;
        this.#worker?.postMessage({ op: 'sink', id, ...target } satisfies ToWorker, [prefix.buffer as ArrayBuffer]);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (worker) await worker.terminate();
  }
}
