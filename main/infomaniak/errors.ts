/**
 * The typed error of the Infomaniak client. Every failure of `InfomaniakApi` is an InfomaniakError;
 * `toAppError()` turns it into the data that crosses IPC. Messages never carry the token, the
 * Authorization header or query strings of foreign (storage) URLs: the client builds them from
 * origins and paths only and redacts the token from anything the server sent back.
 */
import type { AppError, ErrorParams } from '../../shared/model/errors';
import { isCertificateCode } from './network-errors';
import type { InfomaniakErrorInfo } from './types';

export type InfomaniakErrorKind = InfomaniakErrorInfo['kind'];

export interface InfomaniakErrorInit {
  kind: InfomaniakErrorKind;
  /** Technical message for logs (method, origin + path, status, codes). Never the token. */
  message: string;
  status?: number;
  apiCode?: string;
  description?: string;
  missingScope?: string;
  retryAfterMs?: number;
  /** Host name the call was addressed to (for user-facing messages). */
  host?: string;
  /** Low-level cause code (ECONNRESET, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …) for network errors. */
  causeCode?: string;
  /** A proxy refused the CONNECT tunnel with this status (407: it wants a password). */
  proxyStatus?: number;
}

export class InfomaniakError extends Error implements InfomaniakErrorInfo {
  readonly kind: InfomaniakErrorKind;
  readonly status?: number;
  readonly apiCode?: string;
  readonly description?: string;
  readonly missingScope?: string;
  readonly retryAfterMs?: number;
  readonly host?: string;
  readonly causeCode?: string;
  readonly proxyStatus?: number;

  constructor(init: InfomaniakErrorInit) {
    super(init.message);
    this.name = 'InfomaniakError';
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.apiCode !== undefined) this.apiCode = init.apiCode;
    if (init.description !== undefined) this.description = init.description;
    if (init.missingScope !== undefined) this.missingScope = init.missingScope;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.host !== undefined) this.host = init.host;
    if (init.causeCode !== undefined) this.causeCode = init.causeCode;
    if (init.proxyStatus !== undefined) this.proxyStatus = init.proxyStatus;
  }

  toAppError(): AppError {
    const base: { status?: number; apiCode?: string } = {};
    if (this.status !== undefined) base.status = this.status;
    if (this.apiCode !== undefined) base.apiCode = this.apiCode;
    const where = this.host ?? 'Infomaniak';

    switch (this.kind) {
      case 'cancelled':
        return { code: 'cancelled', message: 'Cancelled.' };
      case 'timeout':
        return {
          code: 'timeout',
          message: `${where} did not answer in time.`,
          params: this.hostParam(),
          details: base,
        };
      case 'network':
        if (this.proxyStatus !== undefined) return this.proxyAppError(where);
        return {
          code: 'network',
          message: isCertificateCode(this.causeCode)
            ? `Could not reach ${where}: its certificate is not trusted (${this.causeCode}).`
            : `Could not reach ${where}${this.causeCode ? ` (${this.causeCode})` : ''}.`,
          ...(isCertificateCode(this.causeCode) ? { reason: 'certificate' as const } : {}),
          params: this.hostParam(this.causeCode),
          details: base,
        };
      case 'redirect':
        return {
          code: 'unsafe_redirect',
          message: this.description
            ? `A redirect was refused: ${this.description}`
            : 'A redirect to an unsafe address was refused.',
          params: this.hostParam(),
          details: base,
        };
      case 'decode':
        return {
          code: 'api_error',
          message: `${where} sent an answer that could not be read${this.description ? ` (${this.description})` : ''}.`,
          reason: 'unreadable',
          params: this.hostParam(),
          details: base,
        };
      case 'integrity':
        return {
          code: 'integrity',
          message: `${where} sent more data than announced${this.description ? ` (${this.description})` : ''}.`,
          reason: 'more_data',
          params: this.hostParam(),
          details: base,
        };
      case 'http':
        return this.httpAppError(base, where);
    }
  }

  /** The host (and a low-level code) the words name. */
  private hostParam(detail?: string): ErrorParams {
    const params: ErrorParams = {};
    if (this.host !== undefined) params.host = this.host;
    if (detail !== undefined) params.detail = detail;
    return params;
  }

  /** The proxy would not open the tunnel: a 407 is named (the proxy wants a password). */
  private proxyAppError(where: string): AppError {
    const status = this.proxyStatus as number;
    if (status === 407) {
      return {
        code: 'network',
        message: `The proxy wants a password (407 Proxy Authentication Required) to reach ${where}.`,
        reason: 'proxy_auth',
        params: this.hostParam(),
        details: { status },
      };
    }
    return {
      code: 'network',
      message: `The proxy refused the connection to ${where} (${status}).`,
      reason: 'proxy_refused',
      params: this.hostParam(String(status)),
      details: { status },
    };
  }

  private httpAppError(base: { status?: number; apiCode?: string }, where: string): AppError {
    const status = this.status;
    if (this.apiCode === 'all_scopes') {
      const details = this.missingScope ? { ...base, scope: this.missingScope } : base;
      return {
        code: 'scope_missing',
        message: this.missingScope
          ? `The token lacks the "${this.missingScope}" scope.`
          : 'The token lacks a scope this action needs.',
        details,
      };
    }
    if (status === 401) {
      return { code: 'token_invalid', message: 'The token was refused (revoked, expired or mistyped).', details: base };
    }
    if (status === 403) {
      return {
        code: 'forbidden',
        message: `Access denied by ${where}${this.description ? `: ${this.description}` : ''}.`,
        params: this.hostParam(),
        details: base,
      };
    }
    if (status === 404) {
      return { code: 'not_found', message: `Not found on ${where}.`, params: this.hostParam(), details: base };
    }
    if (status === 429) {
      const details = this.retryAfterMs !== undefined ? { ...base, retryAfterMs: this.retryAfterMs } : base;
      const secs = this.retryAfterMs !== undefined ? Math.max(1, Math.ceil(this.retryAfterMs / 1000)) : undefined;
      return {
        code: 'rate_limited',
        message: `Too many requests to ${where}; try again${secs !== undefined ? ` in ${secs} s` : ' later'}.`,
        params: this.hostParam(),
        details,
      };
    }
    if (status === 503 && this.apiCode === 'drive_is_in_maintenance_error') {
      return { code: 'maintenance', message: 'This kDrive is in maintenance; try again later.', details: base };
    }
    const code = this.apiCode ? `, ${this.apiCode}` : '';
    return {
      code: 'api_error',
      message: `${where} answered with an error (${status ?? 'no status'}${code})${this.description ? `: ${this.description}` : ''}.`,
      params: this.hostParam(),
      details: base,
    };
  }
}
