import {
  cpSync,
  readFileSync,
  statSync,
  readdirSync,
  renameSync,
  utimesSync,
  writeFileSync,
  mkdirSync,
  existsSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { writeItem } from '../localfs/file-writer';
import { at } from '../localfs/test-support';
import type { DownloadItem } from '../localfs/types';
import { DragOut } from './service';
import { fileId, filesOnDisk, harness } from './test-support';
import type { Harness } from './test-support';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** A drag of these ids (Electron): main stages what is not there yet, then starts the OS drag. */
let drags = 0;
function drag(ids: string[]) {
  drags += 1;
  return h!.service.start(ids, `drag-${drags}`, 'app://renderer/');
}

describe('staging begins with a drag, and only then', () => {
  it('has no way in but a drag: nothing is staged or fetched until one begins', () => {
    // Selection, dwelling and clicks reach main as nothing at all (the renderer's drag hooks send
    // `drag:start` from dragstart only, and the `drag:prepare` channel is gone).
    expect('prepare' in DragOut.prototype).toBe(false);
    expect(Object.getOwnPropertyNames(DragOut.prototype).sort()).toEqual(
      ['constructor', 'dispose', 'evicted', 'link', 'open', 'release', 'start', 'withStagedCopy', 'useLinks'].sort(),
    );
  });

  it('a drag stages a file: preparing, then ready, with the exact bytes under ready/ and no part there', async () => {
    const startDrag = vi.fn(async (_paths: string[]) => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 100_000);
    await expect(drag([node.id])).resolves.toEqual({ outcome: 'started' });
    expect(h.emitted.filter((s) => s.nodeId === node.id).map((s) => s.state)).toContain('preparing');
    expect(h.last(node.id)).toMatchObject({ state: 'ready', bytesDone: 100_000, bytesTotal: 100_000 });
    const files = filesOnDisk(join(h.cache.root, 'ready'));
    expect(files).toHaveLength(1);
    expect(startDrag.mock.calls[0]![0]).toEqual([files[0]!.path]);
    expect(readFileSync(files[0]!.path)).toEqual(Buffer.from(h.world.source(node.id).read(0, 100_000)));
    expect(filesOnDisk(h.cache.root).some((f) => f.path.includes('.part'))).toBe(false);
    expect(h.world.jobs).toBe(1);
    // The next drag of it costs nothing: it is there.
    await expect(drag([node.id])).resolves.toEqual({ outcome: 'started' });
    expect(h.world.jobs).toBe(1);
    expect(h.world.source(node.id).requests).toHaveLength(1);
  });

  it('keeps parts in the private tmp folder while staging, never below ready/', async () => {
    h = await harness({ startDrag: async () => undefined });
    const node = h.world.addFile(1, 200_000);
    h.world.source(node.id).pauseAt = [100_000];
    const outcome = drag([node.id]);
    await vi.waitFor(() =>
      expect(filesOnDisk(join(h!.cache.root, 'tmp')).some((f) => f.path.endsWith('.part'))).toBe(true),
    );
    expect(filesOnDisk(join(h.cache.root, 'ready'))).toEqual([]);
    h.world.source(node.id).release();
    await expect(outcome).resolves.toEqual({ outcome: 'started' });
    expect(filesOnDisk(join(h.cache.root, 'tmp'))).toEqual([]);
  });

  it('says "Save to…" for a file over the stage limit without spending a request', async () => {
    h = await harness({ stageLimitBytes: 1000, startDrag: async () => undefined });
    const node = h.world.addFile(1, 5000);
    await expect(drag([node.id])).resolves.toEqual({ outcome: 'saveTo' });
    expect(h.last(node.id)?.state).toBe('saveTo');
    expect(h.world.jobs).toBe(0);
  });

  it('stages a small folder as a folder, and says "Save to…" for one with too many files', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ maxFolderFiles: 2, startDrag });
    const a = h.world.addFile('a', 10);
    const b = h.world.addFile('b', 20);
    const c = h.world.addFile('c', 30);
    const small = h.world.addFolder('small', [a.id, b.id]);
    const big = h.world.addFolder('big', [a.id, b.id, c.id]);
    await expect(drag([small.id])).resolves.toEqual({ outcome: 'started' });
    await expect(drag([big.id])).resolves.toEqual({ outcome: 'saveTo' });
    const files = filesOnDisk(join(h.cache.root, 'ready')).map((f) => f.path.split('/').slice(-2).join('/'));
    expect(files.sort()).toEqual(['folder-small/file-a.bin', 'folder-small/file-b.bin']);
  });

  it('a staged folder swapped for a link while staging: nothing written outside, the staging fails (21.1)', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag });
    const a = h.world.addFile('a', 50_000);
    h.world.source(a.id).pauseAt = [10_000];
    const folder = h.world.addFolder('box', [a.id]);
    void h.service.start([folder.id], 'd1', 'app://renderer/').catch(() => undefined);
    await vi.waitFor(() =>
      expect(filesOnDisk(join(h!.cache.root, 'tmp')).some((f) => f.path.endsWith('.part'))).toBe(true),
    );
    const part = filesOnDisk(join(h.cache.root, 'tmp')).find((f) => f.path.endsWith('.part'))!.path;
    const staged = dirname(part);
    // Moved elsewhere with its part, and linked back.
    const outside = join(h.root, 'outside');
    cpSync(staged, outside, { recursive: true });
    renameSync(staged, `${staged}.moved`);
    symlinkSync(outside, staged);
    const before = readdirSync(outside).map((name) => [name, statSync(join(outside, name)).size]);
    h.world.source(a.id).release();
    await h.until(folder.id, 'failed');
    expect(h.last(folder.id)?.error?.code).toBe('unsafe_path');
    expect(readdirSync(outside).map((name) => [name, statSync(join(outside, name)).size])).toEqual(before);
  });

  it('reports a failed staging with the reason and keeps nothing', async () => {
    h = await harness({ startDrag: async () => undefined });
    const node = h.world.addFile(1, 50_000);
    h.world.source(node.id).fetch = async () => {
      throw new AppFailure('network', 'The connection was lost (ECONNRESET).');
    };
    await expect(drag([node.id])).rejects.toMatchObject({ code: 'network' });
    expect(h.last(node.id)?.error?.code).toBe('network');
    expect(filesOnDisk(h.cache.root)).toEqual([]);
  });
});

