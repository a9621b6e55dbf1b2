/** A sync run spends the token's budget in the background lane (issue 22.2). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { InfomaniakApi, RequestOptions } from '../infomaniak/types';
import type { CalendarAdapter } from '../sources/calendar';
import type { ContactsAdapter } from '../sources/contacts';
import { SyncService } from './service';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

it("a sync run's requests wait in the background lane", async () => {
  const root = await mkdtemp(join(tmpdir(), 'sync-lanes-'));
  dirs.push(root);
  const lanes: Array<string | undefined> = [];
  const refuse = (options?: RequestOptions) => {
    lanes.push(options?.lane);
    return Promise.reject(new AppFailure('network', 'offline in this test'));
  };
  const client: InfomaniakApi = {
    endpoints: {
      api: 'https://a.test',
      calendar: 'https://c.test',
      contacts: 'https://o.test',
      mail: 'https://m.test',
    },
    get: (_h, _p, options) => refuse(options),
    post: (_h, _p, _b, options) => refuse(options),
    probe: (_h, _p, options) => refuse(options),
    download: (_h, _p, options) => refuse(options),
  };
  const sync = new SyncService({
    dataDir: join(root, 'data'),
    connections: { get: () => ({ label: 'Test' }), client: async () => client },
    lookupNode: () => undefined,
    calendar: {} as CalendarAdapter,
    contacts: {} as ContactsAdapter,
    settings: () => DEFAULT_SETTINGS,
    language: () => 'en',
    downloadsDir: () => join(root, 'downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
  });
  await sync.init();
  await sync.create({ nodeId: 'conn:c/kdrive/drive:1/f:2' });
  sync.start();
  await expect.poll(() => sync.list()[0]!.state).toBe('error');
  expect(lanes.length).toBeGreaterThan(0);
  expect(new Set(lanes)).toEqual(new Set(['background']));
  sync.dispose();
});
