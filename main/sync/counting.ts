import type { InfomaniakApi } from '../infomaniak/types';

/** Counts the requests a run makes (downloads included): shown with the last run. */
export function counting(client: InfomaniakApi, requests?: { count: number }): InfomaniakApi {
  if (!requests) return client;
  return {
    endpoints: client.endpoints,
    get: (...a) => (requests.count++, client.get(...a)),
    post: (...a) => (requests.count++, client.post(...a)),
    probe: (...a) => (requests.count++, client.probe(...a)),
    download: (...a) => (requests.count++, client.download(...a)),
  };
}
