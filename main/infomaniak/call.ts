/**
 * One logical call (all its attempts and redirect hops) and what every part of the client shares
 * about it: the settings, the token policy, the log, and how errors are made (method + safe URL in
 * the message, token redacted from everything).
 */
import { InfomaniakError, type InfomaniakErrorInit } from './errors';
import { isParseCode, networkCode, proxyStatusOf } from './network-errors';
import { retryAfterFromHeaders } from './envelope';
import type { RequestPacer, WaitListener } from './pacer';
import type { TokenPolicy } from './token';
import type { ApiHost, RequestLane, RequestOptions, SearchParams } from './types';

export type Method = 'GET' | 'POST';
type Purpose = 'json' | 'probe' | 'download';

export interface Settings {
  /** Retries after the first attempt (JSON calls and probes). */
  retryLimit: number;
  maxWaitMs: number;
  defaultWaitMs: number;
  backoffMs: number;
  timeoutMs: number;
  stallMs: number;
  /** Overall deadline for reading a JSON or probe body. */
  bodyDeadlineMs: number;
}

export interface Call {
  method: Method;
  host: ApiHost;
  /** The URL the call started at. */
  url: URL;
  purpose: Purpose;
  timeoutMs: number;
  /**
   * Aborted by the caller's signal, by `cancel()`, or with an InfomaniakError as reason (timeout,
   * stall, deadline). Every request of the call listens to it.
   */
  controller: AbortController;
  /** Told when a request of this call waits for the token's budget (RequestOptions.onWait). */
  onWait?: WaitListener;
  /** The budget lane every request of this call waits in (RequestOptions.lane; pacer.ts). */
  lane?: RequestLane;
  /** Told when a request of this call is sent (RequestOptions.onRequest). */
  onRequest?: () => void;
  /** Stops listening to the caller's signal. */
  release: () => void;
}

export class CallContext {
  readonly settings: Settings;
  readonly policy: TokenPolicy;
  readonly log: (line: string) => void;
  readonly #onUnauthorized: () => void;

  constructor(settings: Settings, policy: TokenPolicy, log?: (line: string) => void, onUnauthorized?: () => void) {
    this.settings = settings;
    this.policy = policy;
    this.log = log ? (line) => log(policy.redact(line)) : () => undefined;
    this.#onUnauthorized = () => {
      try {
        onUnauthorized?.();
      } catch {
        // A listener's bug must not turn into the caller's error.
      }
    };
  }

  unauthorized(): void {
    this.#onUnauthorized();
  }

  /** The URL of `path` on `base`; refuses paths that would leave the host. */
  buildUrl(base: string, path: string, searchParams: SearchParams | undefined): URL {
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
      throw new TypeError(`An Infomaniak path must start with a single "/" (got ${JSON.stringify(path)}).`);
    }
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

  prepare(method: Method, host: ApiHost, url: URL, purpose: Purpose, options: RequestOptions | undefined): Call {
    // Node's default limit (10) stays: a call's signal has at most a few listeners (2 measured),
    // so its warning would point at a real leak.
    const controller = new AbortController();
    const callerSignal = options?.signal;
    let release: () => void = () => undefined;
    if (callerSignal) {
      const onAbort = () =>
        controller.abort(
          new InfomaniakError({ kind: 'cancelled', message: `${method} ${this.safe(url)} cancelled`, host: url.host }),
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
      purpose,
      timeoutMs: options?.timeoutMs ?? this.settings.timeoutMs,
      controller,
      release,
    };
    if (options?.onWait) call.onWait = options.onWait;
    if (options?.lane) call.lane = options.lane;
    if (options?.onRequest) call.onRequest = options.onRequest;
    return call;
  }

  safe(url: URL): string {
    return this.policy.safeUrl(url);
  }

  /** An InfomaniakError whose message starts with method and safe URL; token redacted everywhere. */
  error(call: Call, url: URL, init: InfomaniakErrorInit): InfomaniakError {
    const full: InfomaniakErrorInit = {
      ...init,
      message: this.policy.redact(`${call.method} ${this.safe(url)}: ${init.message}`),
      host: init.host ?? url.host,
    };
    if (init.description !== undefined) full.description = this.policy.redact(init.description);
    return new InfomaniakError(full);
  }

  /**
   * The error for a request that failed below HTTP, before its answer: the connection (`network`,
   * with its `causeCode`), a proxy that would not open the tunnel (`network` with `proxyStatus`;
   * 407: it wants a password), or a malformed answer (`decode`, an `HPE_*` code).
   */
  failure(call: Call, url: URL, error: unknown): InfomaniakError {
    const causeCode = networkCode(error);
    const proxyStatus = proxyStatusOf(error);
    const init: InfomaniakErrorInit =
      proxyStatus !== undefined
        ? { kind: 'network', message: `the proxy answered CONNECT with ${proxyStatus}`, proxyStatus }
        : isParseCode(causeCode)
          ? { kind: 'decode', message: `malformed answer (${causeCode})`, description: 'malformed answer' }
          : { kind: 'network', message: `failed (${causeCode ?? 'network error'})` };
    if (causeCode) init.causeCode = causeCode;
    return this.error(call, url, init);
  }

  /** The error for an aborted call: the abort's own InfomaniakError (timeout, stall), else `cancelled`. */
  abortError(call: Call, url: URL): InfomaniakError {
    const reason: unknown = call.controller.signal.reason;
    if (reason instanceof InfomaniakError) return reason;
    return this.error(call, url, { kind: 'cancelled', message: 'cancelled' });
  }

  throwIfAborted(call: Call, url: URL): void {
    if (call.controller.signal.aborted) throw this.abortError(call, url);
  }
}

/** Spends one request of the token's budget for `call` (the request is sent next), logging the first wait. */
export async function spend(ctx: CallContext, pacer: RequestPacer, call: Call, url: URL): Promise<void> {
  let logged = false;
  await pacer.take(
    call.controller.signal,
    (ms) => {
      if (ms > 0 && !logged) {
        logged = true;
        ctx.log(`${call.method} ${ctx.safe(url)} waits ${ms} ms for the token's request budget`);
      }
      call.onWait?.(ms);
    },
    call.lane,
  );
  call.onRequest?.();
}

/** After a 429 to a request with the token: every request of the token waits the server's delay. */
export function pauseAfter429(
  ctx: CallContext,
  pacer: RequestPacer,
  call: Call,
  url: URL,
  headers: { get(name: string): string | null },
): void {
  const { maxWaitMs, defaultWaitMs } = ctx.settings;
  const pause = Math.min(maxWaitMs, retryAfterFromHeaders(headers) ?? defaultWaitMs);
  pacer.pause(pause);
  ctx.log(`${call.method} ${ctx.safe(url)} 429: every request of this token waits ${pause} ms`);
}
