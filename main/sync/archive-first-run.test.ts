/**
 * A sync pair's first run of many small files comes as one archive (issue 11, "many small files on
 * the first run"; localfs/archive-index.ts): the same local tree and manifest as file by file, in
 * a handful of requests (counted in the simulator's log); a refused archive falls back.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { CraftedEntry } from '../../simulator/model/raw-zip';
import type { InfomaniakClient } from '../infomaniak/client';
import { clientFor } from '../sources/test-support';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { FeedMemory } from './feed';
import { feedSourceFor, runOptions } from './test-support';

const TOKEN = 'sync-archive-token-0123456789';
const DRIVE = 5701;
const FILES = 80;

const scenario: ScenarioInput = {
  name: 'sync-archive',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 93, name: 'Sync Archive AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Sync',
      account_id: 93,
      tree: {
        common: [
          {
            name: 'Photos',
            children: [{ name: 'CON.txt', content: 'a device name' }],
            // 20 files here and in each of 3 sub-folders: 80 generated files, plus CON.txt.
            generate: { seed: 'photos', files: FILES / 4, dirs: 3, depth: 1, file_name: 'p-{i:03}.jpg', size: 900 },
          },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  // File by file (the fallback) must not wait for the real budget in a test.
  client = clientFor(sim, TOKEN, { limit: 10_000, windowMs: 1000 });
  dir = await mkdtemp(join(tmpdir(), 'sync-archive-'));
});
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function options(name: string): RunOptions {
  const root = join(dir, name);
  const now = () => Date.now();
  return runOptions(
    {
      root,
      stateDir: join(dir, `${name}-state`),
      source: feedSourceFor(
        client,
        { driveId: DRIVE, folderId: sim.idOf(DRIVE, '/Common documents/Photos')! },
        { stateDir: join(dir, `${name}-state`), memory: new FeedMemory(dir), now },
      ),
    },
    { concurrency: 4, now },
  );
}

async function tree(base: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(base, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      out.push(d.isDirectory() ? `${path}/` : path);
      if (d.isDirectory()) await walk(path);
    }
  };
  await walk('');
  return out.sort();
}

const routes = () => sim.log.entries().map((e) => e.route);
const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';

it('the first run of 81 small files comes as one archive: the same tree as file by file, no per-file request', async () => {
  sim.setDownloads({ archives: 'on' });
  const viaArchive = options('archive');
  await mkdir(viaArchive.root, { recursive: true });
  sim.log.reset();
  const first = await runPair(viaArchive);
  expect(first.counts).toMatchObject({ added: FILES + 1, failed: 0 });
  expect(routes().filter((r) => r === DOWNLOAD)).toEqual([]);
  expect(routes().filter((r) => r.includes('archives'))).toEqual([
    'POST /3/drive/{drive}/files/archives',
    'GET /2/drive/{drive}/files/archives/{uuid}',
  ]);
  // Listing (and the feed probes) plus the archive: a handful, not 81.
  expect(routes().length).toBeLessThanOrEqual(6);
  expect((await readdir(join(dir, 'archive-state'))).filter((n) => n.endsWith('.zip') || n.includes('.part'))).toEqual(
    [],
  );

  // The same pair file by file (the archive refused): the same tree and bytes.
  sim.setDownloads({ archives: 'forbidden' });
  const viaFiles = options('files');
  await mkdir(viaFiles.root, { recursive: true });
  sim.log.reset();
  const second = await runPair(viaFiles);
  expect(second.counts).toMatchObject({ added: FILES + 1, failed: 0 });
  expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(FILES + 1);
  const files = await tree(viaArchive.root);
  expect(files).toEqual(await tree(viaFiles.root));
  expect(files.filter((p) => !p.endsWith('/'))).toHaveLength(FILES + 1);
  for (const rel of files.filter((p) => !p.endsWith('/')).slice(0, 30)) {
    expect(await readFile(join(viaArchive.root, rel))).toEqual(await readFile(join(viaFiles.root, rel)));
  }

  // A second run of the archive pair: nothing to fetch, no archive.
  sim.setDownloads({ archives: 'on' });
  sim.log.reset();
  const again = await runPair(viaArchive);
  expect(again.counts).toMatchObject({ added: 0, updated: 0, failed: 0 });
  expect(routes().filter((r) => r.includes('archives') || r === DOWNLOAD)).toEqual([]);
});

describe('a hostile archive on the first run (issue 25)', () => {
  const change: Record<string, (e: CraftedEntry) => CraftedEntry> = {
    // Larger than the listing said (ended the process 9 times in 10 before).
    'Photos/p-001.jpg': (e) => ({ ...e, content: 'x'.repeat(5000) }),
    // Changed on the server between the listing and the archive, deflated (5 times in 6).
    'Photos/p-002.jpg': (e) => ({ ...e, content: 'changed '.repeat(300), deflate: true }),
    'Photos/p-003.jpg': (e) => ({ ...e, deflate: true, corrupt: 'data' }),
    'Photos/p-004.jpg': (e) => ({ ...e, corrupt: 'header' }),
  };

  it('sizes that do not match, broken entries, a bomb and extra entries: every listed file right, nothing else', async () => {
    sim.setDownloads({ archives: 'forbidden', archiveTamper: null });
    const reference = options('hostile-reference');
    await mkdir(reference.root, { recursive: true });
    expect((await runPair(reference)).counts).toMatchObject({ added: FILES + 1, failed: 0 });

    sim.setDownloads({
      archives: 'on',
      archiveTamper: (entries) => [
        ...entries.map((e) => change[e.name]?.(e) ?? e),
        // 1 GiB of zeros in about 1 MiB (3 crashes in 3 before).
        { name: 'Photos/bomb.bin', zeros: 1024 * 1024 * 1024 },
        { name: 'Photos/extra.txt', content: 'not listed' },
      ],
    });
    const pair = options('hostile');
    await mkdir(pair.root, { recursive: true });
    sim.log.reset();
    const run = await runPair(pair);
    expect(run.counts).toMatchObject({ added: FILES + 1, failed: 0 });
    const files = await tree(pair.root);
    expect(files).toEqual(await tree(reference.root));
    for (const rel of files.filter((p) => !p.endsWith('/')))
      expect(await readFile(join(pair.root, rel))).toEqual(await readFile(join(reference.root, rel)));
    // The four files the archive could not give came on their own; the others from it.
    expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(Object.keys(change).length);
    expect((await readdir(join(dir, 'hostile-state'))).filter((n) => n.includes('.zip'))).toEqual([]);
  });

  it('an archive a killed run left in the state folder is removed by the next run', async () => {
    sim.setDownloads({ archives: 'on', archiveTamper: null });
    const pair = options('stale');
    await mkdir(pair.root, { recursive: true });
    expect((await runPair(pair)).counts).toMatchObject({ added: FILES + 1, failed: 0 });
    // As a kill in the middle of the first run would have left them (up to 4 GiB).
    const state = join(dir, 'stale-state');
    for (const name of ['first-run.zip', 'first-run.zip.part', 'first-run.zip.part.json']) {
      await writeFile(join(state, name), 'x');
    }
    expect((await runPair(pair)).counts).toMatchObject({ added: 0, failed: 0 });
    expect((await readdir(state)).filter((n) => n.includes('first-run'))).toEqual([]);
  });
});
