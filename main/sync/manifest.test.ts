import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Manifest } from './manifest';
import type { ManifestEntry } from './types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-manifest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(i: number): ManifestEntry {
  return {
    id: String(i),
    type: 'file',
    path: `folder ${i % 200}/file ${i}.bin`,
    size: i,
    mtime: 1e12 + i,
    rsize: i,
    rtime: 1e12 + i,
  };
}

describe('manifest', () => {
  it('survives a reopen: journal lines count, removals too', async () => {
    const m = await Manifest.open(dir);
    await Promise.all([m.put(entry(1)), m.put(entry(2)), m.put(entry(3))]);
    await m.remove('2');
    await m.close();
    const again = await Manifest.open(dir);
    expect([...again.entries.keys()].sort()).toEqual(['1', '3']);
    expect(again.get('3')).toEqual(entry(3));
    await again.close();
  });

  it('a torn last journal line (a kill mid-write) is ignored, and later lines are not lost', async () => {
    const m = await Manifest.open(dir);
    await m.put(entry(1));
    await m.close();
    await appendFile(join(dir, 'manifest.journal'), '{"i":"2","t":"f","p":"x');
    const reopened = await Manifest.open(dir);
    expect([...reopened.entries.keys()]).toEqual(['1']);
    await reopened.put(entry(5));
    await reopened.close();
    const third = await Manifest.open(dir);
    expect([...third.entries.keys()].sort()).toEqual(['1', '5']);
    await third.close();
  });

  it('compaction folds the journal into the snapshot atomically', async () => {
    const m = await Manifest.open(dir);
    for (let i = 0; i < 10; i++) await m.put(entry(i));
    await m.remove('4');
    await m.compact();
    expect(m.journalLines).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['manifest.jsonl']);
    expect((await readFile(join(dir, 'manifest.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(9);
    await m.close();
  });

  it('holds 100,000 entries: written, compacted and loaded in seconds', async () => {
    const m = await Manifest.open(dir);
    const started = performance.now();
    await Promise.all(Array.from({ length: 100_000 }, (_, i) => m.put(entry(i))));
    await m.compact();
    await m.close();
    const loadStart = performance.now();
    const again = await Manifest.open(dir);
    const loadMs = performance.now() - loadStart;
    expect(again.entries.size).toBe(100_000);
    expect(again.get('99999')).toEqual(entry(99_999));
    expect(loadMs).toBeLessThan(5000);
    expect(performance.now() - started).toBeLessThan(20_000);
    await again.close();
  }, 30_000);
});
