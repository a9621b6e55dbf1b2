/**
 * The one mapper from whatever was thrown to the AppError data that crosses IPC (and that
 * `classify` decides on): an AppFailure or the Infomaniak client's InfomaniakError (anything with
 * `toAppError()`, also found along the `cause` chain), AppError data, a file system errno, a
 * socket, DNS, TLS or zlib code (undici wraps them in `TypeError: fetch failed` / `terminated`),
 * an AbortError. Anything else is `internal`. Messages are written here, never copied from the
 * thrown error (which could carry a URL or a header): no token can leak through them.
 */
import { AppFailure, isAppError } from '../../shared/model/errors';
import type { AppError, ReasonOf } from '../../shared/model/errors';
import {
  classifyNetworkCode,
  isCertificateCode,
  isParseCode,
  networkCode,
  proxyStatusOf,
} from '../infomaniak/network-errors';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const INTERNAL = 'Something went wrong inside the app. The details were written to the log.';

/**
 * The AppError a thrown value carries: an AppFailure, or any error with a `toAppError()` method
 * (the Infomaniak client's errors). Null for anything else.
 */
export function carriedAppError(error: unknown): AppError | null {
  if (error instanceof AppFailure) return error.toAppError();
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { toAppError?: unknown }).toAppError === 'function'
  ) {
    return (error as { toAppError(): AppError }).toAppError();
  }
  return null;
}

/** `error` and its causes, a few levels down. */
function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
}

function stringProp(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prop = (value as Record<string, unknown>)[key];
  return typeof prop === 'string' && prop !== '' ? prop : undefined;
}

/** The reason of an errno that does not mean a full disk: what the user can do differs. */
const IO_REASONS: Record<string, ReasonOf<'io'>> = {
  EACCES: 'permission',
  EPERM: 'permission',
  ENOENT: 'missing',
  ENOTDIR: 'missing',
  EROFS: 'read_only',
};

/** The AppError of one low-level code (errno, socket, TLS, zlib), or null when it is none of ours. */
function fromCode(code: string, syscall: string | undefined): AppError | null {
  const params = { detail: code };
  const unreadable = { code: 'api_error', reason: 'unreadable', params } as const;
  if (isParseCode(code)) return { ...unreadable, message: `An answer could not be read (${code}).` };
  if (DISK_FULL_CODES.has(code)) {
    return {
      code: 'disk_full',
      message: 'The disk is full. Free some space, then retry: the download resumes.',
      params,
    };
  }
  switch (classifyNetworkCode(code)) {
    case 'network':
      return { code: 'network', reason: 'lost', message: `The connection was lost (${code}).`, params };
    case 'timeout':
      return { code: 'timeout', message: `The server stopped answering (${code}).`, params };
    case 'certificate':
      return {
        code: 'network',
        reason: 'certificate',
        message: `The server's certificate is not trusted (${code}).`,
        params,
      };
    case 'decode':
      return { ...unreadable, message: `An answer could not be read (${code}).` };
    case undefined:
      break;
  }
  if (/^E[A-Z]+$/.test(code)) {
    const reason = IO_REASONS[code];
    return {
      code: 'io',
      ...(reason ? { reason } : {}),
      message: `Could not read or write a file (${code}${syscall ? ` in ${syscall}` : ''}).`,
      params,
    };
  }
  return null;
}

/** The AppError for anything thrown (see above). Never throws. */
export function appErrorFrom(error: unknown): AppError {
  const carried = carriedAppError(error);
  if (carried) return carried;
  if (isAppError(error) && !(error instanceof Error)) return error;
  for (const e of causes(error)) {
    const inner = carriedAppError(e);
    if (inner) return inner;
    const code = stringProp(e, 'code');
    const mapped = code === undefined ? null : fromCode(code, stringProp(e, 'syscall'));
    if (mapped) return mapped;
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  // undici's fetch: `fetch failed` (no answer) or `terminated` (a body cut off), with a cause whose code
  // says more (read above) or none.
  if (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated')) {
    return { code: 'network', reason: 'lost', message: 'The connection was lost.' };
  }
  return { code: 'internal', message: INTERNAL };
}

/** A proxy that would not open the tunnel (407: it wants a password): asking again will not change it. */
export function isProxyRefusal(error: unknown): boolean {
  if (proxyStatusOf(error) !== undefined) return true;
  const reason = carriedAppError(error)?.reason;
  return reason === 'proxy_auth' || reason === 'proxy_refused';
}

/** A TLS verification failure (the certificate is not trusted): never worth a retry. */
export function isCertificateFailure(error: unknown): boolean {
  if (isCertificateCode(networkCode(error))) return true;
  const causeCode = stringProp(error, 'causeCode'); // InfomaniakError of kind `network`
  return isCertificateCode(causeCode);
}

/** The AppError as a throwable AppFailure. */
export function failure(error: AppError): AppFailure {
  return new AppFailure(error.code, error.message, error.details, {
    ...(error.reason ? { reason: error.reason } : {}),
    ...(error.params ? { params: error.params } : {}),
  });
}

/** The server's Retry-After in ms, when the error carries one. */
export function retryAfterOf(error: unknown): number | null {
  for (const e of causes(error)) {
    const direct = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof direct === 'number' && Number.isFinite(direct) && direct >= 0) return direct;
  }
  const fromData = carriedAppError(error)?.details?.retryAfterMs;
  return typeof fromData === 'number' && fromData >= 0 ? fromData : null;
}
