import { describe, expect, it } from 'vitest';
import { decodeError, decodeSuccess, findMissingScope, retryAfterFromHeaders } from './envelope';

const headers = (values: Record<string, string>) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null,
});

describe('decodeSuccess', () => {
  it('reads cursor pagination (the live empty-folder sample)', () => {
    const page = decodeSuccess(
      JSON.parse('{"result":"success","data":[],"response_at":1741257188,"cursor":null,"has_more":false}'),
    );
    expect(page).toEqual({ data: [], cursor: null, hasMore: false, responseAt: 1741257188 });
  });

  it('reads a next cursor', () => {
    expect(decodeSuccess({ result: 'success', data: [1], cursor: 'abc', has_more: true })).toEqual({
      data: [1],
      cursor: 'abc',
      hasMore: true,
    });
  });

  it('reads page pagination', () => {
    expect(
      decodeSuccess({ result: 'success', data: [{ id: 1 }], total: 41, page: 2, pages: 3, items_per_page: 20 }),
    ).toEqual({ data: [{ id: 1 }], total: 41, page: 2, pages: 3, itemsPerPage: 20 });
  });

  it('treats asynchronous as success and ignores ill-typed fields', () => {
    expect(decodeSuccess({ result: 'asynchronous', data: { uuid: 'u' }, total: '3', cursor: 5 })).toEqual({
      data: { uuid: 'u' },
    });
  });

  it('is null for errors and non-envelopes', () => {
    expect(decodeSuccess({ result: 'error', error: { code: 'x' } })).toBeNull();
    expect(decodeSuccess({ data: [] })).toBeNull();
    expect(decodeSuccess([1, 2])).toBeNull();
    expect(decodeSuccess('success')).toBeNull();
  });
});

describe('decodeError', () => {
  it('reads the documented error envelope', () => {
    expect(
      decodeError({
        result: 'error',
        error: { code: 'object_not_found', description: 'Object not found', context: { model: 'Drive' }, errors: [] },
      }),
    ).toEqual({ apiCode: 'object_not_found', description: 'Object not found' });
  });

  it('tolerates a bare string and OAuth-style errors', () => {
    expect(decodeError({ result: 'error', error: 'not_authorized' })).toEqual({ apiCode: 'not_authorized' });
    expect(decodeError({ error: 'invalid_token', error_description: 'The access token is invalid' })).toEqual({
      apiCode: 'invalid_token',
      description: 'The access token is invalid',
    });
  });

  it('finds the missing scope of all_scopes in context, errors[] or the description', () => {
    expect(
      decodeError({ result: 'error', error: { code: 'all_scopes', description: 'x', context: { scopes: ['drive'] } } }),
    ).toMatchObject({ apiCode: 'all_scopes', missingScope: 'drive' });
    expect(
      decodeError({
        result: 'error',
        error: { code: 'all_scopes', errors: [{ code: 'missing_scope', context: { scope: 'workspace:calendar' } }] },
      }),
    ).toMatchObject({ missingScope: 'workspace:calendar' });
    expect(
      decodeError({
        result: 'error',
        error: { code: 'all_scopes', description: 'The token needs all of these scopes: workspace:mail' },
      }),
    ).toMatchObject({ missingScope: 'workspace:mail' });
    expect(decodeError({ result: 'error', error: { code: 'all_scopes', description: 'Scopes missing' } })).toEqual({
      apiCode: 'all_scopes',
      description: 'Scopes missing',
    });
  });

  it('is null for success envelopes and non-objects', () => {
    expect(decodeError({ result: 'success', data: 1 })).toBeNull();
    expect(decodeError('oops')).toBeNull();
    expect(decodeError({ hello: 'world' })).toBeNull();
  });
});

describe('findMissingScope', () => {
  it('prefers explicit fields and accepts comma lists', () => {
    expect(findMissingScope({ context: { missing_scopes: 'accounts, drive' } })).toBe('accounts');
    expect(findMissingScope({ context: { required_scope: 'workspace:contact' } })).toBe('workspace:contact');
  });

  it('matches known scopes as whole words only', () => {
    expect(findMissingScope({ description: 'drive_is_in_maintenance_error' })).toBeUndefined();
    expect(findMissingScope({ description: 'scope workspace:contact is required' })).toBe('workspace:contact');
    expect(findMissingScope({ description: 'Missing scope "contacts".' })).toBe('contacts');
    expect(findMissingScope({ errors: ['needs user_info'] })).toBe('user_info');
  });
});

describe('retryAfterFromHeaders', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it('reads Retry-After seconds and HTTP dates', () => {
    expect(retryAfterFromHeaders(headers({ 'retry-after': '7' }), 429, now)).toBe(7000);
    expect(retryAfterFromHeaders(headers({ 'retry-after': 'Sat, 01 Mar 2025 12:00:05 GMT' }), 429, now)).toBe(5000);
    expect(retryAfterFromHeaders(headers({ 'retry-after': 'Sat, 01 Mar 2025 11:00:00 GMT' }), 429, now)).toBe(0);
  });

  it('falls back to X-RateLimit-Reset (epoch seconds) then RateLimit-Reset', () => {
    expect(retryAfterFromHeaders(headers({ 'x-ratelimit-reset': String(now / 1000 + 12) }), 429, now)).toBe(12_000);
    expect(retryAfterFromHeaders(headers({ 'x-ratelimit-reset': '3' }), 429, now)).toBe(3000);
    expect(retryAfterFromHeaders(headers({ 'ratelimit-reset': '4' }), 429, now)).toBe(4000);
    expect(retryAfterFromHeaders(headers({ 'retry-after': '2', 'x-ratelimit-reset': '9' }), 429, now)).toBe(2000);
    expect(retryAfterFromHeaders(headers({ 'retry-after': 'soon' }), 429, now)).toBeUndefined();
    expect(retryAfterFromHeaders(headers({}), 429, now)).toBeUndefined();
  });

  it('reads the rate-limit reset headers for a 429 only: for a server error only Retry-After counts', () => {
    const reset = { 'x-ratelimit-reset': String(now / 1000 + 60), 'ratelimit-reset': '60' };
    expect(retryAfterFromHeaders(headers(reset), 503, now)).toBeUndefined();
    expect(retryAfterFromHeaders(headers({ ...reset, 'retry-after': '5' }), 503, now)).toBe(5000);
  });
});
