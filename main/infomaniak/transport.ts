/**
 * Transport: the connection pool, the in-flight limit and the token's request budget.
 *
 * - One undici `Agent` per client. Extra CAs (NODE_EXTRA_CA_CERTS, the demo simulator's CA) are
 *   trusted by this client only: the secure context is built from Node's bundled roots plus the
 *   extra ones once per set of extra CAs in the process (secure-context.mjs), not per connection
 *   (~20 ms of CPU each, measured by the bench) nor per client (a connection, its probes and the
 *   demo each make one).
 *   The Agent has no redirect interceptor: redirects reach redirects.ts as they are.
 * - At most `maxConcurrent` requests in flight; a slot is held until the response headers arrive
 *   (whatever happens to the body afterwards).
 * - `fetch` is what ky calls (JSON calls and probes): undici's fetch on the client's Agent.
 * - `request` is the download byte path: undici's `Dispatcher.request`, a Node stream without the
 *   WHATWG stream layer, for smaller bodies and proxied ones. Bench (bench/README.md, `download`):
 *   undici's fetch delivered 35–50 % of curl's throughput on the 1 GiB case, the stream path about
 *   0.7 × curl; so downloads stay off fetch.
 * - The pacer (pacer.ts) is spent by the callers before a request that carries the token.
 * - `directGet` is the download thread's GET (direct-get.ts) for large downloads on a direct https
 *   connection: its own TLS connection with this client's trust store, within the same in-flight
 *   limit until the head arrives; null when the thread is not running (undici then sends it).
 * - Proxies (proxies.ts) choose the dispatcher per origin; the extra CAs apply through them too,
 *   and connecting to the proxy and opening its tunnel get the client's timeout.
 * - A request waiting for its answer ends at once when its signal aborts (the caller's cancel, the
 *   timeout), also while undici is still connecting or opening a tunnel (undici itself only
 *   notices an abort once the request is on a connection).
 */
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { directGet, type DirectGetOptions, type DirectResponse } from './direct-get';
import { DirectWorker } from './direct-wire';
import { JobQueue } from '../jobs';
import { RequestPacer, type PacerOptions } from './pacer';
import { secureContextFor } from './secure-context.mjs';
import { Proxies, type ProxyOptions } from './proxies';

interface TransportOptions {
  ca?: string[] | undefined;
  maxConcurrent?: number | undefined;
  rateLimit?: PacerOptions | undefined;
  /** A pacer shared with other clients of the same token (not closed by `close()`). */
  pacer?: RequestPacer | undefined;
  proxy?: ProxyOptions | undefined;
  /** Connecting, and opening a proxy's tunnel, may take this long (the client's `timeoutMs`). */
  connectTimeoutMs?: number | undefined;
  /**
   * The download thread (direct-wire.ts), shared and owned by the caller (the app's, started with
   * it). Not given: this client starts its own when first needed and stops it on close().
   */
  directWorker?: DirectWorker | undefined;
}

/**
 * How much of a download body the stream may buffer before the socket is paused (undici's default
 * is 64 KiB). A chunk from the body iterator holds at most about this much (plus one socket read).
 */
const DOWNLOAD_HIGH_WATER_MARK = 1024 * 1024;

export class Transport {
  readonly pacer: RequestPacer;
  readonly #ownsPacer: boolean;
  readonly #proxies: Proxies;
  /** The in-flight limit; each request counts to the job that queued it (main/jobs.ts). */
  readonly #queue: JobQueue;
  /** Aborted by close(): ends the download thread's connections, which no undici agent owns. */
  readonly #closing = new AbortController();
  readonly #worker: DirectWorker;
  readonly #ownsWorker: boolean;
  readonly #ca: string[];
  /** Origins whose large answer the thread could not write: undici serves them from then on. */
  readonly #notForTheThread = new Set<string>();

