/**
 * Turning whatever a download throws into AppError data, and deciding which failures are worth an
 * automatic resume. Messages are written here, never copied from the thrown error (which could
 * carry a URL or header): no token can leak through them.
 */
import { AppFailure, carriedAppError, isAppError } from '../../shared/model/errors';
import type { AppError } from '../../shared/model/errors';
import { classifyNetworkCode } from '../infomaniak/network-errors';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Walks `error.cause` a few levels (undici wraps socket errors in `TypeError: terminated`). */
function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    yield current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
}

export function toTransferError(error: unknown): AppError {
  const carried = carriedAppError(error);
  if (carried) return carried;
  if (isAppError(error) && !(error instanceof Error)) return error;
  for (const e of causes(error)) {
    const inner = carriedAppError(e);
    if (inner) return inner;
    const code = codeOf(e);
    if (code === undefined) continue;
    if (DISK_FULL_CODES.has(code)) {
      return { code: 'disk_full', message: 'The disk is full. Free some space, then retry: the download resumes.' };
    }
    const kind = classifyNetworkCode(code);
    if (kind === 'network') return { code: 'network', message: `The connection was lost (${code}).` };
    if (kind === 'timeout') return { code: 'timeout', message: `The server stopped answering (${code}).` };
    if (/^E[A-Z]+$/.test(code)) {
      const syscall = (e as { syscall?: unknown }).syscall;
      return {
        code: 'io',
        message: `Could not write the file (${code}${typeof syscall === 'string' ? ` in ${syscall}` : ''}).`,
      };
    }
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: 'The download failed unexpectedly.' };
}

/** Statuses after which the same request may well succeed a little later. */
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Worth another attempt: a dropped or stalled connection, the rate limit, a server hiccup. (The
 * client's byte request makes one attempt; the file writer owns the retries.)
 */
export function isTransient(error: unknown): boolean {
  const appError = toTransferError(error);
  const code = appError.code;
  if (code === 'network' || code === 'timeout' || code === 'rate_limited') return true;
  if (code === 'api_error' && TRANSIENT_STATUS.has(appError.details?.status ?? 0)) return true;
  // undici's fetch reports a reset body as `TypeError: terminated` with the socket error as cause.
  return error instanceof TypeError && error.message === 'terminated';
}

export function failure(error: AppError): AppFailure {
  return new AppFailure(error.code, error.message, error.details);
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
