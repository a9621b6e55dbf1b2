import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanLocal } from './local';
import { foldFor } from './names';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-local-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanLocal', () => {
  it('lists files with their size and time, skipping the engine and transfer files', async () => {
    await mkdir(join(root, 'Sub'));
    await writeFile(join(root, 'Sub', 'a.txt'), 'alpha');
    await writeFile(join(root, 'Sub', 'b.txt.part'), 'half');
    await writeFile(join(root, 'Sub', 'b.txt.part.json'), '{}');
    const tree = await scanLocal(root, foldFor('linux'));
    expect([...tree.values()].map((e) => [e.path, e.type, e.size]).sort()).toEqual([
      ['Sub', 'dir', 0],
      ['Sub/a.txt', 'file', 5],
    ]);
  });

  it('takes trusted files at their recorded size and time instead of stat-ing them (by folded path)', async () => {
    await mkdir(join(root, 'Sub'));
    await writeFile(join(root, 'Sub', 'Trusted.txt'), 'on disk');
    await writeFile(join(root, 'Sub', 'other.txt'), 'other');
    await mkdir(join(root, 'was-a-file'));
    const trusted = new Map([
      ['sub/trusted.txt', { size: 1234, mtime: 42 }],
      ['was-a-file', { size: 7, mtime: 7 }],
    ]);
    const tree = await scanLocal(root, foldFor('darwin'), trusted);
    expect(tree.get('Sub/Trusted.txt')).toEqual({ path: 'Sub/Trusted.txt', type: 'file', size: 1234, mtime: 42 });
    expect(tree.get('Sub/other.txt')?.size).toBe(5);
    // Only files are trusted: a folder where a file was is seen as the folder it is.
    expect(tree.get('was-a-file')?.type).toBe('dir');
  });
});
