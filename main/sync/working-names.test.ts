/**
 * Issue 25.5: remote files named like the app's working files (`*.part`, `*.part.json`,
 * `*.poweron-sync`) are files like any other. Against the simulator: they sync once, and six
 * unchanged runs later nothing was planned and nothing downloaded again (the simulator's request
 * log counts). An update of a file is written beside it under a reserved working name that no
 * remote file is given, and an old version's leftover update file is cleaned up.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { kdriveSubtree } from '../sources/kdrive-subtree';
import { clientFor } from '../sources/test-support';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { assignPaths } from './names';
import { FakeRemote, SYNC_TOKEN, T, projectScenario, runOptions } from './test-support';

const DRIVE = 5525;
const scenario = projectScenario('working-names', DRIVE, [
  { name: 'a.part', content: 'a remote file that ends in .part' },
  { name: 'b.part.json', content: '{"not":"a sidecar"}' },
  { name: 'c.poweron-sync', content: 'not an update file' },
  { name: 'plain.txt', content: 'plain' },
]);

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, SYNC_TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'sync-names-'));
});
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function options(root: string, source: RunOptions['source']): RunOptions {
  return runOptions({ root, stateDir: join(dir, 'state'), source });
}

describe("remote names like the app's working files", () => {
  it('sync once; six unchanged runs later: nothing planned, nothing downloaded again', async () => {
    const root = join(dir, 'pair');
    await mkdir(root);
    const project = sim.idOf(DRIVE, '/Common documents/Project')!;
    const source = kdriveSubtree(client, { driveId: DRIVE, folderId: project });
    const downloads = () =>
      sim.log.entries().filter((e) => e.route === 'GET /2/drive/{drive}/files/{file}/download').length;
    const first = await runPair(options(root, source));
    expect(first.counts).toMatchObject({ added: 4, failed: 0 });
    expect(downloads()).toBe(4);
    sim.log.reset();
    for (let run = 0; run < 6; run++) {
      const outcome = await runPair(options(root, source));
      expect(outcome.plan.actions).toEqual([]);
    }
    expect(downloads()).toBe(0);
    // One listing request per run, nothing else.
    expect(sim.log.entries().filter((e) => e.origin === 'api')).toHaveLength(6);
    expect((await readdir(root)).sort()).toEqual(['a.part', 'b.part.json', 'c.poweron-sync', 'plain.txt']);
    expect(await readFile(join(root, 'a.part'), 'utf8')).toBe('a remote file that ends in .part');
  });
});

describe('working names are reserved beside their files', () => {
  it('a remote `x.poweron-sync` next to `x` gets another name: the update of `x` can never touch it', () => {
    const remote = new FakeRemote();
    remote.put('1', 'x', null, 'x');
    remote.put('2', 'x.poweron-sync', null, 'a remote file');
    remote.put('3', 'x.part', null, 'another');
    const paths = assignPaths(remote.entries, new Map(), (s) => s);
    expect(paths.get('1')).toBe('x');
    expect(new Set([paths.get('2'), paths.get('3')]).has('x.poweron-sync')).toBe(false);
    expect(paths.get('3')).not.toBe('x.part');
  });

  it("an update is written as `<name>.poweron-sync` and renamed over; an old version's leftover is removed", async () => {
    const root = join(dir, 'updates');
    await mkdir(root);
    const remote = new FakeRemote();
    remote.put('1', 'doc.txt', null, 'v1');
    const run = (r: FakeRemote) => runPair({ ...options(root, r), stateDir: join(dir, 'updates-state') });
    await run(remote);
    await writeFile(join(root, '.0123abcd.poweron-sync'), 'left by an older version');
    remote.put('1', 'doc.txt', null, 'v2', T + 60_000);
    const outcome = await run(remote);
    expect(outcome.counts.updated).toBe(1);
    expect(await readdir(root)).toEqual(['doc.txt']);
    expect(await readFile(join(root, 'doc.txt'), 'utf8')).toBe('v2');
  });
});
