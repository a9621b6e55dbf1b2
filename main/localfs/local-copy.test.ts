/**
 * A download placed from a local copy of the same version (the drag-out cache's), through the
 * writer's usual way: nothing fetched, the Mark-of-the-Web set on the part before placing, never
 * over an existing file; a copy that does not fit (another size, a link, gone) is not used.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const marks = vi.hoisted(() => ({ calls: [] as Array<{ path: string; origin?: string }> }));
vi.mock('./mark-of-web', () => ({
  markDownloaded: vi.fn(async (path: string, source: { origin?: string }) => {
    marks.calls.push({ path, origin: source.origin });
    return 'marked';
  }),
}));

const { writeItem } = await import('./file-writer');
const { FakeSource, at } = await import('./test-support');

const DATA = new Uint8Array(300_000).map((_, i) => (i * 13 + 5) & 0xff);
let dir: string;
let cache: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-copy-'));
  cache = join(dir, 'cache');
  await mkdir(join(dir, 'out'), { recursive: true });
  await mkdir(cache);
  marks.calls.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function item(source: InstanceType<typeof FakeSource>, copy: string | null) {
  return {
    ...source.item(['photo.bin'], { modifiedAt: 1_700_000_000_000 }),
    origin: 'https://api.example',
    localCopy: async () => copy,
  };
}

describe('writeItem with a local copy', () => {
  it('places the copy: the same bytes, no request, marked before placing, the part gone', async () => {
    const source = new FakeSource(DATA);
    const copy = join(cache, 'photo.bin');
    await writeFile(copy, DATA);
    const progress: Array<[number, boolean]> = [];
    const target = join(dir, 'out', 'photo.bin');
    const result = await writeItem(item(source, copy), at(target), {
      events: { progress: (delta, fresh) => progress.push([delta, fresh]) },
    });
    expect(result).toMatchObject({ path: target, bytes: DATA.byteLength, fetched: 0, reused: DATA.byteLength });
    expect(source.requests).toEqual([]);
    expect(Buffer.from(await readFile(target)).equals(Buffer.from(DATA))).toBe(true);
    expect(marks.calls).toEqual([{ path: `${target}.part`, origin: 'https://api.example' }]);
    expect(await readdir(join(dir, 'out'))).toEqual(['photo.bin']);
    expect(progress.reduce((sum, [d]) => sum + d, 0)).toBe(DATA.byteLength);
    expect(progress.every(([, fresh]) => !fresh)).toBe(true); // nothing was received
    expect(existsSync(copy)).toBe(true); // the cache keeps its copy
  });

  it('never replaces a file: a taken name gets the next free one', async () => {
    const source = new FakeSource(DATA);
    const copy = join(cache, 'photo.bin');
    await writeFile(copy, DATA);
    const target = join(dir, 'out', 'photo.bin');
    await writeFile(target, 'mine');
    const result = await writeItem(item(source, copy), at(target), {
      reallocate: () => join(dir, 'out', 'photo (1).bin'),
    });
    expect(result.path).toBe(join(dir, 'out', 'photo (1).bin'));
    expect(await readFile(target, 'utf8')).toBe('mine');
    expect(source.requests).toEqual([]);
  });

  it('fetches instead when the copy does not fit: another size, a link, or gone', async () => {
    const wrongSize = join(cache, 'short.bin');
    await writeFile(wrongSize, DATA.subarray(0, 1000));
    const real = join(cache, 'real.bin');
    await writeFile(real, DATA);
    const link = join(cache, 'link.bin');
    await symlink(real, link);
    for (const [n, copy] of [wrongSize, link, join(cache, 'gone.bin')].entries()) {
      const source = new FakeSource(DATA);
      const target = join(dir, 'out', `photo-${n}.bin`);
      const result = await writeItem({ ...item(source, copy), segments: [`photo-${n}.bin`] }, at(target));
      expect(result.fetched).toBe(DATA.byteLength);
      expect(source.requests).toHaveLength(1);
      expect(Buffer.from(await readFile(target)).equals(Buffer.from(DATA))).toBe(true);
    }
  });
});
