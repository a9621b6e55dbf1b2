/**
 * Decoding of Infomaniak's answer envelope (docs/infomaniak-api.md, "Envelope"):
 *   success: {result:"success"|"asynchronous", data, cursor?, has_more?, response_at?, total?, page?,
 *             pages?, items_per_page?}
 *   redirect: {result:"redirect", uri} → an ApiPage with `data: null` and `redirectUri`
 *   error:   {result:"error", error:{code, description, context, errors}}
 * Tolerant by design: the error may also be a bare string or OAuth-style ({error, error_description}),
 * and the way a 403 `all_scopes` names the missing scope is a guess, so several places are searched.
 */
import { isRecord } from '../../shared/model/records';
import type { ApiPage } from './types';

type Json = Record<string, unknown>;

/**
 * The success envelope (also `asynchronous`, and `redirect` with its `uri`) as an ApiPage, or null
 * when `body` is not one.
 */
export function decodeSuccess<T>(body: unknown): ApiPage<T> | null {
  if (!isRecord(body)) return null;
  if (body['result'] === 'redirect') {
    const uri = body['uri'];
    return typeof uri === 'string' && uri.trim() !== '' ? { data: null as T, redirectUri: uri.trim() } : null;
  }
  if (body['result'] !== 'success' && body['result'] !== 'asynchronous') return null;
  const page: ApiPage<T> = { data: (body['data'] ?? null) as T };
  const cursor = body['cursor'];
  if (typeof cursor === 'string' || cursor === null) page.cursor = cursor;
  if (typeof body['has_more'] === 'boolean') page.hasMore = body['has_more'];
  if (isFiniteNumber(body['response_at'])) page.responseAt = body['response_at'];
  if (isFiniteNumber(body['total'])) page.total = body['total'];
  if (isFiniteNumber(body['page'])) page.page = body['page'];
  if (isFiniteNumber(body['pages'])) page.pages = body['pages'];
  if (isFiniteNumber(body['items_per_page'])) page.itemsPerPage = body['items_per_page'];
  return page;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export interface EnvelopeError {
  apiCode?: string;
  description?: string;
  missingScope?: string;
}

const MAX_DESCRIPTION = 300;

/** The error part of an error envelope, or null when `body` carries no recognisable error. */
export function decodeError(body: unknown): EnvelopeError | null {
  if (!isRecord(body)) return null;
  if (body['result'] === 'success' || body['result'] === 'asynchronous' || body['result'] === 'redirect') return null;
  const raw = body['error'];
  const out: EnvelopeError = {};
  if (isRecord(raw)) {
    const code = shortString(raw['code']);
    if (code) out.apiCode = code;
    const description =
      shortString(raw['description'], MAX_DESCRIPTION) ?? shortString(raw['message'], MAX_DESCRIPTION);
    if (description) out.description = description;
    const scope = findMissingScope(raw);
    if (scope && (out.apiCode === 'all_scopes' || out.apiCode === undefined)) out.missingScope = scope;
  } else if (typeof raw === 'string') {
    const code = shortString(raw);
    if (code) out.apiCode = code;
    const description = shortString(body['error_description'], MAX_DESCRIPTION);
    if (description) out.description = description;
  } else if (body['result'] !== 'error') {
    return null;
  }
  return out;
}

function shortString(value: unknown, max = 100): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}

/** Scope names the app knows; longest first so `workspace:contact` wins over a bare word. */
export const KNOWN_SCOPES = [
  'workspace:calendar',
  'workspace:contact',
  'workspace:mail',
  'user_info',
  'accounts',
  'contacts',
  'drive',
] as const;

const SCOPE_KEYS = ['missing_scopes', 'missing_scope', 'required_scopes', 'required_scope', 'scopes', 'scope'];
const SCOPE_SHAPE = /^[a-z][a-z0-9_.:-]{0,63}$/i;

/**
 * The scope a 403 `all_scopes` answer says is missing, when it says so. Looks, in order, at
 * `context` fields (missing_scopes, scope, scopes, …; string, comma/space list or array), the
 * `errors[]` entries (same fields, or their descriptions), then the description text (known scope
 * names only, as whole words).
 */
export function findMissingScope(error: Json): string | undefined {
  const fromContext = scopeFromFields(error['context']);
  if (fromContext) return fromContext;
  const errors = error['errors'];
  if (Array.isArray(errors)) {
    for (const item of errors) {
      if (typeof item === 'string') {
        const found = scopeInText(item);
        if (found) return found;
      } else if (isRecord(item)) {
        const found =
          scopeFromFields(item['context']) ??
          scopeFromFields(item) ??
          scopeInText(typeof item['description'] === 'string' ? item['description'] : '');
        if (found) return found;
      }
    }
  }
  const description = error['description'];
  return typeof description === 'string' ? scopeInText(description) : undefined;
}

function scopeFromFields(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of SCOPE_KEYS) {
    const field = value[key];
    const candidates = Array.isArray(field) ? field : typeof field === 'string' ? field.split(/[\s,]+/) : [];
    for (const candidate of candidates) {
      if (typeof candidate === 'string' && SCOPE_SHAPE.test(candidate.trim())) return candidate.trim();
    }
  }
  return undefined;
}

function scopeInText(text: string): string | undefined {
  let best: { scope: string; index: number } | undefined;
  for (const scope of KNOWN_SCOPES) {
    const escaped = scope.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(?<![\\w:])${escaped}(?![\\w:])`, 'i').exec(text);
    if (match && (best === undefined || match.index < best.index)) best = { scope, index: match.index };
  }
  return best?.scope;
}

/**
 * Milliseconds to wait according to the answer's headers: `Retry-After` (seconds or HTTP date),
 * else, for a 429 only (`status` given and 429), `X-RateLimit-Reset` (epoch seconds; small values
 * read as seconds from now), else `RateLimit-Reset` (seconds from now). The rate-limit headers
 * describe the token's request window, which may come on every answer: they are no delay for a
 * server error. Undefined when none is present or parsable. Never negative.
 */
export function retryAfterFromHeaders(
  headers: { get(name: string): string | null },
  status = 429,
  now = Date.now(),
): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (status !== 429) return undefined;
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // 1e9 s is 2001: anything above is an epoch time, anything below a delay.
    return value > 1e9 ? Math.max(0, Math.round(value * 1000 - now)) : Math.round(value * 1000);
  }
  const ietf = headers.get('ratelimit-reset')?.trim();
  if (ietf && /^\d+$/.test(ietf)) return Number(ietf) * 1000;
  return undefined;
}
