/**
 * The Infomaniak HTTP client (main process only). Implements `InfomaniakApi` on ky, with undici's
 * own `fetch` and a per-client `Agent` as transport so that extra CAs (the simulator's) are trusted
 * by this connection only, never process-wide.
 *
 * Policies (see also the ARCHITECTURE section in the helper's report):
 * - The bearer token is added per request by a ky `beforeRequest` hook, only to https (or loopback
 *   http) URLs whose origin is one of the four configured endpoints, and only while a redirect chain
 *   stays on the origin it started on.
 * - Redirects are never automatic (`redirect: 'manual'`). Same origin: followed with the token.
 *   Another origin: `download()` follows it without the token, `get`/`post` refuse it, `probe()`
 *   reports it. http after https, http to a non-loopback host, or a non-web scheme: refused without
 *   connecting. At most 5 hops.
 * - Retries: GET/probe/download on network errors, 429, 502, 503, 504; POST on 429 and 503 only;
 *   never on other statuses (401/403/404…), on timeouts or on certificate errors. Wait: Retry-After
 *   (seconds or HTTP date), else X-RateLimit-Reset (epoch seconds), else 60 s for 429 and an
 *   exponential backoff from 500 ms otherwise; each wait capped (60 s); at most 3 retries.
 * - A timeout per request covers the answer's headers; bodies are guarded by a stall watchdog.
 * - Log lines and errors carry method, origin + path (queries only for the configured origins),
 *   status and timings; never the token (anything echoed from a server is redacted too).
 */
import { rootCertificates } from 'node:tls';
import { setMaxListeners } from 'node:events';
import ky, { TimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import PQueue from 'p-queue';
import { Agent, fetch as undiciFetch, type Response as UndiciResponse } from 'undici';
import { validateBaseUrl, isLoopbackHostname } from './endpoints';
import { decodeError, decodeSuccess, retryAfterFromHeaders, type EnvelopeError } from './envelope';
import { InfomaniakError, isCertificateCode, type InfomaniakErrorInit } from './errors';
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
  log?: (line: string) => void;
  /** Called when a request that carried the token gets a 401 (not for `probe`). */
  onUnauthorized?: () => void;
}

export interface InfomaniakClient extends InfomaniakApi {
  /** Release the connection pool. Calls in flight are not waited for. */
  close(): Promise<void>;
}

const MAX_HOPS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const GET_RETRY_STATUSES = new Set([429, 502, 503, 504]);
const POST_RETRY_STATUSES = new Set([429, 503]);
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_PROBE_BYTES = 4 * 1024 * 1024;
const MAX_ERROR_BYTES = 256 * 1024;

type Method = 'GET' | 'POST';
type Follow = 'same-origin' | 'download' | 'none';

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
  /** Aborted by the caller's signal, by `cancel()`, or with an InfomaniakError as reason (stall). */
  controller: AbortController;
  callerSignal?: AbortSignal;
  release: () => void;
}

interface Final {
  response: UndiciResponse;
  url: URL;
  withToken: boolean;
}

/** Extra fetch init that ky hands to the transport untouched (unknown option keys pass through). */
interface TransportInit {
  callSignal?: AbortSignal;
}

/**
 * The ky `beforeRequest` hook that adds the token. Exported for tests. It removes any
 * Authorization header first, then adds the token only when the hop asked for it and the URL is an
 * allowed origin over https (or http on loopback); otherwise it throws kind `redirect`.
 */
