import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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
  it('lists files and folders with their size and time; hides nothing by its name, never follows a link (25.5)', async () => {
    await mkdir(join(root, 'Sub'));
    await writeFile(join(root, 'Sub', 'a.txt'), 'alpha');
    await writeFile(join(root, 'Sub', 'b.txt.part'), 'half');
    await writeFile(join(root, 'Sub', 'c.poweron-sync'), 'c');
    await writeFile(join(root, 'Sub', '.0123abcd.poweron-sync'), 'old update file');
    await mkdir(join(root, '.trash'));
    await writeFile(join(root, '.trash', 'gone.txt'), 'gone');
    await symlink(root, join(root, 'Sub', 'loop'));
    const tree = await scanLocal(root, foldFor('linux'));
    expect([...tree.values()].map((e) => [e.path, e.type, e.size]).sort()).toEqual([
      ['Sub', 'dir', 0],
      ['Sub/.0123abcd.poweron-sync', 'file', 15],
      ['Sub/a.txt', 'file', 5],
      ['Sub/b.txt.part', 'file', 4],
      ['Sub/c.poweron-sync', 'file', 1],
    ]);
    expect(tree.leftovers).toEqual(['Sub/.0123abcd.poweron-sync']);
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
