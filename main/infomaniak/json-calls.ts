/**
 * JSON calls and probes on ky. ky builds each request, runs the hooks, applies the timeout (until
 * the response headers) and owns the retries of these calls, as main/errors/classify.ts decides:
 * - GET and probes: network errors (not certificate errors, proxy refusals or malformed answers),
 *   429, 502, 503, 504; POST: 429 and 503 only; never other statuses, timeouts (ky's timeout spans
 *   all its attempts) or cancellations; at most `retry.limit` retries.
 * - Wait: Retry-After for 502–504 (ky reads it; capped by `maxWaitMs`; the rate-limit reset headers
 *   count for a 429 only), else an exponential backoff from `backoffMs`. A 429 pauses the token's pacer for the server's delay
 *   (or `defaultWaitMs`), so its retry — after ky's short backoff — waits in the pacer, where the
 *   caller's `onWait` hears how long, together with every other request of the token.
 * Hooks: `beforeRequest` spends the budget and puts the bearer on (only for the configured
 * origins, only while the redirect chain is on its first origin); `beforeError` turns a final error
 * status into a typed InfomaniakError. The fetch given to ky logs and pauses the pacer after a 429.
 * Redirects are not ky's: each hop is one ky request, and redirects.ts decides the next.
 */
import ky, { HTTPError, TimeoutError, type KyInstance, type NormalizedOptions, type ShouldRetryState } from 'ky';
import { pauseAfter429, spend, type Call, type CallContext } from './call';
import { retryAfterFromHeaders } from './envelope';
import { InfomaniakError } from './errors';
import { classify, retriesStatus } from '../errors/classify';
import { networkCode } from './network-errors';
import { followRedirects, type Attempt, type RedirectView } from './redirects';
import { readText } from './body';
import { httpError, MAX_ERROR_BYTES } from './responses';
import type { Transport } from './transport';

/** The error statuses the classifier says to send again, per method (derived once, for ky). */
function statusesToRetry(method: 'GET' | 'POST'): number[] {
  const statuses: number[] = [];
  for (let status = 400; status < 600; status++) {
    if (retriesStatus(new InfomaniakError({ kind: 'http', status, message: '' }).toAppError(), method)) {
      statuses.push(status);
    }
  }
  return statuses;
}

export const GET_RETRY_STATUSES = statusesToRetry('GET');
export const POST_RETRY_STATUSES = statusesToRetry('POST');
const USER_AGENT = 'PowerOn-Sources';

/** A fetch response with what the redirect policy needs. */
interface FetchedResponse extends RedirectView {
  response: Response;
}

/** Per-request data the hooks need (ky's `context`). */
interface HookContext {
  call: Call;
  attempt: Attempt;
  started: number;
}

function retryStatuses(call: Call): number[] {
  return call.method === 'GET' ? GET_RETRY_STATUSES : POST_RETRY_STATUSES;
}

function noop(): void {}

export class JsonCalls {
  readonly #ctx: CallContext;
  readonly #transport: Transport;
  readonly #ky: KyInstance;
  readonly #contexts = new WeakMap<Request, HookContext>();

  constructor(ctx: CallContext, transport: Transport) {
    this.#ctx = ctx;
    this.#transport = transport;
    this.#ky = ky.create({
      fetch: (input, init) => this.#fetch(input, init),
      throwHttpErrors: (status) => status >= 400,
      hooks: {
        beforeRequest: [(request, options) => this.#beforeRequest(request, options)],
        beforeError: [(error, state) => this.#beforeError(error, state.retryCount)],
      },
    });
  }

