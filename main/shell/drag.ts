/**
 * The OS drag of files out of the window (Electron `webContents.startDrag`), with a real icon: a
 * thumbnail for images (macOS, Windows), else the file type's icon from the OS, else the app icon;
 * several files get a count badge. Paths come from main's drag service, never from the renderer.
 */
import { extname } from 'node:path';
import { app, nativeImage } from 'electron';
import type { BrowserWindow, NativeImage } from 'electron';
import { AppFailure, failWith } from '../../shared/model/errors';
import { DRAG_ICON_DATA_URL, drawCountBadge } from './drag-icon';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.tif', '.tiff', '.heic']);
const ICON_SIZE = 48;

async function baseIcon(path: string): Promise<NativeImage | null> {
  if (IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) {
    // Not available on Linux (rejects): the type icon follows.
    const thumb = await nativeImage
      .createThumbnailFromPath(path, { width: ICON_SIZE, height: ICON_SIZE })
      .catch(() => null);
    if (thumb && !thumb.isEmpty()) return thumb;
  }
  const icon = await app.getFileIcon(path, { size: 'normal' }).catch(() => null);
  return icon && !icon.isEmpty() ? icon : null;
}

/** The icon under the pointer for a drag of these paths (never empty: macOS needs one). */
export async function dragIcon(paths: string[]): Promise<NativeImage> {
  const [first] = paths;
  let icon = first ? await baseIcon(first) : null;
  if (!icon || icon.isEmpty()) icon = nativeImage.createFromDataURL(DRAG_ICON_DATA_URL);
  if (paths.length < 2) return icon;
  const sized = icon.resize({ width: ICON_SIZE, height: ICON_SIZE });
  const { width, height } = sized.getSize();
  const pixels = drawCountBadge(sized.toBitmap(), width, height, paths.length);
  const badged = nativeImage.createFromBitmap(Buffer.from(pixels), { width, height });
  return badged.isEmpty() ? icon : badged;
}

/** The Platform's `startDrag` for the Electron shell. */
export function createShellDrag(getWindow: () => BrowserWindow | null): (paths: string[]) => Promise<void> {
  return async (paths) => {
    const win = getWindow();
    const [first] = paths;
    if (!win || win.isDestroyed()) throw new AppFailure('unavailable', 'The window is gone; drag again.');
    if (!first) throw failWith('validation', 'nothing_to_drag', 'Nothing to drag.');
    const icon = await dragIcon(paths);
    win.webContents.startDrag({ file: first, files: paths, icon });
  };
}
