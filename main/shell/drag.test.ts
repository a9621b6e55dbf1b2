/**
 * The Electron drag (mocked `electron`): the drag service's staged paths reach
 * `webContents.startDrag` with a real, non-empty icon.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { harness } from '../drag/test-support';
import type { Harness } from '../drag/test-support';
import { drawCountBadge } from './drag-icon';

class FakeImage {
  constructor(
    public width: number,
    public height: number,
    public pixels = new Uint8Array(width * height * 4),
    public origin = 'data-url',
  ) {}
  isEmpty = () => this.width === 0 || this.height === 0;
  getSize = () => ({ width: this.width, height: this.height });
  resize = ({ width, height }: { width: number; height: number }) =>
    new FakeImage(width, height, undefined, this.origin);
  toBitmap = () => Buffer.from(this.pixels);
}

const electron = vi.hoisted(() => ({
  thumbnails: true,
  fileIcons: true,
  calls: { thumbnail: [] as string[], fileIcon: [] as string[] },
}));

vi.mock('electron', () => ({
  nativeImage: {
    createFromDataURL: () => new FakeImage(32, 32, undefined, 'app-icon'),
    createFromBitmap: (buf: Buffer, size: { width: number; height: number }) =>
      new FakeImage(size.width, size.height, new Uint8Array(buf), 'badged'),
    createThumbnailFromPath: async (path: string) => {
      electron.calls.thumbnail.push(path);
      if (!electron.thumbnails) throw new Error('not supported on this platform');
      return new FakeImage(48, 48, undefined, 'thumbnail');
    },
  },
  app: {
    getFileIcon: async (path: string) => {
      electron.calls.fileIcon.push(path);
      return electron.fileIcons ? new FakeImage(32, 32, undefined, 'type-icon') : new FakeImage(0, 0);
    },
  },
}));

const startDrag = vi.fn();
const win = { isDestroyed: () => false, webContents: { startDrag } };

let h: Harness | null = null;
beforeEach(() => {
  startDrag.mockReset();
  electron.thumbnails = true;
  electron.fileIcons = true;
  electron.calls.thumbnail.length = 0;
  electron.calls.fileIcon.length = 0;
});
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

async function shellHarness(): Promise<Harness> {
  const { createShellDrag } = await import('./drag');
  const drag = createShellDrag(() => win as never);
  return harness({ startDrag: (paths) => drag(paths) });
}

describe('Electron drag-out', () => {
  it('hands the staged paths to webContents.startDrag with a non-empty type icon', async () => {
    h = await shellHarness();
    const node = h.world.addFile(1, 4096, { name: 'report.pdf' });
    await expect(h.service.start([node.id], 'd', 'app://renderer/')).resolves.toEqual({ outcome: 'started' });
    expect(startDrag).toHaveBeenCalledTimes(1);
    const { file, files, icon } = startDrag.mock.calls[0]![0] as { file: string; files: string[]; icon: FakeImage };
    expect(files).toEqual([join(h.cache.root, 'ready', files[0]!.split('/').at(-2)!, 'report.pdf')]);
    expect(file).toBe(files[0]);
    expect(icon.isEmpty()).toBe(false);
    expect(icon.origin).toBe('type-icon');
    expect(electron.calls.thumbnail).toEqual([]); // not an image
  });

  it('uses a thumbnail for an image, and the type icon where thumbnails are not supported (Linux)', async () => {
    h = await shellHarness();
    const node = h.world.addFile(1, 100, { name: 'photo.JPG', mimeType: 'image/jpeg' });
    await h.service.start([node.id], 'd1', 'app://renderer/');
    expect((startDrag.mock.calls[0]![0] as { icon: FakeImage }).icon.origin).toBe('thumbnail');
    electron.thumbnails = false;
    await h.service.start([node.id], 'd2', 'app://renderer/');
    expect((startDrag.mock.calls[1]![0] as { icon: FakeImage }).icon.origin).toBe('type-icon');
  });

  it('falls back to the app icon when the OS has none, and badges several files with their count', async () => {
    electron.fileIcons = false;
    h = await shellHarness();
    const a = h.world.addFile(1, 10);
    const b = h.world.addFile(2, 20);
    const c = h.world.addFile(3, 30);
    await h.service.start([a.id], 'd1', 'app://renderer/');
    expect((startDrag.mock.calls[0]![0] as { icon: FakeImage }).icon.origin).toBe('app-icon');
    await h.service.start([a.id, b.id, c.id], 'd2', 'app://renderer/');
    const { files, icon } = startDrag.mock.calls[1]![0] as { files: string[]; icon: FakeImage };
    expect(files.map((f) => f.split('/').at(-1))).toEqual(['file-1.bin', 'file-2.bin', 'file-3.bin']);
    expect(icon.origin).toBe('badged');
    expect(icon.isEmpty()).toBe(false);
    expect(icon.pixels.some((v) => v !== 0)).toBe(true);
  });

  it('a drag that starts before staging completes calls startDrag once the file is ready', async () => {
    h = await shellHarness();
    const node = h.world.addFile(1, 200_000);
    h.world.source(node.id).pauseAt = [50_000];
    const outcome = h.service.start([node.id], 'd', 'app://renderer/');
    await vi.waitFor(() => expect(h!.last(node.id)?.bytesDone).toBe(50_000));
    expect(startDrag).not.toHaveBeenCalled();
    h.world.source(node.id).release();
    await expect(outcome).resolves.toEqual({ outcome: 'started' });
    const { files } = startDrag.mock.calls[0]![0] as { files: string[] };
    expect(files[0]!.startsWith(join(h.cache.root, 'ready'))).toBe(true);
  });
});

describe('drawCountBadge', () => {
  it('draws white digits on red in the bottom-right corner and leaves the rest alone', () => {
    const w = 48;
    const before = new Uint8Array(w * w * 4);
    const after = drawCountBadge(before, w, w, 7);
    const at = (x: number, y: number) => Array.from(after.subarray((y * w + x) * 4, (y * w + x) * 4 + 4));
    expect(at(0, 0)).toEqual([0, 0, 0, 0]);
    expect(at(w - 2, w - 2)).toEqual([0x2b, 0x2b, 0xc8, 255]);
    const white = [];
    for (let i = 0; i < after.length; i += 4) if (after[i] === 255 && after[i + 2] === 255) white.push(i);
    expect(white.length).toBeGreaterThan(10);
    expect(before.every((v) => v === 0)).toBe(true); // the input is not modified
    expect(drawCountBadge(before, w, w, 250)).not.toEqual(drawCountBadge(before, w, w, 7));
  });
});
