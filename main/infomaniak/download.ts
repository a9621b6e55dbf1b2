/**
 * The download byte path: undici's `Dispatcher.request` (Node streams), kept off fetch because
 * fetch's WHATWG stream layer delivered 35–50 % of curl's throughput on the bench's 1 GiB case
 * (bench/README.md, `download`). ONE attempt, never retried here: the transfers file writer owns
 * download retries and gets a typed error (with `retryAfterMs` when the server named a delay).
 * Redirect hops follow redirects.ts (another https origin without the token); each hop with the
 * token spends from the pacer; a timeout covers connecting (proxy tunnel included) and the headers
 * of each hop. The size announced for the file (`expectedBytes`) bounds every body.
 * A large body (`expectedBytes` ≥ 8 MiB) that the caller writes into a file (`toFile`), on a
 * direct https connection, goes to the download thread (direct-get.ts; why, with the bench's
 * figures: README.md in this folder) when its answer is an identity-encoded 200/206 with a
 * Content-Length; any other 200/206 is asked again from undici.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { decoded, GuardedBody } from './body';
import { DirectBody } from './direct-get';
import { pauseAfter429, spend, type Call, type CallContext } from './call';
import { InfomaniakError } from './errors';
import { networkCode } from './network-errors';
import { followRedirects, type Attempt, type RedirectView } from './redirects';
import { downloadExtent, httpError, MAX_ERROR_BYTES, parseNonNegativeInt, tooLong } from './responses';
import type { Transport } from './transport';
import type { DownloadRequest, DownloadResponse } from './types';

/** Case-insensitive, read-only view of undici's response headers (repeated ones joined by ", "). */
class ResponseHeaders {
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

interface StreamResponse extends RedirectView {
  headers: ResponseHeaders;
  /** undici's stream, or the download thread's connection (an error answer's or a sinkable body). */
  body: Readable | DirectBody;
}

/** Smallest expected body sent to the download thread (smaller ones reuse undici's pooled connections). */
export const DIRECT_MIN_BYTES = 8 * 1024 * 1024;

function identityEncoded(headers: ResponseHeaders): boolean {
  const encoding = headers.get('content-encoding');
  return encoding === null || /^\s*(identity)?\s*$/i.test(encoding);
}

/**
 * The guarded body of a response, its Content-Encoding undone, at most `limit` bytes after
 * decoding. A body of the download thread is only read for an error answer: as it came.
 */
function guardedBody(
  ctx: CallContext,
  call: Call,
  url: URL,
  status: number,
  response: StreamResponse,
  onFinish: () => void,
  limit: number | null = null,
): GuardedBody {
  const raw = response.body;
  if (raw instanceof DirectBody) return new GuardedBody(ctx, call, url, status, raw, onFinish, limit);
  const encoding = response.headers.get('content-encoding');
  const stream = decoded(ctx, call, url, { status, body: raw, encoding });
  return new GuardedBody(ctx, call, url, status, stream, onFinish, limit);
}

/** The most body bytes the file's announced size leaves for an answer starting at `offset`, or null. */
function bodyLimit(options: DownloadRequest, offset: number): number | null {
  const expected = options.expectedBytes;
  if (expected === undefined || !Number.isSafeInteger(expected) || expected < 0) return null;
  return Math.max(0, (options.start ?? 0) + expected - offset);
}

function downloadHeaders(options: DownloadRequest): Record<string, string> {
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) throw new TypeError('download start must be a non-negative integer');
  const headers: Record<string, string> = {
    accept: '*/*',
    'accept-encoding': 'identity',
    'user-agent': 'PowerOn-Sources',
  };
  if (start > 0) headers['range'] = `bytes=${start}-`;
  if (start > 0 && options.ifRange) headers['if-range'] = options.ifRange;
  return headers;
}

/** Runs the download call: one attempt (with its redirect hops), headers checked, body guarded. */
export async function startDownload(
  ctx: CallContext,
  transport: Transport,
  call: Call,
  options: DownloadRequest,
): Promise<DownloadResponse> {
  const headers = downloadHeaders(options);
  let handedOver = false;
  try {
    const first: Attempt = { url: call.url, method: 'GET', withToken: true };
    const direct = options.toFile === true && (options.expectedBytes ?? 0) >= DIRECT_MIN_BYTES;
    const { response, attempt } = await followRedirects(ctx, call, first, (a) =>
      sendOnce(ctx, transport, call, a, headers, direct),
    );
    const status = response.status;
    if (status !== 200 && status !== 206) {
      const view = { status, headers: response.headers, url: attempt.url, withToken: attempt.withToken };
      if (status >= 200 && status < 400) {
        response.discard();
        throw ctx.error(call, attempt.url, {
          kind: status < 300 ? 'decode' : 'http',
          status,
          message: `unexpected status ${status} for a download`,
          description: `unexpected status ${status} for a download`,
        });
      }
      const guarded = guardedBody(ctx, call, attempt.url, status, response, () => undefined);
      throw httpError(ctx, call, view, await readErrorText(guarded));
    }
    const { offset, totalSize } = downloadExtent(status, response.headers, options.start ?? 0);
    const limit = bodyLimit(options, offset);
    const length = identityEncoded(response.headers)
      ? parseNonNegativeInt(response.headers.get('content-length'))
      : null;
    if (limit !== null && length !== null && length > limit) {
      response.discard();
      throw tooLong(ctx, call, attempt.url, status, limit);
    }
    const body = guardedBody(ctx, call, attempt.url, status, response, call.release, limit);
    const sinkable = response.body instanceof DirectBody;
    handedOver = true;
    return {
      status,
      totalSize,
      offset,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      contentType: response.headers.get('content-type'),
      body,
      ...(sinkable
        ? {
            sink: (
              fd: number,
              position: number,
              onProgress: (written: number) => void,
              bandwidth?: SharedArrayBuffer,
            ) => body.sink(fd, position, onProgress, bandwidth),
          }
        : {}),
      cancel: () => {
        if (!call.controller.signal.aborted) {
          call.controller.abort(ctx.error(call, attempt.url, { kind: 'cancelled', message: 'download cancelled' }));
        }
        call.release();
      },
    };
  } finally {
    if (!handedOver) call.release();
  }
}