describe('a staged copy is reused by a following Download or Save to…', () => {
  /** Writes the node's job as a transfer would, with the staged copy offered. */
  async function download(id: string, name: string) {
    const job = h!.service.withStagedCopy(id, await h!.world.job(id));
    const out = join(h!.root, 'Downloads');
    mkdirSync(out, { recursive: true });
    for await (const item of job.items) {
      if ('fetch' in item) return writeItem(item as DownloadItem, at(join(out, name)));
    }
    throw new Error('no file in the job');
  }

  it('a drag stages it; the Download then fetches nothing and places the same bytes', async () => {
    h = await harness({ startDrag: async () => undefined });
    const node = h.world.addFile(1, 300_000);
    await drag([node.id]);
    const requests = h.world.source(node.id).requests.length;
    expect(requests).toBe(1);
    const result = await download(node.id, 'file-1.bin');
    expect(result).toMatchObject({ fetched: 0, reused: 300_000 });
    expect(h.world.source(node.id).requests).toHaveLength(requests);
    expect(readFileSync(result.path)).toEqual(Buffer.from(h.world.source(node.id).read(0, 300_000)));
    // The cache keeps its copy for the next drag.
    expect(filesOnDisk(join(h.cache.root, 'ready'))).toHaveLength(1);
  });

  it('a node that changed since (another size or time) is fetched: the copy is of the old version', async () => {
    h = await harness({ startDrag: async () => undefined });
    const node = h.world.addFile(1, 1000);
    await drag([node.id]);
    h.world.nodes.set(node.id, { ...node, modifiedAt: node.modifiedAt! + 60_000 });
    const result = await download(node.id, 'file-1.bin');
    expect(result.fetched).toBe(1000);
    expect(h.world.source(node.id).requests).toHaveLength(2);
  });

  it('a folder’s job and a node never staged are left as they are', async () => {
    h = await harness({ startDrag: async () => undefined });
    const a = h.world.addFile('a', 10);
    const folder = h.world.addFolder('f', [a.id]);
    await drag([folder.id]);
    const job = await h.world.job(folder.id);
    expect(h.service.withStagedCopy(folder.id, job)).toBe(job);
    const other = h.world.addFile('b', 10);
    const otherJob = await h.world.job(other.id);
    expect(h.service.withStagedCopy(other.id, otherJob)).toBe(otherJob);
  });
});

