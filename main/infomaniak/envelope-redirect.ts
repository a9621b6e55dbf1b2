/**
 * The envelope may say `{"result":"redirect","uri":…}` (docs/infomaniak-api.md, "Envelope"): the
 * answer is at `uri`. responses.ts decodes that as an ApiPage with `redirectUri` and `data: null`;
 * the client's `get` and `post` follow it here, with a GET on the same host (each hop a request of
 * its own, paced and counted like any), so every caller sees the data. A `uri` on another origin is
 * refused (the token never leaves its host), and at most MAX_HOPS are followed.
 * `result: "asynchronous"` carries its data and needs nothing here.
 */
import { failWith } from '../../shared/model/errors';
import type { ApiPage, SearchParams } from './types';

export const MAX_HOPS = 3;

/** Where a redirect envelope points, as a path and query on the same host. */
export interface EnvelopeHop {
  path: string;
  searchParams: SearchParams;
}

/** The answer behind `first`: the hops of its redirect envelopes followed with `get` (same origin as `base`). */
export async function followEnvelope<T>(
  base: string,
  first: ApiPage<T>,
  get: (hop: EnvelopeHop) => Promise<ApiPage<T>>,
): Promise<ApiPage<T>> {
  let answer = first;
  for (let hop = 0; answer.redirectUri !== undefined; hop++) {
    if (hop >= MAX_HOPS)
      throw failWith('api_error', 'too_many_redirects', 'Infomaniak redirected this request too many times.');
    const next = onHost(base, answer.redirectUri);
    if (!next)
      throw failWith(
        'unsafe_redirect',
        'other_address',
        'Infomaniak pointed this request to another address; it was not followed.',
      );
    answer = await get(next);
  }
  return answer;
}

/** The path and query of `uri` when it is on `base`'s origin (or a bare path), else null. */
function onHost(base: string, uri: string): EnvelopeHop | null {
  let url: URL;
  try {
    url = new URL(uri, base);
  } catch {
    return null;
  }
  if (url.origin !== new URL(base).origin) return null;
  const searchParams: SearchParams = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    searchParams[key] = values.length === 1 ? values[0] : values;
  }
  return { path: url.pathname, searchParams };
}
