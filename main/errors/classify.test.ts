/**
 * The one error classification, as a table: every ErrorCode with what each caller does about it,
 * written out here (not read from the table under test); the HTTP statuses the client's retries
 * use agree with it; the mapper gives every kind of thrown value its code.
 */
import { describe, expect, it } from 'vitest';
import { AppFailure, ERROR_CODES } from '../../shared/model/errors';
import type { AppError, ErrorCode } from '../../shared/model/errors';
import { InfomaniakError } from '../infomaniak/errors';
import { GET_RETRY_STATUSES, POST_RETRY_STATUSES } from '../infomaniak/json-calls';
import { appErrorFrom, retryAfterOf } from './app-error';
import { classify, classifyAppError, retriesStatus } from './classify';

/** code → [retry, reach, attention, fallback] */
const EXPECTED: Record<ErrorCode, [boolean, 'item' | 'job', boolean, boolean]> = {
  validation: [false, 'job', false, false],
  untrusted_sender: [false, 'job', false, false],
  not_found: [false, 'item', false, true],
  internal: [false, 'job', false, false],
  token_invalid: [false, 'job', true, false],
  scope_missing: [false, 'job', true, true],
  forbidden: [false, 'item', true, true],
  rate_limited: [true, 'job', false, false],
  maintenance: [false, 'job', false, false],
  api_error: [false, 'item', false, true],
  network: [true, 'job', false, true],
  timeout: [true, 'job', false, true],
  unsafe_redirect: [false, 'job', false, true],
  unavailable: [false, 'job', false, false],
  weak_storage: [false, 'job', true, false],
  vault_locked: [false, 'job', true, false],
  endpoints_changed: [false, 'job', true, false],
  disk_full: [false, 'job', false, false],
  io: [false, 'item', false, false],
  cancelled: [false, 'job', false, false],
  integrity: [false, 'item', false, false],
  unsafe_file: [false, 'item', false, false],
  unsafe_path: [false, 'item', true, false],
};

