/**
 * A recursive listing capped at 10,000 entries per walk (a third-party client measured such a cap;
 * the simulator's `listing_cap` ends the walk there as if it were complete): the walk notices and
 * lists the rest folder by folder, so no file is silently missing (a missing file would be trashed
 * locally by sync). Every entry comes exactly once; requests are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { kdriveSubtree } from './kdrive-subtree';
import { LISTING_CAP, walkSubtree } from './kdrive-walk';
import type { WalkEntry } from './kdrive-walk';
import { clientFor, collect } from './test-support';

const TOKEN = 'walk-cap-token-0123456789';
const DRIVE = 4501;
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

/**
 * /Common documents/Big: 3,000 files and 4 folders of 3,000 files each (15,004 entries);
 * /Common documents/Flat: 12,000 files in one folder.
 */
const scenario: ScenarioInput = {
  name: 'walk-cap',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 45, name: 'Cap AG', type: 'owner', legal_entity_type: 'company' }],
  settings: { listing_cap: 10_000 },
  drives: [
    {
      id: DRIVE,
      name: 'Cap',
      account_id: 45,
      tree: {
        common: [
          {
            name: 'Big',
            generate: {
              seed: 'big',
              files: 3000,
              dirs: 4,
              depth: 1,
              dir_name: 'd{i}',
              file_name: 'f{i:04}.txt',
              size: 8,
            },
          },
          {
            name: 'Flat',
            generate: { seed: 'flat', files: 12_000, dirs: 0, depth: 0, file_name: 'g{i:05}.txt', size: 8 },
          },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN, { limit: 10_000, windowMs: 1000 });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const walk = async (folder: string, truncated: string[] = []) =>
  (
    await collect(
      walkSubtree(client, DRIVE, sim.idOf(DRIVE, folder)!, {
        signal: new AbortController().signal,
        onTruncated: (id, n) => truncated.push(`${id}:${n}`),
      }),
    )
  ).flat();

const paths = (entries: WalkEntry[]) => entries.map((e) => e.segments.join('/'));

describe('a capped recursive listing', () => {
  it('the simulator really cuts the walk at 10,000 (the case to notice)', async () => {
    expect(LISTING_CAP).toBe(10_000);
    sim.log.reset();
    const cut = await client.get<unknown[]>(
      'api',
      `/3/drive/${DRIVE}/files/${sim.idOf(DRIVE, '/Common documents/Big')}/files`,
      {
        searchParams: { depth: 'unlimited', limit: 1000 },
      },
    );
    expect(cut.hasMore).toBe(true); // the first page looks like any other
  });

  it('a tree of 15,004 entries: every entry exactly once, the rest listed folder by folder', async () => {
    sim.log.reset();
    const truncated: string[] = [];
    const entries = await walk('/Common documents/Big', truncated);
    expect(truncated).toHaveLength(1);
    expect(entries.filter((e) => e.file.type === 'file')).toHaveLength(3000 + 4 * 3000);
    expect(entries).toHaveLength(15_004);
    expect(new Set(entries.map((e) => e.file.id)).size).toBe(15_004);
    expect(paths(entries)).toEqual(expect.arrayContaining(['d4/f3000.txt', 'f3000.txt', 'd1/f0001.txt']));
    // Where an entry carries its path (the recursive listings), it agrees with where the walk put it.
    const withPath = entries.filter((e) => e.file.path !== undefined);
    expect(withPath.length).toBeGreaterThan(10_000);
    for (const e of withPath) expect(e.file.path).toBe(`/Common documents/Big/${e.segments.join('/')}`);
    // 10 capped pages, Big's own children (3,004: 4 pages), then each folder's walk (3 pages each).
    expect(sim.log.entries().filter((e) => e.route === LISTING)).toHaveLength(10 + 4 + 4 * 3);
  });

  it('a flat folder of 12,000 files: the rest by the plain listing', async () => {
    sim.log.reset();
    const entries = await walk('/Common documents/Flat');
    expect(entries).toHaveLength(12_000);
    expect(new Set(entries.map((e) => e.file.id)).size).toBe(12_000);
    expect(sim.log.entries().filter((e) => e.route === LISTING)).toHaveLength(10 + 12);
  });

  it('sync sees the whole folder (nothing missing to trash)', async () => {
    const subtree = kdriveSubtree(client, { driveId: DRIVE, folderId: sim.idOf(DRIVE, '/Common documents/Big')! });
    const listed = await subtree.list(new AbortController().signal);
    expect(listed.size).toBe(15_004);
  });
});
