/**
 * The download byte path: undici's `Dispatcher.request` (Node streams), kept off fetch because
 * fetch's WHATWG stream layer delivered 35–50 % of curl's throughput on the bench's 1 GiB case
 * (bench/README.md, `download`). ONE attempt, never retried here: the transfers file writer owns
 * download retries and gets a typed error (with `retryAfterMs` when the server named a delay).
 * Redirect hops follow redirects.ts (another https origin without the token); each hop with the
 * token spends from the pacer; a timeout covers connecting and the headers of each hop.
 * A large body (`expectedBytes` ≥ 8 MiB) on a direct https connection is read by the direct reader
 * (direct-get.ts: reused buffers; why, with the bench's figures: README.md in this folder); the
 * response is handled the same way whichever reader got it.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { decoded, GuardedBody } from './body';
import { DirectBody } from './direct-get';
import { pauseAfter429, spend, type Call, type CallContext } from './call';
import { InfomaniakError, type InfomaniakErrorInit } from './errors';
import { networkCode } from './network-errors';
import { followRedirects, type Attempt, type RedirectView } from './redirects';
import { downloadExtent, httpError, MAX_ERROR_BYTES } from './responses';
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
  /** undici's stream, or the direct reader. */
  body: Readable | DirectBody;
}

/** Smallest expected body read by the direct reader (smaller ones reuse undici's pooled connections). */
export const DIRECT_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The guarded body of a response, its Content-Encoding undone. A direct body with an encoding (not
 * asked for: downloads send `accept-encoding: identity`) goes through the same decoders as a stream.
 */
function guardedBody(
  ctx: CallContext,
  call: Call,
  url: URL,
  status: number,
  response: StreamResponse,
  onFinish: () => void,
): { guarded: GuardedBody; direct: DirectBody | null } {
  const encoding = response.headers.get('content-encoding');
  const raw = response.body;
  let body: Readable;
  if (raw instanceof DirectBody) {
    if (encoding === null || /^\s*(identity)?\s*$/i.test(encoding)) {
      return { guarded: new GuardedBody(ctx, call, url, status, raw, onFinish), direct: raw };
    }
    body = Readable.from(new GuardedBody(ctx, call, url, status, raw, () => undefined), { objectMode: false });
  } else {
    body = raw;
  }
  const stream = decoded(ctx, call, url, { status, body, encoding });
  return { guarded: new GuardedBody(ctx, call, url, status, stream, onFinish), direct: null };
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
    const direct = (options.expectedBytes ?? 0) >= DIRECT_MIN_BYTES;
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
      const { guarded } = guardedBody(ctx, call, attempt.url, status, response, () => undefined);
      throw httpError(ctx, call, view, await readErrorText(guarded));
    }
    const { offset, totalSize } = downloadExtent(status, response.headers, options.start ?? 0);
    const { guarded: body, direct: directBody } = guardedBody(ctx, call, attempt.url, status, response, call.release);
    handedOver = true;
    return {
      status,
      totalSize,
      offset,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      contentType: response.headers.get('content-type'),
      body,
      ...(directBody
        ? {
            recycle: (chunk: Uint8Array) => directBody.recycle(chunk),
            sink: (fd: number, position: number, onProgress: (written: number) => void) =>
              body.sink(fd, position, onProgress),
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
    if (direct && (await transport.isDirect(url))) {
      const { status, headers: raw, body } = await transport.directGet({ url, headers: sent, signal });
      return answered(ctx, transport, call, attempt, started, {
        status,
        headers: raw,
        body,
        discard: () => body.destroy(),
      });
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
    const causeCode = networkCode(error);
    ctx.log(`GET ${ctx.safe(url)} failed (${causeCode ?? 'network'}) after ${Date.now() - started} ms`);
    const init: InfomaniakErrorInit = { kind: 'network', message: `failed (${causeCode ?? 'network error'})` };
    if (causeCode) init.causeCode = causeCode;
    throw ctx.error(call, url, init);
  } finally {
    clearTimeout(timer);
  }
}

/** A hop's answer, whichever reader got it: logged, a 429 paces the token. */
function answered(
  ctx: CallContext,
  transport: Transport,
  call: Call,
  attempt: Attempt,
  started: number,
  answer: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Readable | DirectBody;
    discard: () => void;
  },
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
