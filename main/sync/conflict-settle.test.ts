/**
 * Issue 25.7: a conflict copy is never renamed on every later run. Two ways it happened: the pair
 * folder already held a different `a.txt` when the remote `a.txt` arrived, and a run killed after
 * a conflict copy was placed but before it was recorded, followed by a remote change. Either way,
 * a settled pair plans nothing: three unchanged runs in a row, zero actions.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPair } from './engine';
import type { RunOptions } from './engine';
import { Manifest } from './manifest';
import { FakeRemote, T, runOptions } from './test-support';

let dir: string;
let root: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-conflict-'));
  root = join(dir, 'pair');
  await mkdir(root);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs on three different days, so a copy's date never matches by chance. */
function options(remote: FakeRemote, day = '2026-11-29'): RunOptions {
  return runOptions(
    { root, stateDir: join(dir, 'state'), source: remote },
    { now: () => Date.parse(`${day}T12:00:00Z`) },
  );
}

async function settled(remote: FakeRemote): Promise<void> {
  for (const day of ['2026-11-30', '2026-12-01', '2026-12-02']) {
    const outcome = await runPair(options(remote, day));
    expect(outcome.plan.actions).toEqual([]);
    expect(outcome.counts.moved).toBe(0);
  }
}

describe('a conflict copy settles', () => {
  it('the pair folder already held a different a.txt: the copy lands beside it once, then stays', async () => {
    await writeFile(join(root, 'a.txt'), 'mine, not synced');
    const remote = new FakeRemote();
    remote.put('7', 'a.txt', null, 'from the cloud');
    const first = await runPair(options(remote));
    expect(first.counts.conflicts).toBe(1);
    await settled(remote);
    expect((await readdir(root)).sort()).toEqual(['a (kDrive conflict 2026-11-29).txt', 'a.txt']);
    // A later remote change updates the copy in place (it is the synced file), still beside mine.
    remote.put('7', 'a.txt', null, 'from the cloud, v2', T + 60_000);
    await runPair(options(remote, '2026-12-03'));
    expect(await readFile(join(root, 'a (kDrive conflict 2026-11-29).txt'), 'utf8')).toBe('from the cloud, v2');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('mine, not synced');
    await settled(remote);
  });

  it('a run killed after placing a conflict copy, before recording it, then a remote change', async () => {
    await writeFile(join(root, 'a.txt'), 'mine, not synced');
    const remote = new FakeRemote();
    remote.put('7', 'a.txt', null, 'from the cloud');
    await runPair(options(remote));
    // The kill: the copy is on disk, the manifest never heard of it.
    const manifest = await Manifest.open(join(dir, 'state'));
    await manifest.remove('7');
    await manifest.compact();
    await manifest.close();
    remote.put('7', 'a.txt', null, 'from the cloud, v2', T + 60_000);
    const after = await runPair(options(remote, '2026-11-29'));
    expect(after.counts.conflicts).toBe(1);
    await settled(remote);
    expect((await readdir(root)).sort()).toEqual([
      'a (kDrive conflict 2026-11-29) (1).txt',
      'a (kDrive conflict 2026-11-29).txt',
      'a.txt',
    ]);
  });

  it('killed before recording, nothing changed remotely: the copy on disk is adopted, not written twice', async () => {
    await writeFile(join(root, 'a.txt'), 'mine, not synced');
    const remote = new FakeRemote();
    remote.put('7', 'a.txt', null, 'from the cloud');
    await runPair(options(remote));
    const manifest = await Manifest.open(join(dir, 'state'));
    await manifest.remove('7');
    await manifest.compact();
    await manifest.close();
    remote.downloads = [];
    const again = await runPair(options(remote));
    expect(again.plan.actions).toEqual([{ kind: 'adopt', id: '7', path: 'a (kDrive conflict 2026-11-29).txt' }]);
    expect(remote.downloads).toEqual([]);
    await settled(remote);
  });
});
