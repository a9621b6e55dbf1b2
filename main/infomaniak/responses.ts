/**
 * Responses: an HTTP response (status, headers, body text) → typed data (`ApiPage`, `ProbeResult`)
 * or a typed `InfomaniakError` (status, Infomaniak code, missing scope, retry-after).
 *
 * Whatever a server sends back is untrusted: an error code is kept only in the documented shape
 * (`/^[a-z0-9_]{1,64}$/`) and when it holds no piece of the token; a description is redacted; a
 * scope name that holds a piece of the token is dropped. So an echoed token never reaches an error
 * that crosses IPC or is stored.
 */
import type { Call, CallContext } from './call';
import { decodeError, decodeSuccess, retryAfterFromHeaders, type EnvelopeError } from './envelope';
import type { InfomaniakError, InfomaniakErrorInit } from './errors';
import type { ApiPage, ProbeResult } from './types';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;
export const MAX_PROBE_BYTES = 4 * 1024 * 1024;
export const MAX_ERROR_BYTES = 256 * 1024;

const API_CODE = /^[a-z0-9_]{1,64}$/;

interface HeaderView {
  get(name: string): string | null;
}

/** What is known of a response when it is decoded. */
interface ResponseView {
  status: number;
  headers: HeaderView;
  /** The URL that answered. */
  url: URL;
  /** Whether the request that got it carried the token. */
  withToken: boolean;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The error envelope in `text` with every field made safe, or null when there is none. */
function safeEnvelopeError(ctx: CallContext, text: string | null): EnvelopeError | null {
  const parsed = text === null ? undefined : parseJson(text);
  const error = parsed === undefined ? null : decodeError(parsed);
  if (!error) return null;
  const safe: EnvelopeError = {};
  if (error.apiCode && API_CODE.test(error.apiCode) && !ctx.policy.leaks(error.apiCode)) safe.apiCode = error.apiCode;
  if (error.description) safe.description = ctx.policy.redact(error.description);
  if (error.missingScope && !ctx.policy.leaks(error.missingScope)) safe.missingScope = error.missingScope;
  return safe;
}

/** The typed error for an HTTP error status, from the (bounded) body text when one was read. */
export function httpError(ctx: CallContext, call: Call, response: ResponseView, text: string | null): InfomaniakError {
  const { status } = response;
  if (status >= 300 && status < 400) {
    return ctx.error(call, response.url, { kind: 'http', status, message: `unexpected ${status}` });
  }
  return envelopeError(ctx, call, response, safeEnvelopeError(ctx, text) ?? {});
}

function envelopeError(ctx: CallContext, call: Call, response: ResponseView, error: EnvelopeError): InfomaniakError {
  const { status } = response;
  const init: InfomaniakErrorInit = {
    kind: 'http',
    status,
    message: `${status}${error.apiCode ? ` ${error.apiCode}` : ''}${error.missingScope ? ` (missing scope ${error.missingScope})` : ''}`,
  };
  if (error.apiCode) init.apiCode = error.apiCode;
  if (error.description) init.description = error.description;
  if (error.missingScope) init.missingScope = error.missingScope;
  const asked = retryAfterFromHeaders(response.headers, status);
  if (status === 429) init.retryAfterMs = asked ?? ctx.settings.defaultWaitMs;
  else if (asked !== undefined && status >= 500) init.retryAfterMs = asked;
  if (status === 401 && response.withToken && error.apiCode !== 'all_scopes' && call.purpose !== 'probe') {
    ctx.unauthorized();
  }
  return ctx.error(call, response.url, init);
}

/** A 2xx JSON body → ApiPage; anything else → a typed error to throw. */
export function decodePage<T>(ctx: CallContext, call: Call, response: ResponseView, text: string): ApiPage<T> {
  const { status } = response;
  if (status === 204 || text.trim() === '') return { data: null as T };
  const parsed = parseJson(text);
  if (parsed === undefined) {
    const contentType = response.headers.get('content-type') ?? 'no content type';
    throw ctx.error(call, response.url, {
      kind: 'decode',
      status,
      message: `${status} answer is not JSON (${contentType})`,
      description: `not JSON: ${contentType.split(';')[0]}`,
    });
  }
  const page = decodeSuccess<T>(parsed);
  if (page) {
    if (page.redirectUri !== undefined) {
      ctx.log(`${call.method} ${ctx.safe(response.url)}: redirect envelope to ${safeUri(ctx, page.redirectUri)}`);
    }
    return page;
  }
  const error = safeEnvelopeError(ctx, text);
  if (error) throw envelopeError(ctx, call, response, error);
  throw ctx.error(call, response.url, {
    kind: 'decode',
    status,
    message: `${status} answer has no Infomaniak envelope`,
    description: 'no Infomaniak envelope',
  });
}

function safeUri(ctx: CallContext, uri: string): string {
  try {
    return ctx.safe(new URL(uri));
  } catch {
    return 'an invalid address';
  }
}

/** A probe's outcome for a status ≥ 400 (never thrown). */
export function probeHttpResult(ctx: CallContext, status: number, text: string | null): ProbeResult {
  const error = safeEnvelopeError(ctx, text);
  const result: ProbeResult = { kind: 'http', status };
  if (error?.apiCode) result.apiCode = error.apiCode;
  if (error?.description) result.description = error.description;
  return result;
}

/** A probe's outcome for a 2xx body. */
export function probeBodyResult(status: number, contentType: string | null, text: string): ProbeResult {
  const parsed = parseJson(text);
  if (typeof parsed === 'object' && parsed !== null) return { kind: 'json', status, body: parsed };
  return { kind: 'not_json', status, contentType };
}

export function parseNonNegativeInt(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** `bytes a-b/total` (total may be `*`). */
function parseContentRange(value: string | null): { start: number; end: number; total: number | null } | null {
  if (!value) return null;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

/** Where a download body starts and how big the whole resource is, from a 200/206's headers. */
export function downloadExtent(
  status: 200 | 206,
  headers: HeaderView,
  requestedStart: number,
): { offset: number; totalSize: number | null } {
  const contentLength = parseNonNegativeInt(headers.get('content-length'));
  const encoded = (headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  if (status === 206) {
    const range = parseContentRange(headers.get('content-range'));
    if (range) return { offset: range.start, totalSize: range.total };
    return {
      offset: requestedStart,
      totalSize: contentLength !== null && !encoded ? requestedStart + contentLength : null,
    };
  }
  return { offset: 0, totalSize: contentLength !== null && !encoded ? contentLength : null };
}

/** The error for a body longer than the size announced for it (the listing's, Content-Length). */
export function tooLong(ctx: CallContext, call: Call, url: URL, status: number, limit: number): InfomaniakError {
  ctx.log(`${call.method} ${ctx.safe(url)} body longer than the announced ${limit} bytes; dropped`);
  return ctx.error(call, url, {
    kind: 'integrity',
    status,
    message: `body longer than the announced ${limit} bytes`,
    description: `more data than the announced ${limit} bytes`,
  });
}
