/**
 * What to do about an error: the one classification that sources, transfers, sync, drag and the
 * client's retries ask (learned from rclone's `fs/fserrors`). One row per ErrorCode (+ the HTTP
 * status where it matters), four questions:
 *
 * - `retry`: the same request may well succeed after a wait: wait and send it again (within the
 *   caller's attempts: ky's for JSON calls, the file writer's for downloads).
 * - `reach`: once the failure is final, how far it reaches in a job of many items (a transfer, a
 *   sync run, a drive listing per account): `item`, skip this item and go on with the others; or
 *   `job`, stop the job, as the others would fail the same way (and spend the token's budget).
 * - `attention`: a job that ended with it needs the user: retrying alone will not help (the token,
 *   a scope, access to the job's own target, the vault, the addresses).
 * - `fallback`: another host or route for the same data may answer where this one did not (the
 *   calendar's second host, the file-by-file route after a refused archive, the full listing
 *   after a refused change feed).
 *
 * Decided where transfers and sync used to disagree (tested on both paths):
 * - `maintenance`, `internal` and `unsafe_redirect` stop the job (a transfer stopped, a sync counted
 *   one failed file and went on): a drive in maintenance refuses every file; a bug or a redirect
 *   to an unsafe address is not something to repeat for every file, spending the budget.
 * - A file system error (EACCES, EPERM, EBUSY… from a rename, a link or a write) is `io` everywhere
 *   (sync called it `internal`), and `io` fails that item only: one locked or read-only file must
 *   not stop a sync of thousands at every run. (A full disk is `disk_full`, which stops the job; a
 *   missing or read-only pair folder stops the run before any file, in its folder check.)
 * - A 500 is not retried (downloads retried it, JSON calls did not): unlike 502–504 (a gateway, an
 *   overloaded server) it tends to repeat, and each retry spends the budget.
 * - A link or a junction on the way to a write, or at it (`unsafe_path`, main/localfs/paths.ts):
 *   that item is not written (the others are) and the job needs the user, who must move it away;
 *   a pair folder that became a link stops its run in the folder check. (A file where a folder
 *   belongs is `io`: that item only.)
 * - A certificate that is not trusted, a proxy that refuses the tunnel (407…) and a malformed
 *   answer (`HPE_*`, an `api_error`) are never retried (downloads retried them; ky the last two).
 */
import type { AppError, ErrorCode } from '../../shared/model/errors';
import { appErrorFrom, isCertificateFailure, isProxyRefusal } from './app-error';

export interface ErrorClass {
  retry: boolean;
  reach: 'item' | 'job';
  attention: boolean;
  fallback: boolean;
}

/** Statuses of a gateway or an overloaded server: the same request may succeed a little later. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/** Statuses refused before anything was done: even a request that is not idempotent (POST) may be sent again. */
const REFUSED_BEFORE_PROCESSING: ReadonlySet<number> = new Set([429, 503]);

/** One row per code. `api_error` is refined by its status (see `classifyAppError`). */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorClass>> = {
  network: { retry: true, reach: 'job', attention: false, fallback: true },
  timeout: { retry: true, reach: 'job', attention: false, fallback: true },
  rate_limited: { retry: true, reach: 'job', attention: false, fallback: false },
  api_error: { retry: false, reach: 'item', attention: false, fallback: true },
  not_found: { retry: false, reach: 'item', attention: false, fallback: true },
  forbidden: { retry: false, reach: 'item', attention: true, fallback: true },
  integrity: { retry: false, reach: 'item', attention: false, fallback: false },
  io: { retry: false, reach: 'item', attention: false, fallback: false },
  unsafe_file: { retry: false, reach: 'item', attention: false, fallback: false },
  unsafe_path: { retry: false, reach: 'item', attention: true, fallback: false },
  token_invalid: { retry: false, reach: 'job', attention: true, fallback: false },
  scope_missing: { retry: false, reach: 'job', attention: true, fallback: true },
  vault_locked: { retry: false, reach: 'job', attention: true, fallback: false },
  weak_storage: { retry: false, reach: 'job', attention: true, fallback: false },
  endpoints_changed: { retry: false, reach: 'job', attention: true, fallback: false },
  maintenance: { retry: false, reach: 'job', attention: false, fallback: false },
  unsafe_redirect: { retry: false, reach: 'job', attention: false, fallback: true },
  disk_full: { retry: false, reach: 'job', attention: false, fallback: false },
  cancelled: { retry: false, reach: 'job', attention: false, fallback: false },
  internal: { retry: false, reach: 'job', attention: false, fallback: false },
  unavailable: { retry: false, reach: 'job', attention: false, fallback: false },
  validation: { retry: false, reach: 'job', attention: false, fallback: false },
  untrusted_sender: { retry: false, reach: 'job', attention: false, fallback: false },
};

/** The class of AppError data (no certificate check: that needs the thrown error, see `classify`). */
export function classifyAppError(error: AppError): ErrorClass {
  const base = ERROR_TABLE[error.code] ?? ERROR_TABLE.internal;
  if (error.code === 'api_error' && TRANSIENT_STATUSES.has(error.details?.status ?? 0)) return { ...base, retry: true };
  return base;
}

/** The class of anything thrown (mapped by `appErrorFrom`). */
export function classify(error: unknown): ErrorClass {
  const appError = appErrorFrom(error);
  const verdict = classifyAppError(appError);
  const lasting = appError.code === 'network' && (isCertificateFailure(error) || isProxyRefusal(error));
  if (verdict.retry && lasting) return { ...verdict, retry: false };
  return verdict;
}

/**
 * Whether a request that got this final HTTP answer (already typed: `toAppError()` of the
 * client's error for that status) is worth sending again by the client's own retries: what
 * `classify` says, and for a method that is not idempotent only when the server refused it before
 * doing anything (429, 503). json-calls.ts derives ky's retry statuses from this.
 */
export function retriesStatus(answer: AppError, method: 'GET' | 'POST'): boolean {
  const status = answer.details?.status ?? 0;
  if (!classifyAppError(answer).retry) return false;
  return method === 'GET' || REFUSED_BEFORE_PROCESSING.has(status);
}
