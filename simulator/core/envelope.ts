/**
 * Response envelopes, as in docs/infomaniak-api.md:
 *   success: {"result":"success","data":…}                                            [seen]
 *   error:   {"result":"error","error":{"code","description","context","errors"}}     [seen]
 */

export interface ErrorBody {
  result: 'error';
  error: { code: string; description: string; context: Record<string, unknown>; errors: unknown[] };
}

/** An error answer; thrown by handlers and turned into the error envelope by the server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly context: Record<string, unknown> = {},
    readonly errors: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${description}`);
  }

  body(): ErrorBody {
    return {
      result: 'error',
      error: { code: this.code, description: this.description, context: this.context, errors: this.errors },
    };
  }
}

export function success<T>(data: T, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { result: 'success', data, ...extra };
}

/** The catalogue of errors the simulator answers. Codes and statuses are [seen] unless marked. */
export const errors = {
  notAuthorized: (): ApiError => new ApiError(401, 'not_authorized', 'Authorization required'),
  missingScope: (scope: string): ApiError =>
    // [guess] status 403 (the doc: "probably 403"); code and context.scopes [seen]
    new ApiError(403, 'all_scopes', `The token is missing the required scope: ${scope}`, { scopes: [scope] }),
  accessDenied: (model: string): ApiError => new ApiError(403, 'access_denied', 'Access denied', { model }),
  notFound: (model: string): ApiError => new ApiError(404, 'object_not_found', 'Object not found', { model }),
  // [guess] unknown routes answer 404 object_not_found (the seed saw plain 404s for /1/mail, /2/mail)
  routeNotFound: (): ApiError => new ApiError(404, 'object_not_found', 'Object not found', { model: 'Route' }),
  notADirectory: (): ApiError =>
    new ApiError(400, 'destination_not_a_directory', 'Destination is not a directory', { model: 'File' }),
  badRequest: (description: string, context: Record<string, unknown> = {}): ApiError =>
    new ApiError(400, 'bad_request_error', description, context),
  validation: (attribute: string, rule: string, description: string): ApiError =>
    // [guess] shape of the entries of "errors"
    new ApiError(422, 'validation_failed', 'Validation failed', {}, [
      { code: rule, description, context: { attribute } },
    ]),
  // [seen] code (the apps know `too_many_files_error` for archives); [guess] status 400
  tooManyFiles: (max: number): ApiError =>
    new ApiError(400, 'too_many_files_error', `An archive holds at most ${max} files`, { model: 'File' }),
  maintenance: (reason: string | null): ApiError =>
    new ApiError(503, 'drive_is_in_maintenance_error', 'Drive is in maintenance', {
      model: 'Drive',
      maintenance_reason: reason,
    }),
  // [guess] code and description of a 429
  tooManyRequests: (retryAfter: number, headers: Record<string, string>): ApiError =>
    new ApiError(429, 'too_many_requests', 'Too many requests', { retry_after: retryAfter }, [], {
      ...headers,
      'retry-after': String(retryAfter),
    }),
  // [guess] code of an injected 500
  internal: (): ApiError => new ApiError(500, 'internal_error', 'Internal server error (injected fault)'),
  // [guess] code of an injected 503
  unavailable: (retryAfter?: number): ApiError =>
    new ApiError(
      503,
      'service_unavailable',
      'Service temporarily unavailable (injected fault)',
      {},
      [],
      retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
    ),
};
