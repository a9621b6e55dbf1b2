/**
 * Issue 21.1, adversarial: a link (or a Windows junction, or a file where a folder belongs) planted
 * anywhere between a write's root and its target is refused, by every writer of localfs, and not
 * one byte lands outside the root.
 */
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic';
import { writeItem } from './file-writer';
import { appendInside, inside, mkdirInside, resolveTarget } from './paths';
import { renameInside } from './placement';
import type { PathFs } from './paths';
import { trashInside } from './trash';
import { FakeSource } from './test-support';

let dir: string;
let root: string;
let outside: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'links-'));
  root = join(dir, 'root');
  outside = join(dir, 'outside');
  await mkdir(root);
  await mkdir(outside);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything below `outside`, to prove that nothing was written there. */
async function outsideTree(): Promise<string[]> {
  return (await readdir(outside, { recursive: true })).sort();
}

const item = (text: string) => ({
  segments: ['x'],
  size: Buffer.byteLength(text),
  content: async () => new TextEncoder().encode(text),
});

describe('resolveTarget refuses a link anywhere on the way', () => {
  it('a folder below the root that is a link: refused with unsafe_path, naming the path', async () => {
    await symlink(outside, join(root, 'Docs'));
    await expect(resolveTarget(inside(root, 'Docs/a.txt'))).rejects.toMatchObject({
      code: 'unsafe_path',
      details: { path: 'Docs' },
    });
    await expect(resolveTarget(inside(root, 'Docs/deeper/a.txt'))).rejects.toMatchObject({ code: 'unsafe_path' });
  });

  it('the target itself is a link: refused (a file replaced by a link)', async () => {
    await writeFile(join(outside, 'a.txt'), 'outside');
    await symlink(join(outside, 'a.txt'), join(root, 'a.txt'));
    await expect(resolveTarget(inside(root, 'a.txt'))).rejects.toMatchObject({ code: 'unsafe_path' });
  });

  it('a file where a folder belongs: refused as io, naming it (a folder replaced by a file)', async () => {
    await writeFile(join(root, 'Docs'), 'I am a file now');
    await expect(resolveTarget(inside(root, 'Docs/a.txt'))).rejects.toMatchObject({
      code: 'io',
      details: { path: 'Docs' },
    });
    await expect(mkdirInside(inside(root, 'Docs'))).rejects.toMatchObject({ code: 'io', details: { path: 'Docs' } });
  });

  it('a root that became a link is refused; a missing root is an io error', async () => {
    const linked = join(dir, 'linked-root');
    await symlink(outside, linked);
    await expect(resolveTarget(inside(linked, 'a.txt'))).rejects.toMatchObject({ code: 'unsafe_path' });
    await expect(resolveTarget(inside(join(dir, 'gone'), 'a.txt'))).rejects.toMatchObject({ code: 'io' });
  });

  it('real folders, and names not there yet, resolve', async () => {
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    expect(await resolveTarget(inside(root, 'a/b/c/d.txt'))).toBe(join(root, 'a', 'b', 'c', 'd.txt'));
  });

  it('Windows: a junction (lstat reports it as a link there) is refused, with a mocked file system', async () => {
    const winRoot = 'C:\\Users\\me\\Pair';
    const kinds: Record<string, 'dir' | 'junction' | 'file'> = {
      [winRoot]: 'dir',
      [`${winRoot}\\Docs`]: 'junction',
      [`${winRoot}\\Real`]: 'dir',
    };
    const fs: PathFs = {
      path: win32,
      lstat: async (path) => {
        const kind = kinds[path];
        if (!kind) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        // What Node's lstat says on Windows: a junction is a symbolic link, neither a folder nor a file.
        return {
          isSymbolicLink: () => kind === 'junction',
          isDirectory: () => kind === 'dir',
          isFile: () => kind === 'file',
        };
      },
    };
    await expect(resolveTarget(inside(winRoot, 'Docs\\a.txt'), fs)).rejects.toMatchObject({
      code: 'unsafe_path',
      details: { path: 'Docs' },
    });
    expect(await resolveTarget(inside(winRoot, 'Real\\a.txt'), fs)).toBe(`${winRoot}\\Real\\a.txt`);
  });
});

describe('every localfs writer goes through it: 0 bytes outside', () => {
  beforeEach(async () => {
    await symlink(outside, join(root, 'Docs'));
  });

  it('writeItem (downloads, sync, drag staging): a download and generated content', async () => {
    const source = new FakeSource(new Uint8Array(70_000).fill(7));
    await expect(
      writeItem({ segments: ['a.bin'], size: 70_000, fetch: source.fetch }, inside(root, 'Docs/a.bin')),
    ).rejects.toMatchObject({ code: 'unsafe_path' });
    await expect(writeItem(item('hello'), inside(root, 'Docs/b.txt'))).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    expect(source.requests).toHaveLength(0);
    expect(await outsideTree()).toEqual([]);
  });

  it('writeFileAtomic, mkdirInside and appendInside (the journals)', async () => {
    await expect(writeFileAtomic(inside(root, 'Docs/state.json'), '{}')).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    await expect(mkdirInside(inside(root, 'Docs/new/deeper'))).rejects.toMatchObject({ code: 'unsafe_path' });
    await expect(appendInside(inside(root, 'Docs/journal'), 'line\n')).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    // A journal that is itself a link is not appended through either.
    await writeFile(join(outside, 'victim'), 'keep');
    await symlink(join(outside, 'victim'), join(root, 'journal'));
    await expect(appendInside(inside(root, 'journal'), 'line\n')).rejects.toBeDefined();
    expect(await outsideTree()).toEqual(['victim']);
  });

  it('renameInside: neither a source nor a target through a link', async () => {
    await writeFile(join(root, 'mine.txt'), 'mine');
    await writeFile(join(outside, 'theirs.txt'), 'theirs');
    await expect(renameInside(inside(root, 'mine.txt'), inside(root, 'Docs/mine.txt'))).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    await expect(renameInside(inside(root, 'Docs/theirs.txt'), inside(root, 'theirs.txt'))).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    expect(await outsideTree()).toEqual(['theirs.txt']);
    expect((await lstat(join(root, 'mine.txt'))).isFile()).toBe(true);
  });

  it('trashInside: a file behind a link is not trashed, and the trash is not written through a link', async () => {
    await writeFile(join(outside, 'theirs.txt'), 'theirs');
    await expect(trashInside(root, join(root, 'Docs', 'theirs.txt'))).rejects.toMatchObject({
      code: 'unsafe_path',
    });
    await writeFile(join(root, 'mine.txt'), 'mine');
    await symlink(outside, join(root, '.trash'));
    await expect(trashInside(root, join(root, 'mine.txt'))).rejects.toMatchObject({ code: 'unsafe_path' });
    expect(await outsideTree()).toEqual(['theirs.txt']);
  });
});
