import { describe, expect, it } from 'vitest';
import { inLane } from './lanes';
import type { InfomaniakApi, RequestOptions } from './types';

function recorder(): { client: InfomaniakApi; seen: Array<RequestOptions | undefined> } {
  const seen: Array<RequestOptions | undefined> = [];
  const answer = <T>(options?: RequestOptions) => (seen.push(options), Promise.resolve({ data: null as T }));
  const client: InfomaniakApi = {
    endpoints: { api: 'https://a', calendar: 'https://c', contacts: 'https://o', mail: 'https://m' },
    get: (_h, _p, options) => answer(options),
    post: (_h, _p, _b, options) => answer(options),
    probe: (_h, _p, options) => (seen.push(options), Promise.resolve({ kind: 'http', status: 404 })),
    download: (_h, _p, options) => (seen.push(options), Promise.reject(new Error('not here'))),
    onRateLimitWait: () => () => undefined,
  };
  return { client, seen };
}

describe('inLane', () => {
  it('gives every call of the client its lane, keeps the other options, and a lane the call names', async () => {
    const { client, seen } = recorder();
    const background = inLane(client, 'background');
    const signal = new AbortController().signal;
    await background.get('api', '/a', { signal, searchParams: { x: 1 } });
    await background.post('api', '/b', {});
    await background.probe('mail', '/c');
    await background.download('api', '/d', { start: 5 }).catch(() => undefined);
    await background.get('api', '/e', { lane: 'interactive' });
    expect(seen.map((o) => o?.lane)).toEqual(['background', 'background', 'background', 'background', 'interactive']);
    expect(seen[0]).toMatchObject({ signal, searchParams: { x: 1 } });
    expect(seen[3]).toMatchObject({ start: 5 });
    expect(typeof background.onRateLimitWait).toBe('function');
  });
});
