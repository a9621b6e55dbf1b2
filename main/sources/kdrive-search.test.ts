/** Server-side subtree search against the simulator: matches, requests counted in its log, the cap, cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { searchSubtree } from './kdrive-search';
import { clientFor } from './test-support';

const TOKEN = 'search-token-0123456789';
const DRIVE = 4402;
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

/** /Common documents/Tree: 6 folders of 500 files (3,000), "Überblick.txt" and a folder "Empty". */
const scenario: ScenarioInput = {
  name: 'search',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 78, name: 'Search AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Search',
      account_id: 78,
      tree: {
        common: [
          {
            name: 'Tree',
            children: [
              { name: 'Empty', children: [] },
              { name: 'Überblick.txt', content: 'x' },
            ],
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
const driveNodeId = `conn:c1/kdrive/drive:${DRIVE}`;

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
const search = (query: string, extra: { maxHits?: number; signal?: AbortSignal } = {}) =>
  searchSubtree({
    client,
    driveId: DRIVE,
    folderId: treeId,
    folderNodeId: `${driveNodeId}/f:${treeId}`,
    driveNodeId,
    query,
    signal: extra.signal ?? new AbortController().signal,
    ...(extra.maxHits !== undefined ? { maxHits: extra.maxHits } : {}),
  });

describe('searchSubtree', () => {
  it('finds every match in a 3,000-file subtree with one request per 1,000 entries, with paths and the folders to reveal', async () => {
    sim.log.reset();
    const result = await search('F-12');
    expect(result.scanned).toBe(3007);
    expect(listings()).toHaveLength(Math.ceil(3007 / 1000));
    expect(listings().every((e) => e.path.includes('depth=unlimited'))).toBe(true);
    // f-120…f-129 in the folder and in each of its five sub-folders (f-012 does not contain "f-12")
    expect(result.hits).toHaveLength(6 * 10);
    expect(result.truncated).toBe(false);
    const deep = result.hits.find((h) => h.path === '/Common documents/Tree/dir-3/f-125.txt')!;
    expect(deep.node.name).toBe('f-125.txt');
    expect(deep.node.id).toMatch(new RegExp(`^${driveNodeId}/f:\\d+$`));
    expect(deep.ancestors).toHaveLength(1);
    expect(deep.node.parentId).toBe(deep.ancestors[0]);
    const top = result.hits.find((h) => h.path === '/Common documents/Tree/f-120.txt')!;
    expect(top.ancestors).toEqual([]);
    expect(top.node.parentId).toBe(`${driveNodeId}/f:${treeId}`);
  });

  it('ignores case and diacritics', async () => {
    const result = await search('uberblick');
    expect(result.hits.map((h) => h.node.name)).toEqual(['Überblick.txt']);
  });

  it('stops at the cap and says so, without listing the rest', async () => {
    sim.log.reset();
    const result = await search('.txt', { maxHits: 10 });
    expect(result.hits).toHaveLength(10);
    expect(result.truncated).toBe(true);
    expect(listings()).toHaveLength(1);
  });

  it('a cancelled search stops with a cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(search('f', { signal: controller.signal })).rejects.toThrow();
  });
});
