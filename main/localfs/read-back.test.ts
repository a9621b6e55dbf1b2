/**
 * State files read back through `readBack` and the part sidecar, planted damaged or in another
 * shape: treated as absent with one log line naming the file, never a throw.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { partPaths, readPartState } from './part-files';
import { readBack } from './read-back';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'read-back-'));
  dirs.push(dir);
  return dir;
}

const schema = z.object({ n: z.number() });

describe('readBack', () => {
  it('a missing file is absent, silently; a good one is parsed', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    expect(await readBack(join(dir, 'state.json'), schema, (l) => log.push(l))).toBeNull();
    expect(log).toEqual([]);
    await writeFile(join(dir, 'state.json'), '{"n": 3}');
    expect(await readBack(join(dir, 'state.json'), schema, (l) => log.push(l))).toEqual({ n: 3 });
    expect(log).toEqual([]);
  });

  it.each([
    ['cut off', '{"n": 3'],
    ['empty', ''],
    ['binary', '\u0000\u0001\u0002'],
    ['another shape', '{"n": "three"}'],
    ['an array', '[{"n": 3}]'],
  ])('%s: absent, and the log names the file', async (_label, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'state.json'), content);
    const log: string[] = [];
    expect(await readBack(join(dir, 'state.json'), schema, (l) => log.push(l))).toBeNull();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^state\.json: .*ignored/);
  });

  it('a folder where the file should be: absent, logged (EISDIR)', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    expect(await readBack(dir, schema, (l) => log.push(l))).toBeNull();
    expect(log[0]).toMatch(/could not be read \(EISDIR\)/);
  });
});

describe('the part sidecar read back', () => {
  const good = { v: 1, etag: '"e"', lastModified: null, size: 10, hash: null, offset: 4 };

  it.each([
    ['not JSON', '{"v":1,'],
    ['another version', JSON.stringify({ ...good, v: 2 })],
    ['a negative offset', JSON.stringify({ ...good, offset: -5 })],
    ['a size of the wrong type', JSON.stringify({ ...good, size: '10' })],
    ['a fractional offset', JSON.stringify({ ...good, offset: 1.5 })],
  ])('%s: no state (the download is not resumed against it), logged', async (_label, content) => {
    const dir = await tempDir();
    const final = join(dir, 'file.bin');
    await writeFile(partPaths(final).sidecar, content);
    const log: string[] = [];
    expect(await readPartState(final, (l) => log.push(l))).toBeNull();
    expect(log.join('\n')).toMatch(/ignored/);
  });

  it('a good sidecar is read', async () => {
    const dir = await tempDir();
    const final = join(dir, 'file.bin');
    await writeFile(partPaths(final).sidecar, JSON.stringify(good));
    expect(await readPartState(final)).toEqual(good);
  });
});