  constructor(options: TransportOptions) {
    this.#queue = new JobQueue({ concurrency: Math.max(1, options.maxConcurrent ?? 6) });
    this.#ownsPacer = options.pacer === undefined;
    this.pacer = options.pacer ?? new RequestPacer(options.rateLimit);
    // Passing `ca` replaces Node's default trust store, so the bundled roots are added back.
    const tls = options.ca && options.ca.length > 0 ? { secureContext: secureContextFor(options.ca) } : undefined;
    this.#ca = options.ca ?? [];
    this.#ownsWorker = options.directWorker === undefined;
    this.#worker = options.directWorker ?? new DirectWorker();
    // A shared worker (the app's) runs already: its connections for this client get their trust
    // store built now, as this thread's is above. An own worker starts with the first large download.
    if (!this.#ownsWorker) this.#worker.prepare(this.#ca);
    const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    const direct = new Agent({ keepAliveTimeout: 10_000, connect: { ...tls, timeout: connectTimeoutMs } });
    this.#proxies = new Proxies(direct, tls, options.proxy ?? {}, connectTimeoutMs);
  }

  /**
   * The `fetch` given to ky: undici's fetch on this client's dispatcher, never following redirects,
   * within the in-flight limit until the headers arrive.
   */
  readonly fetch = (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    return this.#queue.add(async () => {
      const body = request.body ? await request.text() : undefined;
      const dispatcher = await this.#proxies.dispatcherFor(new URL(request.url));
      const response = await untilAborted(
        request.signal,
        undiciFetch(request.url, {
          method: request.method,
          headers: [...request.headers],
          signal: request.signal,
          redirect: 'manual',
          dispatcher,
          ...(body !== undefined ? { body } : {}),
        }),
        (late) => void late.body?.cancel().catch(() => undefined),
      );
      return response as unknown as Response;
    });
  };

  /** One download request (a Node stream body), within the in-flight limit until the headers arrive. */
  request(options: Omit<Dispatcher.RequestOptions, 'highWaterMark'>): Promise<Dispatcher.ResponseData> {
    return this.#queue.add(async () => {
      const dispatcher = await this.#proxies.dispatcherFor(new URL(String(options.origin)));
      const pending = dispatcher.request({ ...options, highWaterMark: DOWNLOAD_HIGH_WATER_MARK });
      const data = await untilAborted(options.signal as AbortSignal | undefined, pending, (late) =>
        late.body.destroy(),
      );
      // Until a reader takes the body over, a failing socket must not become an unhandled
      // 'error' event; readers look at `body.errored`.
      data.body.on('error', () => undefined);
      return data;
    });
  }

  /**
   * One GET on the download thread, within the in-flight limit until the response head arrives; null
   * when undici is to send it: the thread is not running, a proxy applies, or the origin's large
   * answers could not be written by the thread before.
   */
  async directGet(options: Omit<DirectGetOptions, 'connect'>): Promise<DirectResponse | null> {
    const { url } = options;
    if (this.#notForTheThread.has(url.origin) || !(await this.#proxies.isDirect(url))) return null;
    if (!(await this.#worker.ready())) return null;
    const signal = AbortSignal.any([options.signal, this.#closing.signal]);
    return this.#queue.add(() =>
      directGet({ ...options, signal, connect: (request, events) => this.#worker.open(request, events, this.#ca) }),
    );
  }

  /** The thread could not write a large answer from `url`'s origin: undici serves that origin from now on. */
  notForTheThread(url: URL): void {
    this.#notForTheThread.add(url.origin);
  }

  async close(): Promise<void> {
    this.#queue.clear();
    this.#closing.abort(new Error('The Infomaniak client was closed.'));
    if (this.#ownsWorker) await this.#worker.close();
    if (this.#ownsPacer) this.pacer.close(new Error('The Infomaniak client was closed.'));
    await this.#proxies.destroy();
  }
}

/**
 * `pending`, or the signal's reason as soon as it aborts; an answer that comes after that is
 * disposed of with `dispose`.
 */
function untilAborted<T>(
  signal: AbortSignal | null | undefined,
  pending: Promise<T>,
  dispose: (late: T) => void,
): Promise<T> {
  if (!signal) return pending;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) dispose(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