  /**
   * Sends the call and follows the redirects the policy allows. Resolves with the last response
   * (probes: also an error status); a JSON call's final error status is thrown as a typed error.
   */
  send(call: Call, body?: string): Promise<{ response: FetchedResponse; attempt: Attempt }> {
    const first: Attempt = { url: call.url, method: call.method, withToken: true };
    if (body !== undefined) first.body = body;
    return followRedirects(this.#ctx, call, first, (attempt) => this.#request(call, attempt));
  }

  async #request(call: Call, attempt: Attempt): Promise<FetchedResponse> {
    const { retryLimit, maxWaitMs, backoffMs } = this.#ctx.settings;
    const statuses = retryStatuses(call);
    const headers: Record<string, string> = {
      accept: 'application/json',
      // Compressed answers are accepted (fetch inflates them; body.ts caps the inflated size).
      'accept-encoding': 'gzip, deflate',
      'user-agent': USER_AGENT,
    };
    if (attempt.body !== undefined) headers['content-type'] = 'application/json';
    const context: HookContext = { call, attempt, started: Date.now() };
    let response: Response;
    try {
      response = await this.#ky(attempt.url, {
        method: attempt.method,
        headers,
        ...(attempt.body !== undefined ? { body: attempt.body } : {}),
        signal: call.controller.signal,
        timeout: call.timeoutMs > 0 ? call.timeoutMs : false,
        context: context as unknown as Record<string, unknown>,
        retry: {
          limit: retryLimit,
          methods: [attempt.method.toLowerCase()],
          statusCodes: statuses,
          // 429 is left to the pacer (see above); the others honour Retry-After here.
          afterStatusCodes: statuses.filter((status) => status !== 429),
          maxRetryAfter: maxWaitMs,
          backoffLimit: maxWaitMs,
          delay: (retry) => backoffMs * 2 ** (retry - 1),
          shouldRetry: (state) => this.#shouldRetry(context, state),
        },
      });
    } catch (error) {
      if (error instanceof HTTPError && call.purpose === 'probe') response = error.response;
      else throw this.#typed(context, error);
    }
    return {
      response,
      status: response.status,
      location: response.headers.get('location'),
      discard: () => void response.body?.cancel().catch(noop),
    };
  }

  async #beforeRequest(request: Request, options: NormalizedOptions): Promise<void> {
    const context = options.context as unknown as HookContext;
    const { call, attempt } = context;
    if (attempt.withToken) await spend(this.#ctx, this.#transport.pacer, call, attempt.url);
    request.headers.delete('authorization');
    if (attempt.withToken) request.headers.set('authorization', this.#ctx.policy.bearerFor(attempt.url));
    context.started = Date.now();
    // ky hands this very Request to #fetch.
    this.#contexts.set(request, context);
  }

  /**
   * The transport's fetch, plus what every response of a JSON call or probe needs at once: the log
   * line and, after a 429 with the token, the pacer's pause. (Done here rather than in an
   * `afterResponse` hook, for which ky would tee every response body.)
   */
  async #fetch(input: Request | URL | string, init?: RequestInit): Promise<Response> {
    const response = await this.#transport.fetch(input, init);
    const context = input instanceof Request ? this.#contexts.get(input) : undefined;
    if (context) {
      const ctx = this.#ctx;
      const { call, attempt, started } = context;
      ctx.log(`${attempt.method} ${ctx.safe(attempt.url)} ${response.status} ${Date.now() - started} ms`);
      if (response.status === 429 && attempt.withToken) {
        pauseAfter429(ctx, this.#transport.pacer, call, attempt.url, response.headers);
      }
    }
    return response;
  }

  /**
   * Every error status passes here before ky decides on a retry: the final one of a JSON call (not
   * retriable, or no retry left) becomes a typed InfomaniakError, decoded from its bounded body.
   * Probes keep ky's HTTPError: their caller reads the response.
   */
  async #beforeError(error: HTTPError, retryCount: number): Promise<HTTPError> {
    const ctx = this.#ctx;
    const { call, attempt } = error.options.context as unknown as HookContext;
    const { status } = error.response;
    if (call.purpose === 'probe') return error;
    if (retryStatuses(call).includes(status) && retryCount < ctx.settings.retryLimit) return error;
    let text: string | null = null;
    try {
      text = await readText(ctx, call, attempt.url, error.response, MAX_ERROR_BYTES);
    } catch (readError) {
      if (!(readError instanceof InfomaniakError && readError.kind === 'decode')) throw readError;
    }
    const view = { status, headers: error.response.headers, url: attempt.url, withToken: attempt.withToken };
    throw httpError(ctx, call, view, text);
  }

  /** ky asks before each retry: retriable statuses and (for GET) network errors; logs the plan. */
  #shouldRetry(context: HookContext, { error, retryCount }: ShouldRetryState): boolean | undefined {
    const ctx = this.#ctx;
    const { call, attempt } = context;
    const { retryLimit, maxWaitMs, defaultWaitMs, backoffMs } = ctx.settings;
    const backoff = Math.min(maxWaitMs, backoffMs * 2 ** (retryCount - 1));
    const plan = `retry ${retryCount}/${retryLimit}`;
    if (error instanceof HTTPError) {
      const { status, headers } = error.response;
      if (!retryStatuses(call).includes(status)) return false;
      const asked = retryAfterFromHeaders(headers, status);
      const wait = Math.min(maxWaitMs, asked ?? (status === 429 ? defaultWaitMs : backoff));
      void error.response.body?.cancel().catch(noop);
      ctx.log(
        `${attempt.method} ${ctx.safe(attempt.url)} ${status}; ${plan} in ${wait} ms` +
          (asked !== undefined ? ' (as the server asked)' : ''),
      );
      // ky would also read the rate-limit window's reset headers as a delay; for a 5xx only
      // Retry-After (which ky reads first) counts, else the backoff (`true` = ky's delay).
      return asked !== undefined && status !== 429 ? undefined : true;
    }
    if (error instanceof InfomaniakError || error instanceof TimeoutError) return false;
    if (call.controller.signal.aborted || attempt.method !== 'GET') return false;
    if (!classify(error).retry) return false;
    const code = networkCode(error);
    ctx.log(`${attempt.method} ${ctx.safe(attempt.url)} failed (${code ?? 'network'}); ${plan} in ${backoff} ms`);
    return true;
  }

  /** What ky threw, as a typed error. */
  #typed(context: HookContext, error: unknown): InfomaniakError {
    const ctx = this.#ctx;
    const { call, attempt, started } = context;
    if (error instanceof InfomaniakError) return error;
    if (call.controller.signal.aborted) return ctx.abortError(call, attempt.url);
    const elapsed = Date.now() - started;
    if (error instanceof TimeoutError) {
      ctx.log(`${attempt.method} ${ctx.safe(attempt.url)} timed out after ${elapsed} ms`);
      return ctx.error(call, attempt.url, { kind: 'timeout', message: `no answer within ${call.timeoutMs} ms` });
    }
    if (error instanceof HTTPError) {
      const { status, headers } = error.response;
      return httpError(ctx, call, { status, headers, url: attempt.url, withToken: attempt.withToken }, null);
    }
    ctx.log(
      `${attempt.method} ${ctx.safe(attempt.url)} failed (${networkCode(error) ?? 'network'}) after ${elapsed} ms`,
    );
    return ctx.failure(call, attempt.url, error);
  }
}
