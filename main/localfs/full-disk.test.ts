/**
 * A full disk (issue 25.11): a download whose sidecar cannot be written fails with `disk_full` and
 * leaves no empty `.part.json.tmp` behind (the sidecar was written with a bare exclusive create,
 * which left the empty temporary file at every ENOSPC). On Linux as root the disk is a real 64 KiB
 * tmpfs, filled up; elsewhere the file system's writes fail with ENOSPC once `disk.full` is set.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ full: false, dir: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const enospc = () =>
    Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      if (!disk.full || !String(args[0]).startsWith(disk.dir)) return handle;
      return new Proxy(handle, {
        get(target, key) {
          if (key === 'writeFile' || key === 'write' || key === 'writev') return enospc;
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
});

const { writeItem } = await import('./file-writer');
const { FakeSource, at } = await import('./test-support');

let mounted = false;
beforeAll(async () => {
  disk.dir = await mkdtemp(join(tmpdir(), 'full-disk-'));
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk.dir], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  }
  if (mounted) {
    // Fill it: the filler takes every free block.
    await writeFile(join(disk.dir, 'filler'), Buffer.alloc(1024 * 1024)).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'ENOSPC') throw error;
    });
  } else {
    disk.full = true;
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [disk.dir]);
  await rm(disk.dir, { recursive: true, force: true });
});

it('a download on a full disk fails with disk_full and leaves no temporary sidecar', async () => {
  const source = new FakeSource(new Uint8Array(4096).fill(7));
  const item = { segments: ['a.bin'], size: 4096, fetch: source.fetch };
  await expect(writeItem(item, at(join(disk.dir, 'a.bin')))).rejects.toMatchObject({ code: 'disk_full' });
  const left = await readdir(disk.dir);
  expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  expect(left).not.toContain('a.bin');
});
