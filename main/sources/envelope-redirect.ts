/**
 * The envelope may say `{"result":"redirect","uri":…}` (docs/infomaniak-api.md, "Envelope"): the
 * answer is at `uri`. The client decodes that as an ApiPage with `redirectUri` and `data: null`; the
 * adapters see the data at the `uri` instead, fetched with GET on the same host. A `uri` on another
 * origin is refused (the token never leaves its host), and at most MAX_HOPS are followed.
 * `result: "asynchronous"` carries its data and needs nothing here.
 */
import { AppFailure } from '../../shared/model/errors';
import type { ApiPage, InfomaniakApi, RequestOptions, SearchParams, ServiceHost } from '../infomaniak/types';

export const MAX_HOPS = 3;

/** The same client, with `get` and `post` following redirect envelopes. */
export function followingRedirects(client: InfomaniakApi): InfomaniakApi {
  const follow = async <T>(host: ServiceHost, first: ApiPage<T>, options?: RequestOptions): Promise<ApiPage<T>> => {
    let answer = first;
    for (let hop = 0; answer.redirectUri !== undefined; hop++) {
      if (hop >= MAX_HOPS) throw new AppFailure('api_error', 'Infomaniak redirected this request too many times.');
      const next = onHost(client.endpoints[host], answer.redirectUri);
      if (!next)
        throw new AppFailure(
          'unsafe_redirect',
          'Infomaniak pointed this request to another address; it was not followed.',
        );
      answer = await client.get<T>(host, next.path, { ...options, searchParams: next.searchParams });
    }
    return answer;
  };
  const wrapped: InfomaniakApi = {
    endpoints: client.endpoints,
    get: async <T>(host: ServiceHost, path: string, options?: RequestOptions) =>
      follow(host, await client.get<T>(host, path, options), options),
    post: async <T>(host: ServiceHost, path: string, body: unknown, options?: RequestOptions) =>
      follow(host, await client.post<T>(host, path, body, options), options),
    probe: (host, path, options) => client.probe(host, path, options),
    download: (host, path, options) => client.download(host, path, options),
  };
  if (client.onRateLimitWait) wrapped.onRateLimitWait = (listener) => client.onRateLimitWait!(listener);
  return wrapped;
}

/** The path and query of `uri` when it is on `base`'s origin (or a bare path), else null. */
function onHost(base: string, uri: string): { path: string; searchParams: SearchParams } | null {
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
