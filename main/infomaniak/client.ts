/**
 * The Infomaniak HTTP client (main process only). Implements `InfomaniakApi` directly on undici's
 * low-level `Dispatcher.request` with a per-client `Agent`, so that extra CAs (the simulator's) are
 * trusted by this connection only, never process-wide, and so that download bodies arrive as Node
 * streams (no WHATWG stream layer: that layer cost about half the throughput of a large download).
 *
 * Policies (see also the ARCHITECTURE section in the helper's report):
 * - The bearer token is added per request (`bearerFor`), only to https (or loopback http)
 *   URLs whose origin is one of the four configured endpoints, and only while a redirect chain stays
 *   on the origin it started on.
 * - Redirects are never automatic (the Agent has no redirect interceptor). Same origin: followed
 *   with the token. Another origin: `download()` follows it without the token, `get`/`post` refuse
 *   it, `probe()` reports it. http after https, http to a non-loopback host, or a non-web scheme:
 *   refused without connecting. At most 5 hops.
 * - The token's budget: every request that carries the token (every attempt and same-origin
 *   redirect hop of JSON calls, probes and downloads) first spends from the client's RequestPacer
 *   (pacer.ts; 60 per minute by default). A 429 pauses the pacer for the server's delay (capped),
 *   so every request of the token waits, and the retry itself waits in the pacer.
 * - Retries: GET/probe on network errors, 429, 502, 503, 504; POST on 429 and 503 only; never on
 *   other statuses (401/403/404…), on timeouts or on certificate errors. Wait: Retry-After
 *   (seconds or HTTP date), else X-RateLimit-Reset (epoch seconds), else 60 s for 429 and an
 *   exponential backoff from 500 ms otherwise; each wait capped (60 s); at most 3 retries.
 * - Downloads make ONE attempt: no retry here. Their errors are typed (kind, status, causeCode,
 *   retryAfterMs when the server named a delay); the transfers file writer owns download retries.
 * - A timeout per request covers connecting and the answer's headers; bodies are guarded by a stall
 *   watchdog (no byte for `stallMs` while the reader waits).
 * - Download bodies are read from the stream's buffer (up to about 1 MiB per chunk), so a consumer busy
 *   writing gets fewer, larger chunks instead of many 16 KiB TLS records.
 * - Log lines and errors carry method, origin + path (queries only for the configured origins),
 *   status and timings; never the token (anything echoed from a server is redacted too).
 */
import { createSecureContext, rootCertificates } from 'node:tls';
import { setMaxListeners } from 'node:events';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import PQueue from 'p-queue';
import { Agent, type Dispatcher } from 'undici';
import { validateBaseUrl, isLoopbackHostname } from './endpoints';
import { decodeError, decodeSuccess, retryAfterFromHeaders, type EnvelopeError } from './envelope';
import { InfomaniakError, isCertificateCode, type InfomaniakErrorInit } from './errors';
import { RequestPacer, type PacerOptions, type WaitListener } from './pacer';
import type {
  ApiPage,
  DownloadRequest,
  DownloadResponse,
  Endpoints,
  InfomaniakApi,
  ProbeResult,
  RequestOptions,
  SearchParams,
  ServiceHost,
} from './types';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  limit?: number;
  /** Cap on any single wait, including a server-requested one (default 60 000 ms). */
  maxWaitMs?: number;
  /** Wait after a 429 that names no delay (default 60 000 ms). */
  defaultWaitMs?: number;
  /** First step of the exponential backoff for network errors and 5xx (default 500 ms). */
  backoffMs?: number;
}

export interface InfomaniakClientOptions {
  token: string;
  endpoints: Endpoints;
  /** Extra CA certificates (PEM) trusted by this client only, on top of Node's bundled roots. */
  ca?: string[];
  retry?: RetryOptions;
  /** Per-request timeout until the answer's headers (default 30 000 ms). */
  timeoutMs?: number;
  /** A body that delivers no byte for this long fails with kind `timeout` (default 30 000 ms). */
  stallMs?: number;
  /** Requests in flight at once (default 6). */
  maxConcurrent?: number;
  /** The token's request budget (default 60 per 61 s). Ignored when `pacer` is given. */
  rateLimit?: PacerOptions;
  /** A pacer shared with other clients of the same token (not closed by `close()`). */
  pacer?: RequestPacer;
  log?: (line: string) => void;
  /** Called when a request that carried the token gets a 401 (not for `probe`). */
  onUnauthorized?: () => void;
}

