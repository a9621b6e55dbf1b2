/**
 * The token's budget lanes of the Sources service's work (issue 22.2): what the user opened is
 * interactive, a transfer's job spends in the download lane, drag staging in the background lane.
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/model/connection';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakApi, RequestOptions } from '../infomaniak/types';
import type { ConnectionsService } from '../services/connections';
import { SourcesService } from './service';
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
  } as unknown as ConnectionsService;
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
    reset: () => undefined,
  };
  const pages: unknown[] = [];
  const sources = new SourcesService({
    connections,
    adapters: [adapter],
    settings: () => DEFAULT_SETTINGS,
    language: () => 'en',
    emitPage: (page) => pages.push(page),
    log: () => undefined,
  });
  return { sources, lanes, pages };
}

describe('SourcesService lanes', () => {
  it('a listing the user opened is interactive; a job is a download, or background work when asked', async () => {
    const { sources, lanes, pages } = setup();
    sources.list('conn:c1/kdrive');
    await expect.poll(() => pages.length).toBeGreaterThan(0);
    await sources.job('conn:c1/kdrive/drive:1/f:5', 'files');
    await sources.job('conn:c1/kdrive/drive:1/f:5', 'files', undefined, undefined, 'background');
    expect(lanes).toEqual(['interactive', 'download', 'background']);
  });
});