/** A bounded read of an error body (256 KiB, stall-guarded), or null when it cannot be read. */
async function readErrorText(body: AsyncIterable<Uint8Array>): Promise<string | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > MAX_ERROR_BYTES) return null;
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof InfomaniakError && error.kind === 'cancelled') throw error;
    return null;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request of the download; resolves at the response headers. */
async function sendOnce(
  ctx: CallContext,
  transport: Transport,
  call: Call,
  attempt: Attempt,
  headers: Record<string, string>,
  direct: boolean,
): Promise<StreamResponse> {
  const { url } = attempt;
  const signal = call.controller.signal;
  let started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const sent: Record<string, string> = { ...headers };
    if (attempt.withToken) {
      await spend(ctx, transport.pacer, call, url);
      sent['authorization'] = ctx.policy.bearerFor(url);
      started = Date.now();
    }
    if (call.timeoutMs > 0) {
      timer = setTimeout(() => {
        ctx.log(`GET ${ctx.safe(url)} timed out after ${Date.now() - started} ms`);
        const error = ctx.error(call, url, { kind: 'timeout', message: `no answer within ${call.timeoutMs} ms` });
        if (!signal.aborted) call.controller.abort(error);
      }, call.timeoutMs);
    }
    if (direct) {
      const answer = await sendDirect(ctx, transport, call, attempt, sent);
      if (typeof answer === 'object') return answered(ctx, transport, call, attempt, started, answer);
      if (answer === 'again' && attempt.withToken) {
        await spend(ctx, transport.pacer, call, url);
        started = Date.now();
        timer?.refresh();
      }
    }
    const options: Omit<Dispatcher.RequestOptions, 'highWaterMark'> = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: sent,
      signal,
    };
    const data = await transport.request(options);
    const { statusCode: status, headers: raw, body } = data;
    return answered(ctx, transport, call, attempt, started, {
      status,
      headers: raw,
      body,
      discard: () => body.destroy(),
    });
  } catch (error) {
    if (error instanceof InfomaniakError) throw error;
    if (signal.aborted) throw ctx.abortError(call, url);
    ctx.log(`GET ${ctx.safe(url)} failed (${networkCode(error) ?? 'network'}) after ${Date.now() - started} ms`);
    throw ctx.failure(call, url, error);
  } finally {
    clearTimeout(timer);
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable | DirectBody;
  discard: () => void;
}

/**
 * The hop on the download thread, or `undici` when undici is to send it (the thread is not
 * running, the origin is proxied), or `again` when the thread's answer is one it cannot take: a
 * 200/206 that is not an identity-encoded body with a Content-Length (its origin goes to undici
 * from then on), or an error answer whose body it cannot read (chunked or encoded). The hop is
 * then asked again from undici, spending again when it carries the token. Redirects, a 429 and
 * error answers with a readable body are used as they are.
 */
async function sendDirect(
  ctx: CallContext,
  transport: Transport,
  call: Call,
  attempt: Attempt,
  sent: Record<string, string>,
): Promise<Answer | 'undici' | 'again'> {
  const { url } = attempt;
  const response = await transport.directGet({ url, headers: sent, signal: call.controller.signal });
  if (!response) return 'undici';
  const { status, headers, body } = response;
  const answer: Answer = { status, headers, body, discard: () => body.destroy() };
  const identity = identityEncoded(new ResponseHeaders(headers));
  if (status === 200 || status === 206) {
    if (body.length !== null && identity) return answer;
    transport.notForTheThread(url);
  } else if ((status >= 300 && status < 400) || status === 429 || (identity && !body.chunked)) {
    return answer;
  }
  body.destroy();
  ctx.log(`GET ${ctx.safe(url)} ${status}: a body the download thread does not take; asked again from undici`);
  return 'again';
}

/** A hop's answer, whichever reader got it: logged, a 429 paces the token. */
function answered(
  ctx: CallContext,
  transport: Transport,
  call: Call,
  attempt: Attempt,
  started: number,
  answer: Answer,
): StreamResponse {
  const { url } = attempt;
  const headers = new ResponseHeaders(answer.headers);
  ctx.log(`GET ${ctx.safe(url)} ${answer.status} ${Date.now() - started} ms`);
  if (answer.status === 429 && attempt.withToken) pauseAfter429(ctx, transport.pacer, call, url, headers);
  return {
    status: answer.status,
    location: headers.get('location'),
    headers,
    body: answer.body,
    discard: answer.discard,
  };
}
