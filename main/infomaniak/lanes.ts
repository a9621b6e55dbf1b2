/**
 * The budget lane of a piece of work (types.ts `RequestLane`, pacer.ts): the same client, with
 * `lane` as the default of every call it makes. The composition decides the lane where the work
 * starts (a listing the user opened: interactive; a transfer: download; a sync run or drag
 * staging: background), so adapters and walks shared by all of them need not know it. A call that
 * names its own lane keeps it.
 */
import type { InfomaniakApi, RequestLane, RequestOptions } from './types';

export function inLane(client: InfomaniakApi, lane: RequestLane): InfomaniakApi {
  const withLane = <T extends RequestOptions>(options: T | undefined): T =>
    ({ ...options, lane: options?.lane ?? lane }) as T;
  const wrapped: InfomaniakApi = {
    endpoints: client.endpoints,
    get: (host, path, options) => client.get(host, path, withLane(options)),
    post: (host, path, body, options) => client.post(host, path, body, withLane(options)),
    probe: (host, path, options) => client.probe(host, path, withLane(options)),
    download: (host, path, options) => client.download(host, path, withLane(options)),
  };
  if (client.onRateLimitWait) wrapped.onRateLimitWait = (listener) => client.onRateLimitWait!(listener);
  return wrapped;
}