export interface InfomaniakClient extends InfomaniakApi {
  /** Release the connection pool. Calls in flight are not waited for. */
  close(): Promise<void>;
  /** The token's request budget this client spends from. */
  readonly pacer: RequestPacer;
  onRateLimitWait(listener: WaitListener): () => void;
}

const MAX_HOPS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const GET_RETRY_STATUSES = new Set([429, 502, 503, 504]);
const POST_RETRY_STATUSES = new Set([429, 503]);
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_PROBE_BYTES = 4 * 1024 * 1024;
const MAX_ERROR_BYTES = 256 * 1024;
const USER_AGENT = 'PowerOn-Sources';
/** JSON calls accept compressed answers (as fetch did); #readText inflates them, bounded. */
const JSON_HEADERS: Readonly<Record<string, string>> = {
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate',
  'user-agent': USER_AGENT,
};
/**
 * How much of a download body the stream may buffer before the socket is paused (undici's default
 * is 64 KiB). A chunk from the body iterator holds at most about this much (plus one socket read).
 */
const DOWNLOAD_HIGH_WATER_MARK = 1024 * 1024;

type Method = 'GET' | 'POST';
type Follow = 'same-origin' | 'download' | 'none';
type Body = Dispatcher.ResponseData['body'];

/** One logical call (all its retries and redirect hops). */
interface Call {
  method: Method;
  host: ServiceHost;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  follow: Follow;
  purpose: 'json' | 'probe' | 'download';
  timeoutMs: number;
  /**
   * Aborted by the caller's signal, by `cancel()`, or with an InfomaniakError as reason (header
   * timeout, stall). Passed to undici, which then aborts the request or destroys its body.
   */
  controller: AbortController;
  callerSignal?: AbortSignal;
  /** Told when a request of this call waits for the token's budget (RequestOptions.onWait). */
  onWait?: WaitListener;
  release: () => void;
}

/** Case-insensitive, read-only view of undici's response headers (repeated ones joined by ", "). */
class AnswerHeaders {
  readonly #raw: Record<string, string | string[] | undefined>;
  constructor(raw: Record<string, string | string[] | undefined>) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** One HTTP answer: status, headers, and the body as undici's Node Readable. */
interface Answer {
  status: number;
  headers: AnswerHeaders;
  body: Body;
}

interface Final {
  response: Answer;
  url: URL;
  withToken: boolean;
}

/**
 * The Authorization header value for a request to `url`, which must be an allowed origin over
 * https (or http on loopback); otherwise it throws kind `redirect`. Exported for tests.
 */
export function bearerFor(token: string, allowedOrigins: ReadonlySet<string>, url: URL): string {
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
  if (!secure || !allowedOrigins.has(url.origin)) {
    throw new InfomaniakError({
      kind: 'redirect',
      message: `Refused to send the token to ${url.origin}`,
      description: `the token is only sent to the configured Infomaniak hosts, not to ${url.origin}.`,
      host: url.host,
    });
  }
  return `Bearer ${token}`;
}

/**
 * The token policy as a hook on a WHATWG Request (kept for callers and tests that build Requests;
 * the client itself applies `bearerFor` to its own header records). It removes any
 * Authorization header first, then adds the token only when `context.withToken` is true and the URL
 * is allowed; otherwise it throws kind `redirect`.
 */
export function createBearerHook(token: string, allowedOrigins: ReadonlySet<string>) {
  return (request: Request, options: { context: Record<string, unknown> }): void => {
    request.headers.delete('authorization');
    if (options.context['withToken'] !== true) return;
    request.headers.set('authorization', bearerFor(token, allowedOrigins, new URL(request.url)));
  };
}

export function createInfomaniakClient(options: InfomaniakClientOptions): InfomaniakClient {
  return new Client(options);
}

class Client implements InfomaniakClient {
  readonly endpoints: Endpoints;
  readonly #token: string;
  readonly #allowed: ReadonlySet<string>;
  readonly #agent: Agent;
  readonly #queue: PQueue;
  readonly #limit: number;
  readonly #maxWaitMs: number;
  readonly #defaultWaitMs: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #stallMs: number;
  readonly #log: (line: string) => void;
  readonly #onUnauthorized: () => void;
  readonly pacer: RequestPacer;
  readonly #ownsPacer: boolean;

