/**
 * The one atomic write of state files, attacked: links planted at the names it uses, a failing
 * write, writers racing on one file, and whether it flushes.
 */
import { lstat, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const flushes = vi.hoisted(() => ({ files: 0, dirs: 0, failWrite: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const isDir = (await handle.stat()).isDirectory();
      return new Proxy(handle, {
        get(target, key) {
          if (key === 'datasync')
            return () => {
              flushes.files++;
              return target.datasync();
            };
          if (key === 'sync')
            return () => {
              if (isDir) flushes.dirs++;
              else flushes.files++;
              return target.sync();
            };
          if (key === 'writeFile')
            return (data: string | Uint8Array) =>
              flushes.failWrite
                ? Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' }))
                : target.writeFile(data);
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
});

const { writeFileAtomic } = await import('./atomic');
const { inside } = await import('./paths');

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  outside = await mkdtemp(join(tmpdir(), 'atomic-outside-'));
  Object.assign(flushes, { files: 0, dirs: 0, failWrite: false });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes, flushes the file and its folder, and leaves nothing else behind', async () => {
    await writeFileAtomic(inside(dir, 'state.json'), '{"v":1}');
    await writeFileAtomic(inside(dir, 'state.json'), '{"v":2}');
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('{"v":2}');
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(flushes).toMatchObject({ files: 2, dirs: 2 });
  });

  it('never writes through a link planted at the old fixed temporary name (`<file>.tmp`)', async () => {
    const victim = join(outside, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'pairs.json.tmp'));
    await writeFileAtomic(inside(dir, 'pairs.json'), '{"pairs":[]}');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dir, 'pairs.json'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'pairs.json'), 'utf8')).toBe('{"pairs":[]}');
  });

  it('a link planted at a named temporary file (a sidecar) is removed, never followed', async () => {
    const victim = join(outside, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'a.part.json.tmp'));
    await writeFileAtomic(inside(dir, 'a.part.json'), '{}', { durable: false, tmpName: 'a.part.json.tmp' });
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['a.part.json']);
    expect(flushes).toMatchObject({ files: 0, dirs: 0 });
  });

  it('refuses a link at the target itself (issue 21: no link anywhere), never writing the file it points to', async () => {
    const victim = join(outside, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'state.json'));
    await expect(writeFileAtomic(inside(dir, 'state.json'), 'new')).rejects.toMatchObject({ code: 'unsafe_path' });
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dir, 'state.json'))).isSymbolicLink()).toBe(true);
  });

  it('a failed write keeps the old file whole and removes its temporary file', async () => {
    await writeFileAtomic(inside(dir, 'state.json'), 'old');
    flushes.failWrite = true;
    await expect(writeFileAtomic(inside(dir, 'state.json'), 'new')).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('writers racing on one file each use their own temporary file: the file ends whole', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => JSON.stringify({ writer: i, pad: 'x'.repeat(10_000) }));
    await Promise.all(texts.map((text) => writeFileAtomic(inside(dir, 'state.json'), text)));
    expect(texts).toContain(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('refuses a target outside its root', async () => {
    await expect(writeFileAtomic(inside(dir, '../escape.json'), 'x')).rejects.toMatchObject({ code: 'io' });
    expect(await readdir(join(dir, '..'))).not.toContain('escape.json');
  });
});
