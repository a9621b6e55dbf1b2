/**
 * The token's budget lanes of the Sources' work (issue 22.2): what the user opened is interactive,
 * a transfer's job spends in the download lane, drag staging and sync runs in the background lane.
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/model/connection';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakApi, RequestOptions } from '../infomaniak/types';
import type { Connections } from '../connections/connections';
import { Sources } from './service';
import type { SourceAdapter } from './types';

function setup() {
  const lanes: Array<string | undefined> = [];
  const client: InfomaniakApi = {
    endpoints: {
      api: 'https://a.test',
      calendar: 'https://c.test',
      contacts: 'https://o.test',
      mail: 'https://m.test',
    },
    get: <T>(_h: string, _p: string, options?: RequestOptions) => {
      lanes.push(options?.lane);
      return Promise.resolve({ data: [] as T });
    },
    post: () => Promise.reject(new Error('unused')),
    probe: () => Promise.reject(new Error('unused')),
    download: () => Promise.reject(new Error('unused')),
  };
  const connection = {
    id: 'c1',
    label: 'Test',
    services: {
      kdrive: { available: true },
      calendar: { available: true },
      contacts: { available: true },
      mail: { available: true },
    },
  } as unknown as Connection;
  const connections = {
    list: () => [connection],
    get: () => connection,
    client: () => Promise.resolve(client),
    onInvalidated: () => () => undefined,
  } as unknown as Connections;
  const adapter: SourceAdapter = {
    service: 'kdrive',
    async *list(ctx) {
      await ctx.client.get('api', '/list');
      yield { nodes: [] };
    },
    async job(ctx) {
      await ctx.client.get('api', '/job');
      return { name: 'x', kind: 'file', items: (async function* () {})() };
    },
    async subtree(ctx) {
      await ctx.client.get('api', '/subtree');
      return { list: async () => new Map(), itemFor: () => ({ segments: [], size: null }) };
    },
    reset: () => undefined,
  };
  const pages: unknown[] = [];
  const sources = new Sources({
    connections,
    adapters: [adapter],
    settings: () => DEFAULT_SETTINGS,
    language: () => 'en',
    emitPage: (page) => pages.push(page),
    log: () => undefined,
  });
  return { sources, lanes, pages };
}

describe('Sources lanes', () => {
  it('a listing the user opened is interactive; a job is a download, or background work when asked; a sync run is background', async () => {
    const { sources, lanes, pages } = setup();
    sources.list('conn:c1/kdrive');
    await expect.poll(() => pages.length).toBeGreaterThan(0);
    await sources.job('conn:c1/kdrive/drive:1/f:5', 'files');
    await sources.job('conn:c1/kdrive/drive:1/f:5', 'files', undefined, undefined, 'background');
    const { client } = await sources.subtree('conn:c1/kdrive/drive:1/f:5', {
      layout: 'tree',
      signal: new AbortController().signal,
    });
    await client.get('api', '/feed'); // the run's own requests (change feeds) go through the same client
    expect(lanes).toEqual(['interactive', 'download', 'background', 'background', 'background']);
  });
});