  constructor(options: InfomaniakClientOptions) {
    if (!options.token) throw new Error('The Infomaniak client needs a token.');
    this.#token = options.token;
    this.endpoints = {
      api: validateBaseUrl(options.endpoints.api, 'The api endpoint'),
      calendar: validateBaseUrl(options.endpoints.calendar, 'The calendar endpoint'),
      contacts: validateBaseUrl(options.endpoints.contacts, 'The contacts endpoint'),
      mail: validateBaseUrl(options.endpoints.mail, 'The mail endpoint'),
    };
    this.#allowed = new Set(Object.values(this.endpoints));
    this.#limit = Math.max(0, options.retry?.limit ?? 3);
    this.#maxWaitMs = options.retry?.maxWaitMs ?? 60_000;
    this.#defaultWaitMs = options.retry?.defaultWaitMs ?? 60_000;
    this.#backoffMs = options.retry?.backoffMs ?? 500;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#stallMs = options.stallMs ?? 30_000;
    const log = options.log;
    this.#log = log ? (line) => log(this.#redact(line)) : () => undefined;
    const onUnauthorized = options.onUnauthorized;
    this.#onUnauthorized = () => {
      try {
        onUnauthorized?.();
      } catch {
        // A listener's bug must not turn into the caller's error.
      }
    };
    this.#queue = new PQueue({ concurrency: Math.max(1, options.maxConcurrent ?? 6) });
    this.#ownsPacer = options.pacer === undefined;
    this.pacer = options.pacer ?? new RequestPacer(options.rateLimit);

