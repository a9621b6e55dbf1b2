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
import { fileId, filesOnDisk, harness } from './test-support';
import type { Harness } from './test-support';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('prepare (selection stages small files in the background)', () => {
  it('stages a selected file: preparing, then ready, with the exact bytes under ready/ and no part there', async () => {
    h = await harness();
    const node = h.world.addFile(1, 100_000);
    const states = await h.service.prepare([node.id]);
    expect(states[0]?.state).toBe('preparing');
    await h.until(node.id, 'ready');
    expect(h.last(node.id)).toMatchObject({ bytesDone: 100_000, bytesTotal: 100_000 });
    const files = filesOnDisk(join(h.cache.root, 'ready'));
    expect(files).toHaveLength(1);
    expect(files[0]?.path.endsWith('file-1.bin')).toBe(true);
    expect(readFileSync(files[0]!.path)).toEqual(Buffer.from(h.world.source(node.id).read(0, 100_000)));
    expect(filesOnDisk(h.cache.root).some((f) => f.path.includes('.part'))).toBe(false);
    expect(h.world.jobs).toBe(1);
    // Asking again costs nothing: it is ready.
    expect((await h.service.prepare([node.id]))[0]?.state).toBe('ready');
    expect(h.world.jobs).toBe(1);
  });

  it('keeps parts in the private tmp folder while staging, never below ready/', async () => {
    h = await harness();
    const node = h.world.addFile(1, 200_000);
    h.world.source(node.id).pauseAt = [100_000];
    await h.service.prepare([node.id]);
    await vi.waitFor(() =>
      expect(filesOnDisk(join(h!.cache.root, 'tmp')).some((f) => f.path.endsWith('.part'))).toBe(true),
    );
    expect(filesOnDisk(join(h.cache.root, 'ready'))).toEqual([]);
    h.world.source(node.id).release();
    await h.until(node.id, 'ready');
    expect(filesOnDisk(join(h.cache.root, 'tmp'))).toEqual([]);
  });

  it('says "Save to…" for a file over the stage limit without spending a request', async () => {
    h = await harness({ stageLimitBytes: 1000 });
    const node = h.world.addFile(1, 5000);
    expect((await h.service.prepare([node.id]))[0]?.state).toBe('saveTo');
    expect(h.world.jobs).toBe(0);
  });

  it('stages a small folder as a folder when a drag starts (not on selection), and says "Save to…" for one with too many files', async () => {
    const startDrag = vi.fn(async () => undefined);
    h = await harness({ maxFolderFiles: 2, startDrag });
    const a = h.world.addFile('a', 10);
    const b = h.world.addFile('b', 20);
    const c = h.world.addFile('c', 30);
    const small = h.world.addFolder('small', [a.id, b.id]);
    const big = h.world.addFolder('big', [a.id, b.id, c.id]);
    expect((await h.service.prepare([small.id, big.id])).map((s) => s.state)).toEqual(['idle', 'idle']);
    expect(h.world.jobs).toBe(0); // selecting a folder spends no request
    await expect(h.service.start([small.id], 'd1', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    await expect(h.service.start([big.id], 'd2', 'app://renderer/')).resolves.toEqual({ outcome: 'saveTo' });
    const files = filesOnDisk(join(h.cache.root, 'ready')).map((f) => f.path.split('/').slice(-2).join('/'));
    expect(files.sort()).toEqual(['folder-small/file-a.bin', 'folder-small/file-b.bin']);
  });

  it('drops queued stagings the selection moved away from', async () => {
    h = await harness({ concurrency: 1 });
    const first = h.world.addFile(1, 50_000);
    h.world.source(first.id).pauseAt = [10_000];
    const second = h.world.addFile(2, 50_000);
    await h.service.prepare([first.id, second.id]);
    await vi.waitFor(() => expect(h!.last(first.id)?.bytesDone).toBe(10_000));
    await h.service.prepare([first.id]);
    h.world.source(first.id).release();
    await h.until(first.id, 'ready');
    await h.until(second.id, 'idle');
    expect(h.world.source(second.id).requests).toHaveLength(0);
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
    h = await harness();
    const node = h.world.addFile(1, 50_000);
    h.world.source(node.id).fetch = async () => {
      throw new AppFailure('network', 'The connection was lost (ECONNRESET).');
    };
    await h.service.prepare([node.id]);
    await h.until(node.id, 'failed');
    expect(h.last(node.id)?.error?.code).toBe('network');
    expect(filesOnDisk(h.cache.root)).toEqual([]);
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
    await expect(h.service.prepare([unknown])).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.service.prepare([foreign])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.service.prepare(['../../etc/passwd'])).rejects.toMatchObject({ code: 'forbidden' });
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
    await h.service.prepare([a.id, b.id]);
    await h.until(a.id, 'ready');
    await h.until(b.id, 'ready');
    await expect(h.service.start([a.id, b.id], 'd', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
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
    expect((await h.service.prepare([inbox.id, box.id])).map((s) => s.state)).toEqual(['saveTo', 'saveTo']);
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
    h = await harness({ maxBytes: bound, concurrency: 4 });
    let maxSeen = 0;
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) ids.push(h.world.addFile(i, 1000 + (i % 7) * 300).id);
    for (let i = 0; i < 1000; i += 10) {
      const batch = ids.slice(i, i + 10);
      await h.service.prepare(batch);
      await Promise.all(batch.map((id) => h!.until(id, 'ready')));
      const onDisk = filesOnDisk(h.cache.root).reduce((sum, f) => sum + f.size, 0);
      maxSeen = Math.max(maxSeen, onDisk);
      expect(h.cache.usage().bytes + h.cache.usage().reserved).toBeLessThanOrEqual(bound);
    }
    expect(maxSeen).toBeLessThanOrEqual(bound);
    expect(maxSeen).toBeGreaterThan(bound / 2);
    // The newest are still there, the oldest were evicted (and say so).
    expect((await h.service.prepare([ids[999]!]))[0]?.state).toBe('ready');
    expect(h.last(ids[0]!)?.state).toBe('idle');
  }, 60_000);

  it('evicts entries older than the age bound', async () => {
    let now = 1_000_000;
    h = await harness({ maxAgeMs: 60_000, now: () => now });
    const node = h.world.addFile(1, 100);
    await h.service.prepare([node.id]);
    await h.until(node.id, 'ready');
    now += 61_000;
    h.cache.sweep();
    await h.until(node.id, 'idle');
    expect(h.cache.usage().entries).toBe(0);
  });

  it('is emptied on quit', async () => {
    h = await harness();
    const node = h.world.addFile(1, 100);
    await h.service.prepare([node.id]);
    await h.until(node.id, 'ready');
    await h.service.dispose();
    expect(existsSync(h.cache.root)).toBe(false);
  });
});
