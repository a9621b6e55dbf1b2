/**
 * A view's listeners hear every request the client really sends: a retried call counts 2, a
 * same-origin redirect hop and a redirect envelope count as their own requests, a download's too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { observe } from './observe';
import { collect, ok, sendJson, type TestServer, useClientHarness } from './test-support';

const harness = useClientHarness();
const { makeClient } = harness;
let api: TestServer;
beforeAll(() => {
  ({ api } = harness.servers);
});

describe('observe: onRequest counts requests sent, not calls', () => {
  it('a call retried once (503, then 200) counts 2', async () => {
    api.handle((_req, res) => {
      if (api.requests.length === 1) sendJson(res, 503, { result: 'error', error: { code: 'x' } });
      else sendJson(res, 200, ok('done'));
    });
    let sent = 0;
    const client = observe(makeClient({ retry: { backoffMs: 5 } }), { onRequest: () => sent++ });
    expect((await client.get('api', '/r')).data).toBe('done');
    expect(api.requests).toHaveLength(2);
    expect(sent).toBe(2);
  });

  it('a same-origin redirect hop counts, and so does each hop of a redirect envelope', async () => {
    api.handle((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/envelope' });
        res.end();
      } else if (req.url === '/envelope') sendJson(res, 200, { result: 'redirect', uri: '/data?x=1' });
      else sendJson(res, 200, ok('here'));
    });
    let sent = 0;
    const client = observe(makeClient(), { onRequest: () => sent++ });
    expect((await client.get('api', '/moved')).data).toBe('here');
    expect(api.requests.map((r) => r.url)).toEqual(['/moved', '/envelope', '/data?x=1']);
    expect(sent).toBe(3);
  });

  it("a download counts, and the caller's own listeners are still told", async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '3' });
      res.end('abc');
    });
    let sent = 0;
    let own = 0;
    const client = observe(makeClient(), { onRequest: () => sent++ });
    const response = await client.download('api', '/file', { onRequest: () => own++ });
    expect((await collect(response.body)).toString()).toBe('abc');
    expect([sent, own]).toEqual([1, 1]);
  });
});
