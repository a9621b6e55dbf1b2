/**
 * Errors that cross the process boundary. Always data, never thrown across IPC.
 * `code` is stable and translated by the renderer; `message` is an English fallback
 * that must never contain a token.
 */
export const ERROR_CODES = [
  'validation', // the argument did not match the channel's schema
  'untrusted_sender', // IPC from a frame we did not load
  'not_found', // unknown connection / node / transfer
  'internal', // a bug: something threw that should not have
  'token_invalid', // 401 from Infomaniak: bad, revoked or expired token
  'scope_missing', // 403 all_scopes: details.scope names it
  'forbidden', // 403 other than scopes
  'rate_limited', // 429 after our retries
  'maintenance', // 503 drive_is_in_maintenance_error
  'api_error', // any other Infomaniak error envelope
  'network', // connection refused / reset / DNS / TLS
  'timeout', // request or body stalled
  'unsafe_redirect', // redirect to http or to a host we do not trust with the token
  'unavailable', // a service is not available for this token (e.g. Mail)
  'weak_storage', // the OS offers no real encryption; the user must agree first
  'vault_locked', // the stored ciphertext cannot be decrypted any more
  'endpoints_changed', // the app's Infomaniak addresses differ from the connection's: nothing sent until confirmed
  'disk_full', // ENOSPC while writing a download
  'io', // other file-system error
  'cancelled', // the user cancelled
  'integrity', // downloaded size or hash did not match
  'unsafe_file', // a program or script the browser host will not open (Electron asks first)
  'unsafe_path', // a link or a junction on the way to where the app writes (or at it): nothing written through it
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorDetails {
  /** HTTP status from Infomaniak, when there was one. */
  status?: number;
  /** Infomaniak's own error code (e.g. `all_scopes`, `object_not_found`). */
  apiCode?: string;
  /** The scope a token lacks, when known. */
  scope?: string;
  /** Milliseconds until a retry makes sense. */
  retryAfterMs?: number;
  /** Which validation step failed (connections). */
  step?: string;
  /** Field path for validation errors; for `unsafe_path`, the local path (below the folder written to) that was refused. */
  path?: string;
  /** What failed, where a code alone does not say: `proxy_auth` (the proxy wants a password), `proxy_refused`. */
  reason?: string;
}

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: AppErrorDetails;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message: string, details?: AppErrorDetails): { ok: false; error: AppError } {
  return details ? { ok: false, error: { code, message, details } } : { ok: false, error: { code, message } };
}

/** An Error subclass services may throw; the IPC layer turns it into `AppError` data. */
export class AppFailure extends Error {
  readonly code: ErrorCode;
  readonly details?: AppErrorDetails;
  constructor(code: ErrorCode, message: string, details?: AppErrorDetails) {
    super(message);
    this.name = 'AppFailure';
    this.code = code;
    if (details) this.details = details;
  }
  toAppError(): AppError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string'
  );
}
