/**
 * Listeners for every call made through one view of a client: a listing's "waiting for the rate
 * limit, 12 s" (`onWait`, issue 9.8) and a sync run's request count (`onRequest`). The client
 * tells them per call (RequestOptions); this view adds them to each call, keeping the caller's own.
 */
import type { DownloadRequest, InfomaniakApi, RequestOptions } from './types';

export interface CallObservers {
  /** Told when a request waits for the token's budget (ms), then 0 when it goes. */
  onWait?: (waitMs: number) => void;
  /** Told each time a request is sent: every attempt and same-origin redirect hop, as the token's budget counts them. */
  onRequest?: () => void;
}

function both<A extends unknown[]>(
  first: ((...args: A) => void) | undefined,
  second: ((...args: A) => void) | undefined,
): ((...args: A) => void) | undefined {
  if (!first || !second) return first ?? second;
  return (...args: A) => {
    first(...args);
    second(...args);
  };
}

/** The same client, with the observers told about every call made through it. */
export function observe(client: InfomaniakApi, observers: CallObservers): InfomaniakApi {
  const withObservers = <O extends RequestOptions>(options: O | undefined): O => {
    const merged = { ...options } as O;
    const onWait = both(options?.onWait, observers.onWait);
    const onRequest = both(options?.onRequest, observers.onRequest);
    if (onWait) merged.onWait = onWait;
    if (onRequest) merged.onRequest = onRequest;
    return merged;
  };
  const view: InfomaniakApi = {
    endpoints: client.endpoints,
    get: (host, path, options) => client.get(host, path, withObservers(options)),
    post: (host, path, body, options) => client.post(host, path, body, withObservers(options)),
    probe: (host, path, options) => client.probe(host, path, withObservers(options)),
    download: (host, path, options) => client.download(host, path, withObservers<DownloadRequest>(options)),
  };
  if (client.onRateLimitWait) view.onRateLimitWait = (listener) => client.onRateLimitWait!(listener);
  return view;
}
