/**
 * The Infomaniak HTTP client (main process only): `InfomaniakApi` put together from one file per
 * concern (see README.md in this folder):
 * - transport.ts — the connection pool (one undici Agent per client, extra CAs for this client
 *   only), the in-flight limit, and the token's request budget (pacer.ts); proxies.ts picks the
 *   dispatcher per origin (HTTPS_PROXY / NO_PROXY, Electron's system proxy; CONNECT only);
 * - token.ts — which origins may receive the bearer token, and redaction;
 * - redirects.ts — the redirect policy;
 * - body.ts — body guards (size, stall, deadline, decompression);
 * - responses.ts (+ envelope.ts) — response → typed data or typed error;
 * - json-calls.ts — JSON calls and probes on ky (ky owns their retries);
 * - download.ts — the download byte path (one attempt): undici's `request` stream, or the download
 *   thread (direct-get.ts + http1.ts) for a large body written into a file on a direct https
 *   connection.
 */
import { readText } from './body';
import { CallContext, type Settings } from './call';
import { startDownload } from './download';
import type { DirectWorker } from './direct-wire';
import { notifyOrigin, validateBaseUrl } from './endpoints';
import { followEnvelope } from './envelope-redirect';
import { InfomaniakError } from './errors';
import { JsonCalls } from './json-calls';
import type { PacerOptions, RequestPacer, WaitListener } from './pacer';
import type { ProxyOptions } from './proxies';
import {
  decodePage,
  httpError,
  MAX_ERROR_BYTES,
  MAX_JSON_BYTES,
  MAX_PROBE_BYTES,
  probeBodyResult,
  probeHttpResult,
} from './responses';
import { TokenPolicy } from './token';
import { Transport } from './transport';
import type {
  ApiPage,
  DownloadRequest,
  DownloadResponse,
  Endpoints,
  InfomaniakApi,
  ProbeResult,
  RequestOptions,
  ApiHost,
} from './types';

export interface RetryOptions {
  /** Retries after the first attempt of a JSON call or probe (default 3). Downloads: none. */
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
  /** Per-request timeout until the response headers, connecting and a proxy's tunnel included (default 30 000 ms). */
  timeoutMs?: number;
  /** A body that delivers no byte for this long fails with kind `timeout` (default 30 000 ms). */
  stallMs?: number;
  /** A JSON or probe body not read whole within this long fails with kind `timeout` (default 120 000 ms). */
  bodyDeadlineMs?: number;
  /** Requests in flight at once (default 6). */
  maxConcurrent?: number;
  /** The token's request budget (default 60 per 61 s). Ignored when `pacer` is given. */
  rateLimit?: PacerOptions;
  /** A pacer shared with other clients of the same token (not closed by `close()`). */
  pacer?: RequestPacer;
  /** HTTPS_PROXY / NO_PROXY from the shell's environment, and Electron's system proxy resolver. */
  proxy?: ProxyOptions;
  /**
   * The thread that writes large downloads (direct-wire.ts), shared among clients and owned by the
   * caller. Not given: the client starts its own when first needed.
   */
  downloadWorker?: DirectWorker;
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

export function createInfomaniakClient(options: InfomaniakClientOptions): InfomaniakClient {
  return new Client(options);
}

function settingsOf(options: InfomaniakClientOptions): Settings {
  return {
    retryLimit: Math.max(0, options.retry?.limit ?? 3),
    maxWaitMs: options.retry?.maxWaitMs ?? 60_000,
    defaultWaitMs: options.retry?.defaultWaitMs ?? 60_000,
    backoffMs: options.retry?.backoffMs ?? 500,
    timeoutMs: options.timeoutMs ?? 30_000,
    stallMs: options.stallMs ?? 30_000,
    bodyDeadlineMs: options.bodyDeadlineMs ?? 120_000,
  };
}

class Client implements InfomaniakClient {
  readonly endpoints: Endpoints;
  readonly pacer: RequestPacer;
  readonly #ctx: CallContext;
  readonly #transport: Transport;
  readonly #json: JsonCalls;

