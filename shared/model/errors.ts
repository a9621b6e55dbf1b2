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

/**
 * The situations one code covers, where the code alone would give the wrong advice (a missing sync
 * folder is not a download folder to check). Each is worded, with what to do, by the shared word
 * tables (shared/i18n/): every reason of every code has an English and a German text.
 */
export const ERROR_REASONS = {
  validation: [
    'unknown_channel',
    'too_many_pairs',
    'pair_kind',
    'pair_vault',
    'pair_taken',
    'pair_inside',
    'pair_holds',
    'folder_overlap',
    'layout',
    'drag_files_only',
    'not_draggable',
    'nothing_to_drag',
    'downloads_dir_relative',
  ],
  not_found: [
    'connection_gone',
    'node_unknown',
    'pair_gone',
    'transfer_gone',
    'file_not_there',
    'no_web_page',
    'not_downloadable',
    'not_syncable',
    'no_children',
    'invalid_id',
    'contact_gone',
    'book_gone',
    'version_unknown',
  ],
  network: ['proxy_auth', 'proxy_refused', 'certificate', 'lost', 'not_checked'],
  timeout: [],
  api_error: [
    'unreadable',
    'too_many_redirects',
    'no_account',
    'no_archive',
    'archive_unreadable',
    'unknown_shape',
    'wrong_range',
  ],
  unavailable: [
    'drag_desktop',
    'choose_folder',
    'demo_missing',
    'service_unsupported',
    'not_syncable',
    'search_scope',
    'service_off',
    'kdrive_only',
  ],
  vault_locked: ['no_token', 'backend_changed', 'key_set_aside', 'key_missing'],
  io: [
    'sync_folder_readonly',
    'sync_folder_not_folder',
    'folder_missing',
    'permission',
    'missing',
    'read_only',
    'outside_folder',
    'part_in_way',
    'appeared',
    'no_free_name',
    'not_a_folder',
    'drag_prepare',
    'trash_failed',
  ],
  cancelled: ['no_folder_chosen', 'not_opened', 'sync_stopped'],
  integrity: ['size_mismatch', 'changed_on_server', 'more_data', 'smaller', 'archive_entry'],
  forbidden: ['foreign_item'],
  internal: ['shut_down'],
  unsafe_redirect: ['other_address'],
} as const satisfies Partial<Record<ErrorCode, readonly string[]>>;

type ReasonTable = typeof ERROR_REASONS;
/** The reasons of one code (never for a code that has none). */
export type ReasonOf<C extends ErrorCode> = C extends keyof ReasonTable ? ReasonTable[C][number] : never;
export type ErrorReason = ReasonOf<ErrorCode>;

/** Every reason, flat (for the schema and the word tables). */
export const ALL_REASONS = Object.values(ERROR_REASONS).flat() as ErrorReason[];

/**
 * The values an error's words name (the renderer and the tray interpolate them in the UI's
 * language). Never a token or a URL's query: paths, names, hosts and counts only.
 */
export interface ErrorParams {
  /** A file, folder, pair or item name. */
  name?: string;
  /** A local path (the sync folder, the file that is in the way). */
  path?: string;
  /** The host that failed to answer. */
  host?: string;
  /** A low-level code for the curious (ECONNRESET, EACCES, an Infomaniak code). */
  detail?: string;
  /** A limit (at most so many pairs). */
  limit?: number;
  /** How many (messages skipped, files failed). */
  count?: number;
  /** Items listed (layouts, changed addresses). */
  list?: string[];
}

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
}

/** What an error's words need besides its code: the situation and its values. */
export interface ErrorWording<C extends ErrorCode = ErrorCode> {
  reason?: ReasonOf<C>;
  params?: ErrorParams;
}

/**
 * An error as data. `code` (+ `reason`) with `params` is what the UI words, in its language, with
 * what to do (shared/words/); `message` is the English text for logs and the last fallback.
 */
export interface AppError {
  code: ErrorCode;
  message: string;
  reason?: ErrorReason;
  params?: ErrorParams;
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
export class AppFailure<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details?: AppErrorDetails;
  readonly reason?: ErrorReason;
  readonly params?: ErrorParams;
  constructor(code: C, message: string, details?: AppErrorDetails, wording?: ErrorWording<C>) {
    super(message);
    this.name = 'AppFailure';
    this.code = code;
    if (details) this.details = details;
    if (wording?.reason) this.reason = wording.reason;
    if (wording?.params) this.params = wording.params;
  }
  toAppError(): AppError {
    const out: AppError = { code: this.code, message: this.message };
    if (this.reason) out.reason = this.reason;
    if (this.params) out.params = this.params;
    if (this.details) out.details = this.details;
    return out;
  }
}

/** An AppFailure with its situation and values and no details (the common case). */
export function failWith<C extends ErrorCode>(
  code: C,
  reason: ReasonOf<C> | undefined,
  message: string,
  params?: ErrorParams,
): AppFailure<C> {
  return new AppFailure(code, message, undefined, {
    ...(reason ? { reason } : {}),
    ...(params ? { params } : {}),
  } as ErrorWording<C>);
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string'
  );
}
