/**
 * The Infomaniak client's public shape. Services depend on this interface; main/infomaniak/client.ts
 * implements it on undici (Dispatcher.request on its own Agent). Tests may pass fakes.
 */
import type { AppError } from '../../shared/model/errors';

/** The hosts the app talks to. Defaults are the real Infomaniak hosts. */
export type ApiHost = 'api' | 'calendar' | 'contacts' | 'mail' | 'notify';

export interface Endpoints {
  api: string;
  calendar: string;
  contacts: string;
  mail: string;
  /**
   * The long-poll host of kDrive's change feed (docs/infomaniak-api.md, "Change feeds"), https
   * only. Absent: the real one when `api` is the real API host, else none (`notifyOrigin`): a test
   * or custom setup never sends its token to Infomaniak's notify host by default.
   */
  notify?: string | undefined;
}

export const DEFAULT_ENDPOINTS = {
  api: 'https://api.infomaniak.com',
  calendar: 'https://calendar.infomaniak.com',
  contacts: 'https://contacts.infomaniak.com',
  mail: 'https://mail.infomaniak.com',
  notify: 'https://notify.kdrive.infomaniak.com',
} as const satisfies Required<Endpoints>;

/** Decoded success envelope: `data` plus whichever pagination fields the answer carried. */
export interface ApiPage<T> {
  data: T;
  /** v3 cursor pagination. */
  cursor?: string | null;
  hasMore?: boolean;
  responseAt?: number;
  /** page pagination. */
  total?: number;
  page?: number;
  pages?: number;
  itemsPerPage?: number;
  /** The envelope said `result: "redirect"`: where the answer is (`data` is then null). */
  redirectUri?: string;
}

export type SearchParams = Record<string, string | number | boolean | Array<string | number> | undefined>;

/**
 * Which of the token's budget lanes a request waits in (pacer.ts): `interactive` — what the user is
 * looking at now (a folder opened, search, Details, previews, token validation, Refresh) — goes
 * before `download` (downloads and transfers the user started), which goes before `background`
 * (sync runs, drag staging). A lower lane is never starved: its waiters age upwards.
 */
export type RequestLane = 'interactive' | 'download' | 'background';

/** The lane of a request that names none: the middle one, so untagged work neither jumps ahead of
 * browsing nor waits behind background work. */
export const DEFAULT_LANE: RequestLane = 'download';

export interface RequestOptions {
  searchParams?: SearchParams;
  signal?: AbortSignal;
  /** Override the per-request timeout (ms). */
  timeoutMs?: number;
  /**
   * Told when a request of this call waits for the token's request budget (60 per minute): the
   * expected wait in ms when it starts waiting (again when the estimate changes in whole
   * seconds, e.g. after a 429), then 0 when it goes. For "waiting for Infomaniak's rate limit, 12 s".
   */
  onWait?: (waitMs: number) => void;
  /** The budget lane this call's requests wait in (default `download`, see `RequestLane`). */
  lane?: RequestLane;
  /**
   * Told each time a request of this call is sent: every attempt and same-origin redirect hop, as
   * the token's budget counts them (a sync run's request count).
   */
  onRequest?: () => void;
}

/** Outcome of a probe: never throws for redirects or non-JSON answers, never follows a redirect. */
export type ProbeResult =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'redirect'; status: number; location: string | null }
  | { kind: 'http'; status: number; apiCode?: string; description?: string }
  | { kind: 'not_json'; status: number; contentType: string | null };

export interface DownloadRequest extends RequestOptions {
  /** Ask for bytes from this offset on (Range: bytes=start-). */
  start?: number;
  /** Validator for If-Range (an ETag or Last-Modified seen before). */
  ifRange?: string;
  /**
   * Bytes the caller expects (size − start), when known: the size announced for the file bounds
   * every body (a longer one fails with kind `integrity`, its extra bytes never handed out).
   */
  expectedBytes?: number;
  /**
   * The caller writes the body into a file with `response.sink()` whenever it is offered (the part
   * writer). Only such a request, when large (`expectedBytes` ≥ 8 MiB), may go to the download
   * thread; a body read on this thread always comes from undici.
   */
  toFile?: boolean;
}

export interface DownloadResponse {
  /** 200 (whole body, also when a range was refused) or 206 (partial). */
  status: 200 | 206;
  /** Total size of the resource when known (from Content-Range or Content-Length). */
  totalSize: number | null;
  /** Offset of the first byte in `body` (0 for a 200). */
  offset: number;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  /**
   * The body. Reading it is guarded by the stall watchdog (a stalled body errors with `timeout`;
   * only body bytes count as progress) and by the announced size (`expectedBytes`).
   */
  body: AsyncIterable<Uint8Array>;
  /**
   * Present when the body is written into a file by the download thread (a `toFile` request whose
   * answer is an identity-encoded 200/206 with a Content-Length): writes the whole body into the
   * open file `fd` from `position` and resolves with the bytes written; `onProgress` gets the
   * running total. Null: read `body` instead. Rejects like reading `body` would (InfomaniakError),
   * or with the file's error (its errno `code`, e.g. ENOSPC); what was written stays in the file.
   * Settles only once the thread has stopped writing. Use either this or `body`, not both.
   * `bandwidth`: the writer's bandwidth limit (main/localfs/bandwidth-bucket.mjs); the thread
   * counts what it writes there and waits as it says.
   */
  sink?(
    fd: number,
    position: number,
    onProgress: (written: number) => void,
    bandwidth?: SharedArrayBuffer,
  ): Promise<number> | null;
  /** Abort the transfer and release the socket. */
  cancel(): void;
}

export interface InfomaniakApi {
  readonly endpoints: Endpoints;
  /** GET a JSON route and decode the envelope (a redirect envelope is followed on the same host). Throws InfomaniakError. */
  get<T = unknown>(host: ApiHost, path: string, options?: RequestOptions): Promise<ApiPage<T>>;
  /** POST JSON and decode the envelope. Not retried except on 429 / 503 before any processing. */
  post<T = unknown>(host: ApiHost, path: string, body: unknown, options?: RequestOptions): Promise<ApiPage<T>>;
  /** GET without following redirects and without throwing on HTTP status; for capability probes. */
  probe(host: ApiHost, path: string, options?: RequestOptions): Promise<ProbeResult>;
  /**
   * Stream a download. ONE attempt, never retried here (the caller owns download retries): errors
   * are InfomaniakErrors with `retryAfterMs` when the server named a delay (429, 5xx). Redirects:
   * same origin keeps the token, another https origin gets none, http is refused.
   */
  download(host: ApiHost, path: string, options?: DownloadRequest): Promise<DownloadResponse>;
  /**
   * Listens to the token's request budget: the longest expected wait (ms) of the requests waiting
   * for it, 0 when none waits. Returns an unsubscribe function. Optional for fakes.
   */
  onRateLimitWait?(listener: (waitMs: number) => void): () => void;
  /** The token's request budget: `limit` requests per `windowMs` (for estimates). Optional for fakes. */
  readonly pacer?: { readonly limit: number; readonly windowMs: number };
}

/** Why a call failed, typed. `toAppError()` gives the data that crosses IPC (never with the token). */
export interface InfomaniakErrorInfo {
  kind: 'http' | 'network' | 'timeout' | 'redirect' | 'decode' | 'integrity' | 'cancelled';
  status?: number;
  apiCode?: string;
  description?: string;
  /** For 403 all_scopes, when the answer names the scope. */
  missingScope?: string;
  retryAfterMs?: number;
  toAppError(): AppError;
}