  constructor(options: InfomaniakClientOptions) {
    if (!options.token) throw new Error('The Infomaniak client needs a token.');
    this.endpoints = {
      api: validateBaseUrl(options.endpoints.api, 'The api endpoint'),
      calendar: validateBaseUrl(options.endpoints.calendar, 'The calendar endpoint'),
      contacts: validateBaseUrl(options.endpoints.contacts, 'The contacts endpoint'),
      mail: validateBaseUrl(options.endpoints.mail, 'The mail endpoint'),
    };
    const notify = notifyOrigin(options.endpoints);
    if (notify !== undefined)
      this.endpoints.notify = validateBaseUrl(notify, 'The notify endpoint', { httpsOnly: true });
    const policy = new TokenPolicy(
      options.token,
      Object.values(this.endpoints).filter((o): o is string => o !== undefined),
    );
    const settings = settingsOf(options);
    this.#ctx = new CallContext(settings, policy, options.log, options.onUnauthorized);
    this.#transport = new Transport({
      ca: options.ca,
      connectTimeoutMs: settings.timeoutMs,
      maxConcurrent: options.maxConcurrent,
      rateLimit: options.rateLimit,
      pacer: options.pacer,
      proxy: options.proxy,
      ...(options.downloadWorker ? { directWorker: options.downloadWorker } : {}),
    });
    this.pacer = this.#transport.pacer;
    this.#json = new JsonCalls(this.#ctx, this.#transport);
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  /** The origin of a host; the notify host may be absent (then nothing is sent). */
  #origin(host: ApiHost): string {
    const origin = this.endpoints[host];
    if (origin === undefined)
      throw new InfomaniakError({ kind: 'redirect', message: `No ${host} host is configured: nothing is sent there.` });
    return origin;
  }

  onRateLimitWait(listener: WaitListener): () => void {
    return this.pacer.onWait(listener);
  }

  async get<T = unknown>(host: ApiHost, path: string, options?: RequestOptions): Promise<ApiPage<T>> {
    return this.#followed(host, await this.#jsonCall<T>('GET', host, path, undefined, options), options);
  }

  async post<T = unknown>(host: ApiHost, path: string, body: unknown, options?: RequestOptions): Promise<ApiPage<T>> {
    const first = await this.#jsonCall<T>('POST', host, path, JSON.stringify(body ?? null), options);
    return this.#followed(host, first, options);
  }

  /** The data behind a redirect envelope (envelope-redirect.ts): GET on the same host. */
  #followed<T>(host: ApiHost, first: ApiPage<T>, options: RequestOptions | undefined): Promise<ApiPage<T>> {
    return followEnvelope(this.#origin(host), first, (hop) =>
      this.#jsonCall<T>('GET', host, hop.path, undefined, { ...options, searchParams: hop.searchParams }),
    );
  }

  async #jsonCall<T>(
    method: 'GET' | 'POST',
    host: ApiHost,
    path: string,
    body: string | undefined,
    options: RequestOptions | undefined,
  ): Promise<ApiPage<T>> {
    const ctx = this.#ctx;
    const url = ctx.buildUrl(this.#origin(host), path, options?.searchParams);
    const call = ctx.prepare(method, host, url, 'json', options);
    try {
      ctx.throwIfAborted(call, url);
      const { response, attempt } = await this.#json.send(call, body);
      const view = { ...response, headers: response.response.headers, url: attempt.url, withToken: attempt.withToken };
      if (response.status < 200 || response.status >= 300) {
        response.discard();
        throw httpError(ctx, call, view, null);
      }
      const text = await readText(ctx, call, attempt.url, response.response, MAX_JSON_BYTES);
      return decodePage<T>(ctx, call, view, text);
    } finally {
      call.release();
    }
  }

  async probe(host: ApiHost, path: string, options?: RequestOptions): Promise<ProbeResult> {
    const ctx = this.#ctx;
    const url = ctx.buildUrl(this.#origin(host), path, options?.searchParams);
    const call = ctx.prepare('GET', host, url, 'probe', options);
    try {
      ctx.throwIfAborted(call, url);
      const { response, attempt } = await this.#json.send(call);
      const { status } = response;
      if (status >= 300 && status < 400) {
        response.discard();
        return { kind: 'redirect', status, location: response.location };
      }
      const read = async (maxBytes: number): Promise<string | null> => {
        try {
          return await readText(ctx, call, attempt.url, response.response, maxBytes);
        } catch (error) {
          if (error instanceof InfomaniakError && error.kind === 'decode') return null;
          throw error;
        }
      };
      if (status >= 400) return probeHttpResult(ctx, status, await read(MAX_ERROR_BYTES));
      const contentType = response.response.headers.get('content-type');
      const text = await read(MAX_PROBE_BYTES);
      if (text === null) return { kind: 'not_json', status, contentType };
      return probeBodyResult(status, contentType, text);
    } finally {
      call.release();
    }
  }

  async download(host: ApiHost, path: string, options: DownloadRequest = {}): Promise<DownloadResponse> {
    const ctx = this.#ctx;
    const url = ctx.buildUrl(this.#origin(host), path, options.searchParams);
    const call = ctx.prepare('GET', host, url, 'download', options);
    try {
      ctx.throwIfAborted(call, url);
    } catch (error) {
      call.release();
      throw error;
    }
    return startDownload(ctx, this.#transport, call, options);
  }
}
