import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exists, inside, resolveTarget, sizeOf, targetOf } from './paths';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paths-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exists and sizeOf (lstat: links are never followed)', () => {
  it('a file, a folder and a dangling link exist; a missing name and a name below a file do not', async () => {
    await writeFile(join(dir, 'file'), 'abc');
    await mkdir(join(dir, 'folder'));
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(await exists(join(dir, 'file'))).toBe(true);
    expect(await exists(join(dir, 'folder'))).toBe(true);
    expect(await exists(join(dir, 'dangling'))).toBe(true);
    expect(await exists(join(dir, 'missing'))).toBe(false);
    expect(await exists(join(dir, 'file', 'below'))).toBe(false);
  });

  it('sizeOf is the size of a regular file only (a link to a file, or a folder: null)', async () => {
    await writeFile(join(dir, 'file'), 'abc');
    await symlink(join(dir, 'file'), join(dir, 'link'));
    await mkdir(join(dir, 'folder'));
    expect(await sizeOf(join(dir, 'file'))).toBe(3);
    expect(await sizeOf(join(dir, 'link'))).toBeNull();
    expect(await sizeOf(join(dir, 'folder'))).toBeNull();
    expect(await sizeOf(join(dir, 'missing'))).toBeNull();
  });

  it('a failure other than "not there" is thrown, never read as absent', async () => {
    const tooLong = join(dir, 'x'.repeat(5000));
    await expect(exists(tooLong)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    await expect(sizeOf(tooLong)).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
  });
});

describe('resolveTarget', () => {
  it('resolves a path below its root, with either separator', async () => {
    expect(await resolveTarget(inside(dir, 'a/b\\c.txt'))).toBe(resolve(dir, 'a', 'b', 'c.txt'));
    expect(await resolveTarget(targetOf(dir, join(dir, 'a', 'b.txt')))).toBe(resolve(dir, 'a', 'b.txt'));
  });

  it('refuses the root itself, `..` out of it and an absolute path', async () => {
    for (const path of ['', '.', '../x', 'a/../../x', join(dir, '..', 'x')]) {
      await expect(resolveTarget(inside(dir, path)), path).rejects.toMatchObject({ code: 'io' });
    }
  });
});