    // Passing `ca` replaces Node's default trust store, so the bundled roots are added back. The
    // secure context is built once per client: given as `ca`, Node would parse ~150 roots again for
    // every new connection (about 20 ms of blocking CPU each, measured by the bench).
    // No interceptors: redirects reach #chain as they are.
    this.#agent = new Agent({
      keepAliveTimeout: 10_000,
      ...(options.ca && options.ca.length > 0
        ? { connect: { secureContext: createSecureContext({ ca: [...rootCertificates, ...options.ca] }) } }
        : {}),
    });
  }

  async close(): Promise<void> {
    this.#queue.clear();
    if (this.#ownsPacer) this.pacer.close(new Error('The Infomaniak client was closed.'));
    await this.#agent.destroy();
  }

  // ---------------------------------------------------------------- public API

  onRateLimitWait(listener: WaitListener): () => void {
    return this.pacer.onWait(listener);
  }

  async get<T = unknown>(host: ServiceHost, path: string, options?: RequestOptions): Promise<ApiPage<T>> {
    const call = this.#prepare('GET', host, path, options, 'json', { ...JSON_HEADERS });
    try {
      const final = await this.#send(call);
      return await this.#decodeJson<T>(final, call);
    } finally {
      call.release();
    }
  }

  async post<T = unknown>(
    host: ServiceHost,
    path: string,
    body: unknown,
    options?: RequestOptions,
  ): Promise<ApiPage<T>> {
    const call = this.#prepare('POST', host, path, options, 'json', {
      ...JSON_HEADERS,
      'content-type': 'application/json',
    });
    call.body = JSON.stringify(body ?? null);
    try {
      const final = await this.#send(call);
      return await this.#decodeJson<T>(final, call);
    } finally {
      call.release();
    }
  }

  async probe(host: ServiceHost, path: string, options?: RequestOptions): Promise<ProbeResult> {
    const call = this.#prepare('GET', host, path, options, 'probe', { ...JSON_HEADERS });
    try {
      const { response } = await this.#send(call);
      const status = response.status;
      const contentType = response.headers.get('content-type');
      if (status >= 300 && status < 400) {
        discard(response);
        return { kind: 'redirect', status, location: response.headers.get('location') };
      }
      if (status >= 400) {
        const error = await this.#readErrorEnvelope(response, call);
        const result: ProbeResult = { kind: 'http', status };
        if (error?.apiCode) result.apiCode = error.apiCode;
        if (error?.description) result.description = this.#redact(error.description);
        return result;
      }
      let text: string;
      try {
        text = await this.#readText(response, call, MAX_PROBE_BYTES);
      } catch (error) {
        if (error instanceof InfomaniakError && error.kind === 'decode')
          return { kind: 'not_json', status, contentType };
        throw error;
      }
      const parsed = parseJson(text);
      if (typeof parsed === 'object' && parsed !== null) return { kind: 'json', status, body: parsed };
      return { kind: 'not_json', status, contentType };
    } finally {
      call.release();
    }
  }

  async download(host: ServiceHost, path: string, options: DownloadRequest = {}): Promise<DownloadResponse> {
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new TypeError('download start must be a non-negative integer');
    const headers: Record<string, string> = {
      accept: '*/*',
      'accept-encoding': 'identity',
      'user-agent': USER_AGENT,
    };
    if (start > 0) headers['range'] = `bytes=${start}-`;
    if (start > 0 && options.ifRange) headers['if-range'] = options.ifRange;
    const call = this.#prepare('GET', host, path, options, 'download', headers);
    let handedOver = false;
    try {
      const final = await this.#send(call);
      const { response } = final;
      const status = response.status;
      if (status !== 200 && status !== 206) {
        if (status >= 200 && status < 400) {
          discard(response);
          throw this.#error(call, final.url, {
            kind: status < 300 ? 'decode' : 'http',
            status,
            message: `unexpected status ${status} for a download`,
            description: `unexpected status ${status} for a download`,
          });
        }
        throw await this.#httpError(final, call);
      }
      const contentLength = parseNonNegativeInt(response.headers.get('content-length'));
      const encoded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
      let offset = 0;
      let totalSize: number | null = null;
      if (status === 206) {
        const range = parseContentRange(response.headers.get('content-range'));
        if (range) {
          offset = range.start;
          totalSize = range.total;
        } else {
          offset = start;
          totalSize = contentLength !== null && !encoded ? start + contentLength : null;
        }
      } else if (contentLength !== null && !encoded) {
        totalSize = contentLength;
      }
      const body = this.#guardedBody(this.#decoded(response, call, final.url), status, call, final.url);
      handedOver = true;
      return {
        status,
        totalSize,
        offset,
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
        contentType: response.headers.get('content-type'),
        body,
        cancel: () => {
          if (!call.controller.signal.aborted) {
            call.controller.abort(this.#error(call, final.url, { kind: 'cancelled', message: 'download cancelled' }));
          }
          call.release();
        },
      };
    } finally {
      if (!handedOver) call.release();
    }
  }

  // ---------------------------------------------------------------- request machinery

  #prepare(
    method: Method,
    host: ServiceHost,
    path: string,
    options: RequestOptions | undefined,
    purpose: Call['purpose'],
    headers: Record<string, string>,
  ): Call {
    const url = this.#buildUrl(host, path, options?.searchParams);
    const controller = new AbortController();
    setMaxListeners(100, controller.signal);
    const callerSignal = options?.signal;
    let release: () => void = () => undefined;
    if (callerSignal) {
      const onAbort = () =>
        controller.abort(
          new InfomaniakError({ kind: 'cancelled', message: `${method} ${this.#safe(url)} cancelled`, host: url.host }),
        );
      if (callerSignal.aborted) onAbort();
      else {
        callerSignal.addEventListener('abort', onAbort, { once: true });
        release = () => callerSignal.removeEventListener('abort', onAbort);
      }
    }
    const call: Call = {
      method,
      host,
      url,
      headers,
      follow: purpose === 'probe' ? 'none' : purpose === 'download' ? 'download' : 'same-origin',
      purpose,
      timeoutMs: options?.timeoutMs ?? this.#timeoutMs,
      controller,
      release,
    };
    if (callerSignal) call.callerSignal = callerSignal;
    if (options?.onWait) call.onWait = options.onWait;
    return call;
  }

  #buildUrl(host: ServiceHost, path: string, searchParams: SearchParams | undefined): URL {
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
      throw new TypeError(`An Infomaniak path must start with a single "/" (got ${JSON.stringify(path)}).`);
    }
    const base = this.endpoints[host];
    const url = new URL(base + path);
    if (url.origin !== base) throw new TypeError('An Infomaniak path must stay on its host.');
    if (searchParams) {
      for (const [key, value] of Object.entries(searchParams)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
        else url.searchParams.append(key, String(value));
      }
    }
    return url;
  }

  /** Runs the call with the retry policy around the redirect chain. */
  async #send(call: Call): Promise<Final> {
    for (let attempt = 0; ; attempt++) {
      this.#throwIfAborted(call, call.url);
      let final: Final;
      try {
        final = await this.#chain(call);
      } catch (error) {
        const mapped =
          error instanceof InfomaniakError
            ? error
            : this.#error(call, call.url, { kind: 'network', message: 'failed' });
        const retriable =
          mapped.kind === 'network' &&
          call.method === 'GET' &&
          call.purpose !== 'download' &&
          !isCertificateCode(mapped.causeCode) &&
          attempt < this.#limit;
        if (!retriable) throw mapped;
        const wait = Math.min(this.#maxWaitMs, this.#backoffMs * 2 ** attempt);
        this.#log(
          `${call.method} ${this.#safe(call.url)} failed (${mapped.causeCode ?? 'network'}); retry ${attempt + 1}/${this.#limit} in ${wait} ms`,
        );
        await this.#sleep(wait, call);
        continue;
      }
      const status = final.response.status;
      const statuses = call.method === 'GET' ? GET_RETRY_STATUSES : POST_RETRY_STATUSES;
      if (call.purpose === 'download' || !statuses.has(status) || attempt >= this.#limit) return final;
      const asked = retryAfterFromHeaders(final.response.headers);
      const fallback = status === 429 ? this.#defaultWaitMs : this.#backoffMs * 2 ** attempt;
      const wait = Math.min(this.#maxWaitMs, asked ?? fallback);
      discard(final.response);
      this.#log(
        `${call.method} ${this.#safe(final.url)} ${status}; retry ${attempt + 1}/${this.#limit} in ${wait} ms` +
          (asked !== undefined ? ' (as the server asked)' : ''),
      );
      // A 429 with the token paused the pacer for this wait: the retry waits there, and the caller's
      // onWait hears how long.
      if (!(status === 429 && final.withToken)) await this.#sleep(wait, call);
    }
  }

  /** One attempt: the first request and any redirect hops the policy allows. */
  async #chain(call: Call): Promise<Final> {
    let url = call.url;
    let method = call.method;
    let body = call.body;
    const headers = { ...call.headers };
    let withToken = true;
    for (let hop = 0; ; hop++) {
      const response = await this.#hop(call, method, url, headers, body, withToken);
      const status = response.status;
      if (call.follow === 'none' || !REDIRECT_STATUSES.has(status)) return { response, url, withToken };
      const location = response.headers.get('location');
      if (location === null) return { response, url, withToken };
      discard(response);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw this.#error(call, url, {
          kind: 'redirect',
          status,
          message: `${status} with an invalid Location`,
          description: 'the server redirected to an invalid address.',
        });
      }
      if (hop + 1 > MAX_HOPS) {
        throw this.#error(call, url, {
          kind: 'redirect',
          status,
          message: `more than ${MAX_HOPS} redirects`,
          description: `more than ${MAX_HOPS} redirects.`,
        });
      }
      const refusal = this.#refuseRedirect(call, url, next);
      if (refusal) {
        this.#log(`${method} ${this.#safe(url)} ${status} → ${next.origin} refused (${refusal})`);
        throw this.#error(call, url, {
          kind: 'redirect',
          status,
          message: `${status} to ${next.origin} refused: ${refusal}`,
          description: `${refusal} (${next.origin}).`,
        });
      }
      if (next.origin !== url.origin) withToken = false;
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      this.#log(
        `${method} ${this.#safe(url)} ${status} → ${this.#safe(next)}${withToken ? '' : ' (without the token)'}`,
      );
      url = next;
    }
  }

  /** Why a redirect from `from` to `to` is not followed, or null when the policy allows it. */
  #refuseRedirect(call: Call, from: URL, to: URL): string | null {
    if (to.protocol !== 'https:' && to.protocol !== 'http:') return `redirect to a non-web address (${to.protocol})`;
    if (to.protocol === 'http:') {
      if (call.url.protocol === 'https:') return 'redirect from https to plain http';
      if (!isLoopbackHostname(to.hostname)) return 'redirect to plain http';
    }
    if (to.origin !== from.origin && call.follow !== 'download') {
      return 'redirect to another site, not followed with the token';
    }
    return null;
  }

  /**
   * One HTTP exchange on the client's Agent, queued for the concurrency cap; resolves at the
   * answer's headers (the queue slot is given back then, whatever happens to the body). The timer
   * covers connecting and the headers; when it fires the call is aborted with kind `timeout`.
   */
  async #hop(
    call: Call,
    method: Method,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    withToken: boolean,
  ): Promise<Answer> {
    const signal = call.controller.signal;
    let started = Date.now();
    try {
      if (withToken) {
        await this.#spend(call);
        started = Date.now();
      }
      const response = await this.#queue.add(
        async () => {
          const sent: Record<string, string> = { ...headers };
          delete sent['authorization'];
          if (withToken) sent['authorization'] = bearerFor(this.#token, this.#allowed, url);
          const options: Dispatcher.RequestOptions = {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method,
            headers: sent,
            signal,
          };
          if (body !== undefined) options.body = body;
          if (call.purpose === 'download') options.highWaterMark = DOWNLOAD_HIGH_WATER_MARK;
          const timer =
            call.timeoutMs > 0
              ? setTimeout(() => {
                  this.#log(`${method} ${this.#safe(url)} timed out after ${Date.now() - started} ms`);
                  const error = this.#error(call, url, {
                    kind: 'timeout',
                    message: `no answer within ${call.timeoutMs} ms`,
                  });
                  if (!signal.aborted) call.controller.abort(error);
                }, call.timeoutMs)
              : undefined;
          try {
            const data = await this.#agent.request(options);
            // Until a reader takes the body over, a failing socket must not become an unhandled
            // 'error' event; readers look at `body.errored`.
            data.body.on('error', noop);
            return { status: data.statusCode, headers: new AnswerHeaders(data.headers), body: data.body };
          } finally {
            clearTimeout(timer);
          }
        },
        { signal },
      );
      this.#log(`${method} ${this.#safe(url)} ${response.status} ${Date.now() - started} ms`);
      if (response.status === 429 && withToken) {
        const pause = Math.min(this.#maxWaitMs, retryAfterFromHeaders(response.headers) ?? this.#defaultWaitMs);
        this.pacer.pause(pause);
        this.#log(`${method} ${this.#safe(url)} 429: every request of this token waits ${pause} ms`);
      }
      return response;
    } catch (error) {
      if (error instanceof InfomaniakError) throw error;
      if (signal.aborted) throw this.#abortError(call, url);
      const causeCode = networkCode(error);
      this.#log(`${method} ${this.#safe(url)} failed (${causeCode ?? 'network'}) after ${Date.now() - started} ms`);
      const init: Omit<InfomaniakErrorInit, 'message'> & { message: string } = {
        kind: 'network',
        message: `failed (${causeCode ?? 'network error'})`,
      };
      if (causeCode) init.causeCode = causeCode;
      throw this.#error(call, url, init);
    }
  }

  /** Spends one request of the token's budget, logging a wait. */
  async #spend(call: Call): Promise<void> {
    let logged = false;
    await this.pacer.take(call.controller.signal, (ms) => {
      if (ms > 0 && !logged) {
        logged = true;
        this.#log(`${call.method} ${this.#safe(call.url)} waits ${ms} ms for the token's request budget`);
      }
      call.onWait?.(ms);
    });
  }

  // ---------------------------------------------------------------- answers

  async #decodeJson<T>(final: Final, call: Call): Promise<ApiPage<T>> {
    const { response } = final;
    const status = response.status;
    if (status < 200 || status >= 300) throw await this.#httpError(final, call);
    const text = await this.#readText(response, call, MAX_JSON_BYTES);
    if (status === 204 || text.trim() === '') return { data: null as T };
    const parsed = parseJson(text);
    if (parsed === undefined) {
      const contentType = response.headers.get('content-type') ?? 'no content type';
      throw this.#error(call, final.url, {
        kind: 'decode',
        status,
        message: `${status} answer is not JSON (${contentType})`,
        description: `not JSON: ${contentType.split(';')[0]}`,
      });
    }
    const page = decodeSuccess<T>(parsed);
    if (page) return page;
    const error = decodeError(parsed);
    if (error) throw this.#envelopeError(final, call, status, error);
    throw this.#error(call, final.url, {
      kind: 'decode',
      status,
      message: `${status} answer has no Infomaniak envelope`,
      description: 'no Infomaniak envelope',
    });
  }

  /** The typed error for a non-2xx answer (reads a bounded part of its body). */
  async #httpError(final: Final, call: Call): Promise<InfomaniakError> {
    const { response } = final;
    const status = response.status;
    if (status >= 300 && status < 400) {
      discard(response);
      return this.#error(call, final.url, { kind: 'http', status, message: `unexpected ${status}` });
    }
    const error = await this.#readErrorEnvelope(response, call);
    return this.#envelopeError(final, call, status, error ?? {});
  }

  #envelopeError(final: Final, call: Call, status: number, error: EnvelopeError): InfomaniakError {
    const init: InfomaniakErrorInit = {
      kind: 'http',
      status,
      message: `${status}${error.apiCode ? ` ${error.apiCode}` : ''}${error.missingScope ? ` (missing scope ${error.missingScope})` : ''}`,
    };
    if (error.apiCode) init.apiCode = error.apiCode;
    if (error.description) init.description = this.#redact(error.description);
    if (error.missingScope) init.missingScope = error.missingScope;
    const asked = retryAfterFromHeaders(final.response.headers);
    if (status === 429) init.retryAfterMs = asked ?? this.#defaultWaitMs;
    else if (asked !== undefined && status >= 500) init.retryAfterMs = asked;
    if (status === 401 && final.withToken && error.apiCode !== 'all_scopes' && call.purpose !== 'probe') {
      this.#onUnauthorized();
    }
    return this.#error(call, final.url, init);
  }

  async #readErrorEnvelope(response: Answer, call: Call): Promise<EnvelopeError | null> {
    let text: string;
    try {
      text = await this.#readText(response, call, MAX_ERROR_BYTES);
    } catch (error) {
      if (error instanceof InfomaniakError && error.kind === 'decode') return null;
      throw error;
    }
    const parsed = parseJson(text);
    return parsed === undefined ? null : decodeError(parsed);
  }

  /** The whole body as text, inflated when compressed; more than `maxBytes` (inflated) is a decode error. */
  async #readText(response: Answer, call: Call, maxBytes: number): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.#guardedBody(
      this.#decoded(response, call, call.url),
      response.status,
      call,
      call.url,
    )) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw this.#error(call, call.url, {
          kind: 'decode',
          status: response.status,
          message: `answer larger than ${maxBytes} bytes`,
          description: 'answer too large',
        });
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  /**
   * The body with its Content-Encoding undone, as undici's fetch did it: codings undone last first
   * (gzip, deflate, br); an unknown coding leaves the body as it is; more than 5 is an error. Corrupt
   * compressed data fails the read with kind `decode`.
   */
  #decoded(response: Answer, call: Call, url: URL): Readable {
    const header = response.headers.get('content-encoding');
    if (header === null) return response.body;
    const codings = header.toLowerCase().split(',');
    if (codings.length > 5) {
      discard(response);
      throw this.#error(call, url, {
        kind: 'decode',
        status: response.status,
        message: `${codings.length} content-encodings`,
        description: 'too many content encodings',
      });
    }
    const decoders: Transform[] = [];
    for (const coding of codings.reverse().map((c) => c.trim())) {
      if (coding === 'gzip' || coding === 'x-gzip') {
        decoders.push(createGunzip({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH }));
      } else if (coding === 'deflate') {
        decoders.push(createInflate({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH }));
      } else if (coding === 'br') {
        decoders.push(
          createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH }),
        );
      } else if (coding !== 'identity' && coding !== '') {
        return response.body;
      }
    }
    if (decoders.length === 0) return response.body;
    // pipeline() destroys every stage when one fails or when the last one is destroyed (early exit).
    return pipeline([response.body, ...decoders], noop) as unknown as Readable;
  }

  /**
   * The body as an async iterable guarded by the stall watchdog: no byte for `stallMs` while the
   * reader waits aborts the exchange and throws kind `timeout`. Cancellation (caller's signal or
   * `cancel()`) throws `cancelled`; a connection lost mid-body throws `network`. Leaving the loop
   * early releases the socket.
   *
   * Each step hands out everything the stream has buffered (one chunk, or one copy of several), so
   * a reader that was busy gets up to the stream's high-water mark at once: fewer, larger chunks.
   * One timer serves the whole body (re-armed with `refresh()`), and the listeners are added once.
   */
  #guardedBody(body: Readable, status: number, call: Call, url: URL): AsyncIterable<Uint8Array> {
    const signal = call.controller.signal;
    const stallMs = this.#stallMs;
    let finished = false;
    let ended = false;
    let wake: (() => void) | null = null;
    let timer: NodeJS.Timeout | undefined;
    const onEvent = () => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const onEnd = () => {
      ended = true;
      onEvent();
    };
    const onStall = () => {
      // A timer left from an earlier wait that ended in time finds nobody waiting.
      if (wake === null || finished) return;
      const error = this.#error(call, url, {
        kind: 'timeout',
        message: `body stalled for ${stallMs} ms`,
        description: `no data for ${Math.round(stallMs / 1000)} s`,
      });
      this.#log(`${call.method} ${this.#safe(url)} body stalled for ${stallMs} ms`);
      if (!signal.aborted) call.controller.abort(error);
      onEvent();
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onEvent);
      body.off('readable', onEvent);
      body.off('end', onEnd);
      body.off('error', onEvent);
      body.off('close', onEvent);
      if (call.purpose === 'download') call.release();
      // Before the end, this aborts the request and closes its socket; after it, it is a no-op.
      if (!ended) body.destroy();
    };
    body.on('readable', onEvent);
    body.on('end', onEnd);
    body.on('error', onEvent);
    body.on('close', onEvent);
    signal.addEventListener('abort', onEvent, { once: true });

    const failed = (error: unknown): InfomaniakError => {
      finish();
      if (error instanceof InfomaniakError) return error;
      if (signal.aborted) return this.#abortError(call, url);
      const causeCode = networkCode(error);
      if (causeCode && /^(Z_|ERR_BROTLI|ERR_ZLIB)/.test(causeCode)) {
        return this.#error(call, url, {
          kind: 'decode',
          status,
          message: `compressed body could not be read (${causeCode})`,
          description: 'corrupt compressed data',
        });
      }
      const init: InfomaniakErrorInit = {
        kind: 'network',
        message: `connection lost while reading the body (${causeCode ?? 'network error'})`,
      };
      if (causeCode) init.causeCode = causeCode;
      return this.#error(call, url, init);
    };

    const iterator: AsyncIterator<Uint8Array> = {
      next: async () => {
        for (;;) {
          if (finished) return { done: true, value: undefined };
          if (signal.aborted) {
            finish();
            throw this.#abortError(call, url);
          }
          if (body.errored) throw failed(body.errored);
          const chunk = body.read() as Buffer | null;
          if (chunk !== null) return { done: false, value: chunk };
          if (ended || body.readableEnded) {
            ended = true;
            finish();
            return { done: true, value: undefined };
          }
          if (body.destroyed) throw failed(new Error('the body was closed'));
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (timer) timer.refresh();
            else timer = setTimeout(onStall, stallMs).unref();
          });
        }
      },
      return: async () => {
        finish();
        return { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  // ---------------------------------------------------------------- helpers

  #throwIfAborted(call: Call, url: URL): void {
    if (call.controller.signal.aborted) throw this.#abortError(call, url);
  }

  #abortError(call: Call, url: URL): InfomaniakError {
    const reason: unknown = call.controller.signal.reason;
    if (reason instanceof InfomaniakError) return reason;
    return this.#error(call, url, { kind: 'cancelled', message: 'cancelled' });
  }

  #sleep(ms: number, call: Call): Promise<void> {
    const signal = call.controller.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(this.#abortError(call, call.url));
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.#abortError(call, call.url));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** An InfomaniakError whose message starts with method and safe URL; token redacted. */
  #error(call: Call, url: URL, init: InfomaniakErrorInit): InfomaniakError {
    const full: InfomaniakErrorInit = {
      ...init,
      message: this.#redact(`${call.method} ${this.#safe(url)}: ${init.message}`),
      host: init.host ?? url.host,
    };
    if (init.description !== undefined) full.description = this.#redact(init.description);
    return new InfomaniakError(full);
  }

  /** origin + path, plus the query for the configured origins only (a storage URL may be signed). */
  #safe(url: URL): string {
    const base = `${url.origin}${url.pathname}`;
    if (!url.search) return base;
    return this.#allowed.has(url.origin) ? `${base}${url.search}` : `${base}?…`;
  }

  #redact(text: string): string {
    return text.includes(this.#token) ? text.split(this.#token).join('[redacted]') : text;
  }
}

// ------------------------------------------------------------------ small pure helpers

/** Drops an answer's body; an unfinished one takes its socket with it. */
function discard(response: Answer): void {
  response.body.destroy();
}

function noop(): void {}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseNonNegativeInt(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** `bytes a-b/total` (total may be `*`). */
export function parseContentRange(value: string | null): { start: number; end: number; total: number | null } | null {
  if (!value) return null;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

/** A short machine code for a transport failure (ECONNRESET, UND_ERR_SOCKET, cert codes…). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
