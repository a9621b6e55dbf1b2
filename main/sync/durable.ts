/** Crash-safe file writes: write a temporary file, fsync it, rename it into place, fsync the folder. */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function syncDir(dir: string): Promise<void> {
  // Not every platform can open a folder for fsync (Windows): best effort.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}

export async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
  await syncDir(dirname(path));
}
