/** "Shared with me" (issue 24.1) against the simulator, and its de-duplication and loud parsing. */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi } from '../infomaniak/types';
import { TransferManager } from '../transfers/manager';
import { parseId } from './ids';
import { KdriveAdapter } from './kdrive';
import type { DriveUnion } from './kdrive-drives';
import { findShared } from './kdrive-shared';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'shared-test-token-0123456789';
const SERVICE = 'conn:c1/kdrive';
/** 300 KiB of bytes no generator on the other side could guess. */
const OFFER = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7919 + (i >> 8)) % 251));

function scenario(sharesRoute: 'on' | 'missing'): ScenarioInput {
  return {
    name: 'shared-test',
    settings: { shares_route: sharesRoute },
    people: [{ id: 77, display_name: 'Jonas Keller', email: 'jonas@example.test' }],
    tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
    accounts: [{ id: 1, name: 'Mine', type: 'owner', legal_entity_type: 'company' }],
    drives: [
      {
        id: 5001,
        name: 'Mine',
        account_id: 1,
        tree: { common: [{ name: 'Team', children: [{ name: 'Checkliste.md', content: '- [ ] Laptop\n' }] }] },
        shared_with_me: [{ path: '/Common documents/Team/Checkliste.md', by: 77 }],
      },
      {
        id: 6001,
        name: 'Keller',
        account_id: 99,
        tree: {
          private: [
            { name: 'Offerte.bin', content: { base64: OFFER.toString('base64') } },
            {
              name: 'Pläne',
              children: [
                { name: 'a.txt', content: 'A' },
                { name: 'b.txt', content: 'BB' },
              ],
            },
            { name: 'secret.txt', content: 'not shared' },
          ],
        },
        shared_with_me: [
          { path: '/Private/Offerte.bin', by: 77 },
          { path: '/Private/Pläne', by: 77 },
        ],
      },
    ],
  };
}

