import { describe, expect, it } from 'vitest';
import { followEnvelope, MAX_HOPS } from './envelope-redirect';
import type { ApiPage } from './types';

const BASE = 'https://api.example';
const page = (redirectUri?: string): ApiPage<unknown> =>
  redirectUri === undefined ? { data: ['ok'] } : { data: null, redirectUri };

describe('followEnvelope', () => {
  it('follows a redirect envelope with the path and query of its uri on the same host', async () => {
    const hops: unknown[] = [];
    const answer = await followEnvelope(BASE, page(`${BASE}/2/x?limit=5&a=1&a=2`), async (hop) => {
      hops.push(hop);
      return page();
    });
    expect(answer).toEqual({ data: ['ok'] });
    expect(hops).toEqual([{ path: '/2/x', searchParams: { limit: '5', a: ['1', '2'] } }]);
  });

  it('refuses a uri on another origin, and stops a loop', async () => {
    await expect(followEnvelope(BASE, page('https://evil.example/steal'), async () => page())).rejects.toMatchObject({
      code: 'unsafe_redirect',
    });
    let hops = 0;
    await expect(
      followEnvelope(BASE, page('/again'), async () => {
        hops++;
        return page('/again');
      }),
    ).rejects.toThrow(/too many times/);
    expect(hops).toBe(MAX_HOPS);
  });

  it('an answer that is no redirect is passed through untouched', async () => {
    const first = page();
    expect(await followEnvelope(BASE, first, async () => page('/never'))).toBe(first);
  });
});