describe('classify: one row per ErrorCode', () => {
  it('covers every code of shared/model/errors.ts', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([...ERROR_CODES])('%s', (code) => {
    const [retry, reach, attention, fallback] = EXPECTED[code];
    const error = new AppFailure(code, 'x');
    expect(classify(error)).toEqual({ retry, reach, attention, fallback });
    expect(classifyAppError(error.toAppError())).toEqual({ retry, reach, attention, fallback });
  });

  it('api_error: a gateway or overloaded server (502, 503, 504) is retried, a 500 and the rest are not', () => {
    const withStatus = (status: number): AppError => ({ code: 'api_error', message: 'x', details: { status } });
    expect([500, 501, 502, 503, 504, 400, 422].map((s) => classifyAppError(withStatus(s)).retry)).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(classifyAppError(withStatus(503)).reach).toBe('item');
  });

  it('a certificate that is not trusted is never retried (a dropped connection is)', () => {
    const cert = new InfomaniakError({ kind: 'network', message: 'x', causeCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const reset = new InfomaniakError({ kind: 'network', message: 'x', causeCode: 'ECONNRESET' });
    const rawCert = new TypeError('fetch failed', { cause: { code: 'CERT_HAS_EXPIRED' } });
    expect([classify(cert).retry, classify(rawCert).retry, classify(reset).retry]).toEqual([false, false, true]);
    expect(appErrorFrom(rawCert).code).toBe('network');
  });

  it('a proxy that refuses the tunnel, and a malformed answer, are not retried either', () => {
    const proxy = new InfomaniakError({ kind: 'network', message: 'x', proxyStatus: 407 });
    const rawProxy = new TypeError('fetch failed', {
      cause: new Error('Proxy response (407) !== 200 when HTTP Tunneling'),
    });
    const parse = new TypeError('fetch failed', { cause: { code: 'HPE_INVALID_CONSTANT' } });
    expect([classify(proxy).retry, classify(rawProxy).retry, classify(parse).retry]).toEqual([false, false, false]);
    expect(appErrorFrom(parse).code).toBe('api_error');
  });
});

describe('the client retries what the classifier says', () => {
  const typed = (status: number, apiCode?: string): AppError =>
    new InfomaniakError({ kind: 'http', status, message: '', ...(apiCode ? { apiCode } : {}) }).toAppError();

  it('ky retries GET on 429, 502, 503, 504 and POST on 429, 503 (refused before anything was done)', () => {
    expect(GET_RETRY_STATUSES).toEqual([429, 502, 503, 504]);
    expect(POST_RETRY_STATUSES).toEqual([429, 503]);
  });

  it('for every error status, ky retries a GET exactly when the classifier says retry', () => {
    for (let status = 400; status < 600; status++) {
      expect(GET_RETRY_STATUSES.includes(status), String(status)).toBe(classify(typed(status)).retry);
      expect(retriesStatus(typed(status), 'GET'), String(status)).toBe(classify(typed(status)).retry);
    }
  });

  it('a drive in maintenance (503 with its code) is not retried once typed, and stops the job', () => {
    const maintenance = typed(503, 'drive_is_in_maintenance_error');
    expect(maintenance.code).toBe('maintenance');
    expect(classifyAppError(maintenance)).toMatchObject({ retry: false, reach: 'job' });
  });
});

describe('appErrorFrom: the one mapper', () => {
  const errno = (code: string, syscall = 'rename') =>
    Object.assign(new Error(`${code}: ${syscall}`), { code, syscall });

  it('file system errors: disk full, and io for the others (also when a rename refuses)', () => {
    expect(appErrorFrom(errno('ENOSPC', 'write')).code).toBe('disk_full');
    expect(appErrorFrom(errno('EDQUOT', 'write')).code).toBe('disk_full');
    expect(appErrorFrom(errno('EACCES'))).toEqual({
      code: 'io',
      reason: 'permission',
      message: 'Could not read or write a file (EACCES in rename).',
      params: { detail: 'EACCES' },
    });
    // The situation, so the words say what to do: permissions, a missing folder, a read-only disk.
    expect(appErrorFrom(errno('EPERM', 'link'))).toMatchObject({ code: 'io', reason: 'permission' });
    expect(appErrorFrom(errno('ENOENT', 'open'))).toMatchObject({ code: 'io', reason: 'missing' });
    expect(appErrorFrom(errno('EROFS', 'open'))).toMatchObject({ code: 'io', reason: 'read_only' });
    expect(appErrorFrom(errno('EBUSY'))).toEqual({
      code: 'io',
      message: 'Could not read or write a file (EBUSY in rename).',
      params: { detail: 'EBUSY' },
    });
  });

  it('sockets and timeouts, also wrapped by undici, and a body cut off', () => {
    expect(appErrorFrom(new TypeError('fetch failed', { cause: errno('ECONNRESET', 'read') })).code).toBe('network');
    expect(appErrorFrom(new TypeError('terminated', { cause: { code: 'UND_ERR_SOCKET' } })).code).toBe('network');
    expect(appErrorFrom(new TypeError('terminated')).code).toBe('network');
    expect(appErrorFrom(errno('ETIMEDOUT', 'connect')).code).toBe('timeout');
    expect(appErrorFrom(Object.assign(new Error('x'), { code: 'Z_DATA_ERROR' })).code).toBe('api_error');
  });

  it('carried errors: AppFailure, the client errors (also as a cause), AppError data', () => {
    expect(appErrorFrom(new AppFailure('integrity', 'size'))).toEqual({ code: 'integrity', message: 'size' });
    const http = new InfomaniakError({ kind: 'http', status: 404, message: 'x' });
    expect(appErrorFrom(http).code).toBe('not_found');
    expect(appErrorFrom(new Error('wrapped', { cause: http })).code).toBe('not_found');
    expect(appErrorFrom({ code: 'forbidden', message: 'no' })).toEqual({ code: 'forbidden', message: 'no' });
  });

  it('an abort is cancelled; anything else is internal, without its own message', () => {
    expect(appErrorFrom(Object.assign(new Error('aborted'), { name: 'AbortError' })).code).toBe('cancelled');
    const bug = appErrorFrom(new TypeError("Cannot read properties of undefined (reading 'token=secret')"));
    expect(bug.code).toBe('internal');
    expect(bug.message).not.toContain('secret');
    expect(appErrorFrom('a string').code).toBe('internal');
  });

  it('retryAfterOf reads the delay a server named', () => {
    expect(retryAfterOf(new InfomaniakError({ kind: 'http', status: 429, message: 'x', retryAfterMs: 5000 }))).toBe(
      5000,
    );
    expect(retryAfterOf(new Error('x'))).toBeNull();
  });
});