describe('ids', () => {
  it('refuses unknown, foreign and non-downloadable ids on every entry point', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag });
    h.world.addFile(1, 10);
    const root = { ...h.world.addFile('root', 1), downloadable: false };
    h.world.nodes.set(root.id, root);
    const unknown = fileId(999);
    const foreign = 'conn:other/kdrive/drive:1/f:1';
    await expect(h.service.start(['../../etc/passwd'], 'd0', 'app://renderer/')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(h.service.start([fileId(1), unknown], 'd1', 'app://renderer/')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.service.start([foreign], 'd2', 'app://renderer/')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.service.start([root.id], 'd3', 'app://renderer/')).rejects.toMatchObject({ code: 'validation' });
    expect(() => h!.service.link(foreign)).toThrow();
    await expect(h.service.open(foreign, new AbortController().signal)).rejects.toMatchObject({ code: 'forbidden' });
    expect(startDrag).not.toHaveBeenCalled();
    expect(h.world.jobs).toBe(0);
  });
});

describe('start', () => {
  it('starts at once with the staged paths when everything is staged', async () => {
    const startDrag = vi.fn(async (_paths: string[]) => undefined);
    h = await harness({ startDrag });
    const a = h.world.addFile(1, 1000);
    const b = h.world.addFile(2, 2000);
    await drag([a.id]);
    await drag([b.id]);
    startDrag.mockClear();
    await expect(h.service.start([a.id, b.id], 'd', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    expect(h.world.jobs).toBe(2);
    const paths = startDrag.mock.calls[0]![0];
    expect(paths.map((p) => p.split('/').at(-1))).toEqual(['file-1.bin', 'file-2.bin']);
    for (const p of paths) expect(p.startsWith(join(h.cache.root, 'ready'))).toBe(true);
  });

  it('a drag that starts before staging completes starts the OS drag once the files are ready', async () => {
    const startDrag = vi.fn(async (_paths: string[]) => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 300_000);
    h.world.source(node.id).pauseAt = [150_000];
    const outcome = h.service.start([node.id], 'drag-1', 'app://renderer/');
    await h.until(node.id, 'preparing');
    await vi.waitFor(() => expect(h!.last(node.id)?.bytesDone).toBe(150_000));
    expect(startDrag).not.toHaveBeenCalled();
    h.world.source(node.id).release();
    await expect(outcome).resolves.toEqual({ outcome: 'started' });
    const [paths] = startDrag.mock.calls[0]!;
    expect(readFileSync(paths[0]!).byteLength).toBe(300_000);
  });

  it('a drag released before the files are ready does not start; the row then says ready', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 300_000);
    h.world.source(node.id).pauseAt = [1000];
    const outcome = h.service.start([node.id], 'drag-2', 'app://renderer/');
    await h.until(node.id, 'preparing');
    h.service.release('drag-2');
    await expect(outcome).resolves.toEqual({ outcome: 'released' });
    await vi.waitFor(() => expect(h!.last(node.id)?.bytesDone).toBe(1000));
    h.world.source(node.id).release();
    await h.until(node.id, 'ready');
    expect(startDrag).not.toHaveBeenCalled();
  });

  it('a release that arrives before the start is not lost', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 300_000);
    h.world.source(node.id).pauseAt = [1000];
    h.service.release('drag-3');
    await expect(h.service.start([node.id], 'drag-3', 'app://renderer/')).resolves.toEqual({ outcome: 'released' });
    h.world.source(node.id).release();
  });

  it('answers saveTo for a mail folder or mailbox without spending a request (each message would be one)', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag });
    const a = h.world.addFile('a', 10);
    const inbox = h.world.addFolder('inbox', [a.id], { kind: 'mailfolder', service: 'mail' });
    const box = h.world.addFolder('box', [a.id], { kind: 'mailbox', service: 'mail' });
    await expect(h.service.start([inbox.id], 'd', 'app://renderer/')).resolves.toEqual({ outcome: 'saveTo' });
    await expect(h.service.start([box.id], 'd2', 'app://renderer/')).resolves.toEqual({ outcome: 'saveTo' });
    expect(startDrag).not.toHaveBeenCalled();
    expect(h.world.jobs).toBe(0);
  });

  it('answers saveTo for a file too large to stage', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ startDrag, stageLimitBytes: 100 });
    const node = h.world.addFile(1, 1000);
    await expect(h.service.start([node.id], 'd', 'app://renderer/')).resolves.toEqual({ outcome: 'saveTo' });
    expect(startDrag).not.toHaveBeenCalled();
  });

  it('drags a downloaded, unchanged file from where it is; a changed one is staged', async () => {
    const startDrag = vi.fn(async (_paths: string[]) => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 500);
    const downloaded = join(h.root, 'Downloads', 'file-1.bin');
    mkdirSync(join(h.root, 'Downloads'));
    writeFileSync(downloaded, Buffer.alloc(500));
    utimesSync(downloaded, new Date(node.modifiedAt!), new Date(node.modifiedAt!));
    h.world.downloads.set(node.id, downloaded);
    await expect(h.service.start([node.id], 'd1', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    expect(startDrag.mock.calls[0]![0]).toEqual([downloaded]);
    expect(h.world.jobs).toBe(0);

    writeFileSync(downloaded, Buffer.alloc(499)); // changed locally
    await expect(h.service.start([node.id], 'd2', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    expect(startDrag.mock.calls[1]![0][0]!.startsWith(join(h.cache.root, 'ready'))).toBe(true);
    expect(h.world.jobs).toBe(1);
  });

  it('never drags a download that was replaced by a link (same size and time): it is staged instead', async () => {
    const startDrag = vi.fn(async (_paths: string[]) => undefined);
    h = await harness({ startDrag });
    const node = h.world.addFile(1, 500);
    mkdirSync(join(h.root, 'Downloads'));
    const elsewhere = join(h.root, 'secret.bin');
    writeFileSync(elsewhere, Buffer.alloc(500));
    utimesSync(elsewhere, new Date(node.modifiedAt!), new Date(node.modifiedAt!));
    const downloaded = join(h.root, 'Downloads', 'file-1.bin');
    symlinkSync(elsewhere, downloaded);
    h.world.downloads.set(node.id, downloaded);
    await expect(h.service.start([node.id], 'd1', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    expect(startDrag.mock.calls[0]![0][0]!.startsWith(join(h.cache.root, 'ready'))).toBe(true);
    expect(h.world.jobs).toBe(1);
  });

  it('is unavailable without a native drag (browser host)', async () => {
    h = await harness();
    const node = h.world.addFile(1, 10);
    await expect(h.service.start([node.id], 'd', 'x')).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('the cache bound', () => {
  it('holds while 1,000 files are staged: bytes on disk never exceed it and old entries are evicted (LRU)', async () => {
    const bound = 64 * 1024;
    // Each drag pins what it hands over for 5 minutes (the drop reads it later): the clock moves on
    // past that between drags, so the bound can evict the older ones.
    let now = 0;
    h = await harness({
      maxBytes: bound,
      concurrency: 4,
      maxAgeMs: 1e12,
      now: () => now,
      startDrag: async () => undefined,
    });
    let maxSeen = 0;
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) ids.push(h.world.addFile(i, 1000 + (i % 7) * 300).id);
    for (let i = 0; i < 1000; i += 10) {
      const batch = ids.slice(i, i + 10);
      await drag(batch);
      now += 6 * 60_000;
      const onDisk = filesOnDisk(h.cache.root).reduce((sum, f) => sum + f.size, 0);
      maxSeen = Math.max(maxSeen, onDisk);
      expect(h.cache.usage().bytes + h.cache.usage().reserved).toBeLessThanOrEqual(bound);
    }
    expect(maxSeen).toBeLessThanOrEqual(bound);
    expect(maxSeen).toBeGreaterThan(bound / 2);
    // The newest are still there, the oldest were evicted (and say so).
    const jobs = h.world.jobs;
    await drag([ids[999]!]);
    expect(h.world.jobs).toBe(jobs);
    expect(h.last(ids[0]!)?.state).toBe('idle');
  }, 60_000);

  it('evicts entries older than the age bound', async () => {
    let now = 1_000_000;
    h = await harness({ maxAgeMs: 60_000, now: () => now, startDrag: async () => undefined });
    const node = h.world.addFile(1, 100);
    await drag([node.id]);
    now += 61_000;
    h.cache.sweep();
    expect(h.cache.usage().entries).toBe(1); // pinned by the drag for a while (the drop reads it later)
    now += 5 * 60_000;
    h.cache.sweep();
    await h.until(node.id, 'idle');
    expect(h.cache.usage().entries).toBe(0);
  });

  it('is emptied on quit', async () => {
    h = await harness({ startDrag: async () => undefined });
    const node = h.world.addFile(1, 100);
    await drag([node.id]);
    await h.service.dispose();
    expect(existsSync(h.cache.root)).toBe(false);
  });
});
