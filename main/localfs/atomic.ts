/**
 * The one atomic write of the app's small state files (transfers.json, pairs.json, a pair's
 * manifest snapshot, feeds.json, remote.json, last-run.json, the part sidecars). Learned from
 * Syncthing's `lib/osutil/atomic.go`: the data goes to a temporary file beside the target, created
 * exclusively (`wx`: a link planted at its name fails the write, it is never followed), is flushed
 * to the disk (`fsync`), renamed over the target (atomic on one file system: a reader sees the old
 * file or the new one, never half of one), and the folder is flushed so the rename survives a crash.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { resolveTarget } from './paths';
import type { LocalTarget } from './paths';

export interface AtomicOptions {
  /**
   * Flush the file and its folder (default true). Only the part sidecars pass false: they describe
   * a part that is itself not flushed, so flushing them would cost two syncs per file for nothing.
   */
  durable?: boolean;
  /**
   * The temporary file's name (in the target's folder). Default: a new, unguessable name each
   * time. The sidecars use their reserved companion name (part-files.ts), which a leftover of an
   * earlier write may hold: it is removed first (removing a link never follows it).
   */
  tmpName?: string;
}

/** Flushes a folder (a rename in it survives a crash); best effort, as Windows cannot open folders. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can open a folder for fsync.
  }
}

/** Writes `data` to the target atomically (see above). The target's folder must exist. */
export async function writeFileAtomic(
  target: LocalTarget,
  data: string | Uint8Array,
  options: AtomicOptions = {},
): Promise<void> {
  const path = await resolveTarget(target);
  const durable = options.durable ?? true;
  const dir = dirname(path);
  const tmp = join(dir, options.tmpName ?? `${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  if (options.tmpName !== undefined) await rm(tmp, { force: true });
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    if (durable) await handle.datasync();
    await handle.close();
    // Checked again right before placing: a folder on the way swapped for a link meanwhile is refused.
    await resolveTarget(target);
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  if (durable) await syncDir(dir);
}
