/**
 * Issue 25.4: the host's sync trash never loses a file. A name is tested with lstat (a trashed
 * file over 2 GiB, sparse, is never read), nothing there is replaced, a taken name gets a number,
 * and a trash name held by a folder when a file arrives (or by a file when a folder is needed)
 * gets a number too instead of failing every run.
 */
import { mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trashInside } from './trash';

const GiB = 1024 ** 3;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trash-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A sparse file of `size` bytes (truncate: no block written). */
async function sparse(path: string, size: number): Promise<void> {
  const handle = await open(path, 'wx');
  await handle.truncate(size);
  await handle.close();
}

describe('trashInside (the browser host trash)', () => {
  it('a 3 GiB trashed file keeps its name and bytes; the newer file of that name is numbered', async () => {
    await mkdir(join(root, '.trash', 'Docs'), { recursive: true });
    await sparse(join(root, '.trash', 'Docs', 'video.mp4'), 3 * GiB);
    await mkdir(join(root, 'Docs'));
    await writeFile(join(root, 'Docs', 'video.mp4'), 'fourteen bytes');
    const rssBefore = process.memoryUsage().rss;
    const placed = await trashInside(root, join(root, 'Docs', 'video.mp4'));
    expect(placed).toBe(join(root, '.trash', 'Docs', 'video (1).mp4'));
    expect((await stat(join(root, '.trash', 'Docs', 'video.mp4'))).size).toBe(3 * GiB);
    expect(await readFile(placed, 'utf8')).toBe('fourteen bytes');
    // Nothing was read to test the name (a 1.5 GiB file read whole cost 1.5 GiB of memory).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('numbers past every taken name; nothing is replaced', async () => {
    await mkdir(join(root, '.trash'));
    await writeFile(join(root, '.trash', 'a.txt'), 'first');
    await writeFile(join(root, '.trash', 'a (1).txt'), 'second');
    await writeFile(join(root, 'a.txt'), 'third');
    await trashInside(root, join(root, 'a.txt'));
    expect(await readFile(join(root, '.trash', 'a.txt'), 'utf8')).toBe('first');
    expect(await readFile(join(root, '.trash', 'a (1).txt'), 'utf8')).toBe('second');
    expect(await readFile(join(root, '.trash', 'a (2).txt'), 'utf8')).toBe('third');
  });

  it('a file arriving where the trash holds a folder of that name gets a number', async () => {
    await mkdir(join(root, '.trash', 'report.pdf'), { recursive: true });
    await writeFile(join(root, '.trash', 'report.pdf', 'inner'), 'kept');
    await writeFile(join(root, 'report.pdf'), 'pdf');
    await trashInside(root, join(root, 'report.pdf'));
    expect(await readFile(join(root, '.trash', 'report (1).pdf'), 'utf8')).toBe('pdf');
    expect(await readFile(join(root, '.trash', 'report.pdf', 'inner'), 'utf8')).toBe('kept');
  });

  it('a folder needed where the trash holds a file of that name gets a number (it failed every run)', async () => {
    await mkdir(join(root, '.trash'));
    await writeFile(join(root, '.trash', 'Docs'), 'a file once called Docs');
    await mkdir(join(root, 'Docs'));
    await writeFile(join(root, 'Docs', 'a.txt'), 'alpha');
    for (let run = 0; run < 2; run++) {
      await writeFile(join(root, 'Docs', 'a.txt'), `alpha ${run}`);
      await trashInside(root, join(root, 'Docs', 'a.txt'));
    }
    expect(await readFile(join(root, '.trash', 'Docs'), 'utf8')).toBe('a file once called Docs');
    expect((await readdir(join(root, '.trash', 'Docs (1)'))).sort()).toEqual(['a (1).txt', 'a.txt']);
    expect(await readFile(join(root, '.trash', 'Docs (1)', 'a.txt'), 'utf8')).toBe('alpha 0');
    expect(await readFile(join(root, '.trash', 'Docs (1)', 'a (1).txt'), 'utf8')).toBe('alpha 1');
  });
});