let sim: Simulator;
let fallback: Simulator;
const dirs: string[] = [];
beforeAll(async () => {
  [sim, fallback] = await Promise.all([
    startSimulator({ scenario: scenario('on'), quiet: true }),
    startSimulator({ scenario: scenario('missing'), quiet: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([sim.close(), fallback.close()]);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function adapterOn(s: Simulator) {
  const client = clientFor(s, TOKEN);
  const nodes = new Map<string, SourceNode>();
  const adapter = new KdriveAdapter();
  const ctx = contextFor(client, SERVICE, nodes);
  const list = async (id: string) => {
    const found = (await collect(adapter.list(ctx, parseId(id)!, id))).flatMap((p) => p.nodes);
    for (const n of found) nodes.set(n.id, n);
    return found;
  };
  return { client, adapter, ctx, list };
}

describe('Shared with me', () => {
  it('is a node under kDrive; its items live in their own drives and say who shared them', async () => {
    const { client, list } = adapterOn(sim);
    try {
      const top = await list(SERVICE);
      const shared = top.at(-1)!;
      expect(shared).toMatchObject({
        id: `${SERVICE}/shared:me`,
        kind: 'shared',
        expandable: true,
        downloadable: true,
      });
      sim.log.reset();
      const items = await list(shared.id);
      expect(items.map((n) => [n.name, n.kind, n.id.replace(/f:\d+$/, 'f:…')])).toEqual([
        ['Pläne', 'folder', `${shared.id}/drive:6001/f:…`],
        ['Checkliste.md', 'file', `${shared.id}/drive:5001/f:…`],
        ['Offerte.bin', 'file', `${shared.id}/drive:6001/f:…`],
      ]);
      expect(items[2]!.details).toMatchObject({ sharedBy: 'Jonas Keller (jonas@example.test)', drive: 'Drive 6001' });
      expect(items[1]!.details).toMatchObject({ drive: 'Mine' });
      // One answer for every drive, one for the names of the people who shared.
      expect(sim.log.entries().map((e) => e.route)).toEqual([
        'GET /3/drive/files/shared_with_me',
        'GET /2/drive/users',
      ]);
      expect((await list(items[0]!.id)).map((n) => n.name)).toEqual(['a.txt', 'b.txt']);
    } finally {
      await client.close();
    }
  });

  it('a shared file downloads byte-exact, and so does the whole node, through the transfers', async () => {
    const { client, adapter, ctx, list } = adapterOn(sim);
    const base = await mkdtemp(join(tmpdir(), 'shared-dl-'));
    dirs.push(base);
    const manager = new TransferManager({
      dataDir: join(base, 'data'),
      shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
      describe: (id) => ({ kind: id.endsWith('/shared:me') ? 'folder' : 'file', name: ctx.lookup(id)?.name ?? '' }),
      resolve: (node, mode, signal) => adapter.job({ ...ctx, signal }, parseId(node.id)!, node.id, mode),
      onChange: () => undefined,
    });
    try {
      await list(SERVICE);
      const items = await list(`${SERVICE}/shared:me`);
      const offer = items.find((n) => n.name === 'Offerte.bin')!;
      await manager.start({ nodeIds: [offer.id, `${SERVICE}/shared:me`], folderMode: 'files', targetDir: base });
      await manager.idle();
      expect(manager.list().map((t) => t.state)).toEqual(['done', 'done']);
      expect((await readFile(join(base, 'Offerte.bin'))).equals(OFFER)).toBe(true);
      const whole = join(base, 'Shared with me');
      expect((await readdir(whole)).sort()).toEqual(['Checkliste.md', 'Offerte.bin', 'Pläne']);
      expect((await readFile(join(whole, 'Offerte.bin'))).equals(OFFER)).toBe(true);
      expect(await readFile(join(whole, 'Pläne', 'b.txt'), 'utf8')).toBe('BB');
    } finally {
      await manager.dispose();
      await client.close();
    }
  });

  it('without the drive-independent route, asks each drive the user browses (items of other drives are then missing)', async () => {
    const { client, list } = adapterOn(fallback);
    try {
      await list(SERVICE);
      fallback.log.reset();
      const items = await list(`${SERVICE}/shared:me`);
      expect(items.map((n) => n.name)).toEqual(['Checkliste.md']);
      expect(fallback.log.entries().map((e) => `${e.route} ${e.status}`)).toEqual([
        'GET /3/drive/files/shared_with_me 404',
        'GET /3/drive/{drive}/files/shared_with_me 200',
        'GET /2/drive/users 200',
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('findShared', () => {
  const union: DriveUnion = {
    accounts: [],
    drives: [{ drive: { id: 5001, name: 'Mine' }, accountId: 1 }],
    failures: [],
  };
  const answering = (data: unknown): InfomaniakApi => ({
    endpoints: {
      api: 'https://a.test',
      calendar: 'https://c.test',
      contacts: 'https://o.test',
      mail: 'https://m.test',
    },
    get: <T>() => Promise.resolve({ data: data as T, hasMore: false, cursor: null }),
    post: () => Promise.reject(new Error('unused')),
    probe: () => Promise.reject(new Error('unused')),
    download: () => Promise.reject(new Error('unused')),
  });
  const file = (id: number, drive: number, name: string, type = 'file') => ({ id, drive_id: drive, name, type });

  it('shows an item listed twice once, and not a whole drive the user already browses', async () => {
    const found = await findShared(
      answering([
        file(7, 6001, 'a.txt'),
        file(7, 6001, 'a.txt'),
        file(7, 5001, 'same id, other drive'),
        file(1, 5001, 'Mine', 'dir'),
        file(1, 6002, 'A whole drive shared with me', 'dir'),
        { id: 9, name: 'no drive: cannot be reached' },
      ]),
      union,
      new AbortController().signal,
    );
    expect(found.map((f) => `${f.drive_id}:${f.id} ${f.name}`)).toEqual([
      '6001:7 a.txt',
      '5001:7 same id, other drive',
      '6002:1 A whole drive shared with me',
    ]);
  });

  it('parses loudly: an answer that is not a list is an error, not "nothing shared"', async () => {
    await expect(findShared(answering({ files: [] }), union, new AbortController().signal)).rejects.toMatchObject({
      code: 'api_error',
    });
  });
});
