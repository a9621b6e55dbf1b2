/**
 * The subtree walk against the simulator (requests counted in its log) and against a fake client
 * for the answers the simulator does not give (another order, a refused recursion).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { InfomaniakError } from '../infomaniak/errors';
import type { InfomaniakClient } from '../infomaniak/client';
import type { ApiPage, InfomaniakApi } from '../infomaniak/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { KdriveAdapter } from './kdrive';
import { walkSubtree } from './kdrive-walk';
import type { WalkEntry } from './kdrive-walk';
import { parseId } from './ids';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'walk-token-0123456789';
const DRIVE = 4401;
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

/** /Common documents/Tree: 5 folders of 500 files below a folder of 500 files (3,000 files), one empty folder. */
const scenario: ScenarioInput = {
  name: 'walk',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 77, name: 'Walk AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Walk',
      account_id: 77,
      tree: {
        private: [{ name: 'mine.txt', content: 'mine' }],
        common: [
          {
            name: 'Tree',
            children: [{ name: 'Empty', children: [] }],
            generate: {
              seed: 'tree',
              files: 500,
              dirs: 5,
              depth: 1,
              dir_name: 'dir-{i}',
              file_name: 'f-{i:03}.txt',
              size: 64,
            },
          },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let treeId: number;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN);
  const common = await client.get<Array<{ id: number; name: string }>>('api', `/3/drive/${DRIVE}/files/3/files`, {
    searchParams: { limit: 100 },
  });
  treeId = common.data.find((f) => f.name === 'Tree')!.id;
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const listings = () => sim.log.entries().filter((e) => e.route === LISTING);
const flat = (pages: WalkEntry[][]) => pages.flat();

describe('walkSubtree against the simulator', () => {
  it('walks a 3,000-file tree in ⌈n/1000⌉ requests, each entry placed by parent_id', async () => {
    sim.log.reset();
    const entries = flat(await collect(walkSubtree(client, DRIVE, treeId, { signal: new AbortController().signal })));
    const files = entries.filter((e) => e.file.type === 'file');
    expect(files).toHaveLength(3000);
    expect(entries.filter((e) => e.file.type === 'dir').map((e) => e.segments.join('/'))).toEqual(
      expect.arrayContaining(['Empty', 'dir-1', 'dir-5']),
    );
    expect(entries).toHaveLength(3006);
    expect(listings()).toHaveLength(Math.ceil(entries.length / 1000));
    expect(listings().every((e) => e.path.includes('depth=unlimited'))).toBe(true);
    for (const e of entries) expect(e.file.path).toBe(`/Common documents/Tree/${e.segments.join('/')}`);
  });

  it('a whole drive: the root children first (never depth=unlimited on id 1), then each space', async () => {
    sim.log.reset();
    const entries = flat(await collect(walkSubtree(client, DRIVE, 1, { signal: new AbortController().signal })));
    const paths = entries.map((e) => e.segments.join('/'));
    expect(paths).toEqual(
      expect.arrayContaining(['Private', 'Private/mine.txt', 'Common documents/Tree/dir-3/f-500.txt']),
    );
    expect(entries.filter((e) => e.file.type === 'file')).toHaveLength(3001);
    const log = listings();
    expect(log.filter((e) => e.path.startsWith(`/3/drive/${DRIVE}/files/1/files`))).toHaveLength(1);
    expect(log.some((e) => e.path.startsWith(`/3/drive/${DRIVE}/files/1/files?`) && e.path.includes('depth='))).toBe(
      false,
    );
    // 1 root page + Private (1 entry) + Common documents (3,007 entries) + Shared (empty)
    expect(log).toHaveLength(1 + 1 + 4 + 1);
    expect(log.every((e) => e.status === 200)).toBe(true);
  });

  it('a folder download walks with it: no per-file requests, no /hash', async () => {
    sim.log.reset();
    const adapter = new KdriveAdapter();
    const nodeId = `conn:c1/kdrive/drive:${DRIVE}/f:${treeId}`;
    const nodes = new Map([
      [
        nodeId,
        { id: nodeId, parentId: null, kind: 'folder' as const, name: 'Tree', expandable: true, downloadable: true },
      ],
    ]);
    const ctx = contextFor(client, 'conn:c1/kdrive', nodes);
    const job = await adapter.job(ctx, parseId(nodeId)!, nodeId, 'files');
    const items = (await collect(job.items)) as Array<DownloadItem | DownloadFolder>;
    const files = items.filter((i): i is DownloadItem => 'fetch' in i);
    expect(files).toHaveLength(3000);
    expect(files[0]?.segments[0]).toBe('Tree');
    expect(files.every((f) => f.size === 64 && f.modifiedAt !== undefined)).toBe(true);
    expect(items.some((i) => !('size' in i) && i.segments.join('/') === 'Tree/Empty')).toBe(true);
    const log = sim.log.entries();
    expect(log.filter((e) => e.route.endsWith('/hash'))).toHaveLength(0);
    expect(log).toHaveLength(Math.ceil(3006 / 1000));
  });
});

/** A client that answers listings from a table and records what it was asked. */
function fakeClient(answer: (path: string, params: Record<string, unknown>) => ApiPage<unknown>): InfomaniakApi & {
  asked: string[];
} {
  const asked: string[] = [];
  const refuse = () => Promise.reject(new Error('not in this fake'));
  return {
    asked,
    endpoints: {
      api: 'https://api.test',
      calendar: 'https://c.test',
      contacts: 'https://k.test',
      mail: 'https://m.test',
    },
    get: <T>(_host: string, path: string, options?: { searchParams?: Record<string, unknown> }) => {
      const params = options?.searchParams ?? {};
      asked.push(`${path}?${params.depth === undefined ? '' : `depth=${String(params.depth)}`}`);
      try {
        return Promise.resolve(answer(path, params) as ApiPage<T>);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    post: refuse,
    probe: refuse,
    download: refuse,
  };
}

const file = (id: number, parent: number, name: string, type: 'dir' | 'file', path?: string) => ({
  id,
  parent_id: parent,
  name,
  type,
  ...(path ? { path } : {}),
});

describe('walkSubtree with other plausible answers', () => {
  it('places children that arrive before their folder, and by path what never gets a parent', async () => {
    const skipped: string[] = [];
    const fake = fakeClient(() => ({
      data: [
        file(12, 11, 'deep.txt', 'file', '/Team/Top/Sub/deep.txt'),
        file(11, 10, 'Sub', 'dir', '/Team/Top/Sub'),
        file(10, 5, 'Top', 'dir', '/Team/Top'),
        file(20, 99, 'stray.txt', 'file', '/Team/Top/Gone/stray.txt'),
        file(21, 98, 'alien.txt', 'file', '/Elsewhere/alien.txt'),
      ],
      hasMore: false,
      cursor: null,
    }));
    const entries = flat(
      await collect(
        walkSubtree(fake, 1, 5, { signal: new AbortController().signal, onSkipped: (f) => skipped.push(f.name) }),
      ),
    );
    expect(entries.map((e) => e.segments.join('/'))).toEqual([
      'Top',
      'Top/Sub',
      'Top/Sub/deep.txt',
      'Top/Gone/stray.txt',
    ]);
    expect(skipped).toEqual(['alien.txt']);
  });

  it('falls back to folder-by-folder listings when the server refuses depth=unlimited', async () => {
    const fake = fakeClient((path, params) => {
      if (params.depth !== undefined)
        throw new InfomaniakError({ kind: 'http', status: 422, apiCode: 'validation_failed', message: 'refused' });
      if (path.endsWith('/files/5/files'))
        return { data: [file(10, 5, 'Top', 'dir'), file(11, 5, 'a.txt', 'file')], hasMore: false };
      if (path.endsWith('/files/10/files')) return { data: [file(12, 10, 'b.txt', 'file')], hasMore: false };
      return { data: [], hasMore: false };
    });
    const entries = flat(await collect(walkSubtree(fake, 1, 5, { signal: new AbortController().signal })));
    expect(entries.map((e) => e.segments.join('/'))).toEqual(['Top', 'a.txt', 'Top/b.txt']);
    expect(fake.asked).toEqual([
      '/3/drive/1/files/5/files?depth=unlimited',
      '/3/drive/1/files/5/files?',
      '/3/drive/1/files/10/files?',
    ]);
  });

  it('does not fall back on other errors (a revoked token stays an error)', async () => {
    const fake = fakeClient(() => {
      throw new InfomaniakError({ kind: 'http', status: 401, apiCode: 'not_authorized', message: 'no' });
    });
    await expect(collect(walkSubtree(fake, 1, 5, { signal: new AbortController().signal }))).rejects.toThrow('no');
    expect(fake.asked).toHaveLength(1);
  });
});