export function createBearerHook(token: string, allowedOrigins: ReadonlySet<string>) {
  return (request: Request, options: { context: Record<string, unknown> }): void => {
    request.headers.delete('authorization');
    if (options.context['withToken'] !== true) return;
    const url = new URL(request.url);
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
    if (!secure || !allowedOrigins.has(url.origin)) {
      throw new InfomaniakError({
        kind: 'redirect',
        message: `Refused to send the token to ${url.origin}`,
        description: `the token is only sent to the configured Infomaniak hosts, not to ${url.origin}.`,
        host: url.host,
      });
    }
    request.headers.set('authorization', `Bearer ${token}`);
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
  readonly #http: KyInstance;
  readonly #queue: PQueue;
  readonly #limit: number;
  readonly #maxWaitMs: number;
  readonly #defaultWaitMs: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #stallMs: number;
  readonly #log: (line: string) => void;
  readonly #onUnauthorized: () => void;

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

    // Passing `ca` replaces Node's default trust store, so the bundled roots are added back.
    this.#agent = new Agent({
      keepAliveTimeout: 10_000,
      ...(options.ca && options.ca.length > 0 ? { connect: { ca: [...rootCertificates, ...options.ca] } } : {}),
    });
    const agent = this.#agent;

    // ky builds a WHATWG Request (Node's own undici); npm undici's fetch does not accept a foreign
    // Request, so it is unpacked here. The call's signal is linked explicitly (strong reference) so
    // that cancelling a body still works after ky's Request object is gone.
    const transport = async (input: Request, init?: TransportInit): Promise<Response> => {
      const body = input.body ? new Uint8Array(await input.arrayBuffer()) : undefined;
      const controller = new AbortController();
      const forward = (signal: AbortSignal) => () => controller.abort(signal.reason);
      for (const signal of [input.signal, init?.callSignal]) {
        if (!signal) continue;
        if (signal.aborted) controller.abort(signal.reason);
        else signal.addEventListener('abort', forward(signal), { once: true });
      }
      const response = await undiciFetch(input.url, {
        method: input.method,
        headers: [...input.headers],
        body,
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: agent,
      });
      return response as unknown as Response;
    };

    this.#http = ky.create({
      fetch: transport as unknown as KyOptions['fetch'],
      retry: 0,
      throwHttpErrors: false,
      redirect: 'manual',
      hooks: { beforeRequest: [createBearerHook(this.#token, this.#allowed)] },
    });
  }

  async close(): Promise<void> {
    this.#queue.clear();
    await this.#agent.destroy();
  }

  // ---------------------------------------------------------------- public API

  async get<T = unknown>(host: ServiceHost, path: string, options?: RequestOptions): Promise<ApiPage<T>> {
    const call = this.#prepare('GET', host, path, options, 'json', { accept: 'application/json' });
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
      accept: 'application/json',
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
    const call = this.#prepare('GET', host, path, options, 'probe', { accept: 'application/json' });
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
    const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'identity' };
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
      const body = this.#guardedBody(response, call, final.url);
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
      if (!statuses.has(status) || attempt >= this.#limit) return final;
      const asked = retryAfterFromHeaders(final.response.headers);
      const fallback = status === 429 ? this.#defaultWaitMs : this.#backoffMs * 2 ** attempt;
      const wait = Math.min(this.#maxWaitMs, asked ?? fallback);
      discard(final.response);
      this.#log(
        `${call.method} ${this.#safe(final.url)} ${status}; retry ${attempt + 1}/${this.#limit} in ${wait} ms` +
          (asked !== undefined ? ' (as the server asked)' : ''),
      );
      await this.#sleep(wait, call);
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

  /** One HTTP exchange, queued for the concurrency cap; resolves at the answer's headers. */
  async #hop(
    call: Call,
    method: Method,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    withToken: boolean,
  ): Promise<UndiciResponse> {
    const signal = call.controller.signal;
    const started = Date.now();
    try {
      const response = await this.#queue.add(
        async () => {
          const init: KyOptions & TransportInit = {
            method,
            headers,
            signal,
            callSignal: signal,
            timeout: call.timeoutMs > 0 ? call.timeoutMs : false,
            context: { withToken },
          };
          if (body !== undefined) init.body = body;
          return (await this.#http(url.href, init)) as unknown as UndiciResponse;
        },
        { signal },
      );
      this.#log(`${method} ${this.#safe(url)} ${response.status} ${Date.now() - started} ms`);
      return response;
    } catch (error) {
      if (error instanceof InfomaniakError) throw error;
      if (signal.aborted) throw this.#abortError(call, url);
      if (error instanceof TimeoutError) {
        this.#log(`${method} ${this.#safe(url)} timed out after ${Date.now() - started} ms`);
        throw this.#error(call, url, { kind: 'timeout', message: `no answer within ${call.timeoutMs} ms` });
      }
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
    if (status === 429) {
      init.retryAfterMs = retryAfterFromHeaders(final.response.headers) ?? this.#defaultWaitMs;
    }
    if (status === 401 && final.withToken && error.apiCode !== 'all_scopes' && call.purpose !== 'probe') {
      this.#onUnauthorized();
    }
    return this.#error(call, final.url, init);
  }

  async #readErrorEnvelope(response: UndiciResponse, call: Call): Promise<EnvelopeError | null> {
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

  async #readText(response: UndiciResponse, call: Call, maxBytes: number): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.#guardedBody(response, call, call.url)) {
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
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * The body as an async iterable guarded by the stall watchdog: no byte for `stallMs` aborts the
   * exchange and throws kind `timeout`. Cancellation (caller's signal or `cancel()`) throws
   * `cancelled`; a connection lost mid-body throws `network`. Leaving the loop early releases it.
   */
  #guardedBody(response: UndiciResponse, call: Call, url: URL): AsyncIterable<Uint8Array> {
    const stream = response.body;
    const signal = call.controller.signal;
    const stallMs = this.#stallMs;
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    let finished = false;
    const finish = () => {
      finished = true;
      if (call.purpose === 'download') call.release();
      if (reader) reader.cancel().catch(() => undefined);
      else if (stream && !stream.locked) stream.cancel().catch(() => undefined);
    };
    const iterator: AsyncIterator<Uint8Array> = {
      next: async () => {
        if (finished || !stream) {
          if (!finished) finish();
          return { done: true, value: undefined };
        }
        if (signal.aborted) {
          finish();
          throw this.#abortError(call, url);
        }
        reader ??= stream.getReader();
        let timer: NodeJS.Timeout | undefined;
        let onAbort: (() => void) | undefined;
        const stall = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = this.#error(call, url, {
              kind: 'timeout',
              message: `body stalled for ${stallMs} ms`,
              description: `no data for ${Math.round(stallMs / 1000)} s`,
            });
            this.#log(`${call.method} ${this.#safe(url)} body stalled for ${stallMs} ms`);
            if (!signal.aborted) call.controller.abort(error);
            reject(error);
          }, stallMs);
        });
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(this.#abortError(call, url));
          signal.addEventListener('abort', onAbort, { once: true });
        });
        try {
          const result = await Promise.race([reader.read(), stall, aborted]);
          if (result.done) {
            finish();
            return { done: true, value: undefined };
          }
          return { done: false, value: result.value };
        } catch (error) {
          finish();
          if (error instanceof InfomaniakError) throw error;
          if (signal.aborted) throw this.#abortError(call, url);
          const causeCode = networkCode(error);
          const init: InfomaniakErrorInit = {
            kind: 'network',
            message: `connection lost while reading the body (${causeCode ?? 'network error'})`,
          };
          if (causeCode) init.causeCode = causeCode;
          throw this.#error(call, url, init);
        } finally {
          clearTimeout(timer);
          if (onAbort) signal.removeEventListener('abort', onAbort);
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

function discard(response: UndiciResponse): void {
  response.body?.cancel().catch(() => undefined);
}

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
