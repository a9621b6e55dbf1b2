/**
 * The last steps of one file: check what was written (size always; a content hash only where it
 * is known to be plain), then move the part into place without ever replacing anything.
 */
import { createReadStream } from 'node:fs';
import { link, lstat, rename, unlink, utimes } from 'node:fs/promises';
import { basename } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import { failWith } from '../../shared/model/errors';
import { exists, resolveTarget, sizeOf, targetOf } from './paths';
import type { LocalTarget } from './paths';
import type { DownloadItem } from './types';

/** How a finished file was checked. */
export type Verified = 'size' | 'size+hash';

/**
 * Below this size a kDrive file was uploaded in one piece, so its `xxh3:<hex>` is over the bytes.
 * Larger files may have been uploaded in chunks (Infomaniak's apps chunk from 1 MiB), and then the
 * hash is over the chunk hashes: not comparable (docs/infomaniak-api.md).
 */
export const PLAIN_HASH_MAX_BYTES = 1024 * 1024;
const PLAIN_XXH3 = /^xxh3:([0-9a-f]{16})$/i;

/** The hash to check a file against, or null when none is known to be plain. */
export function plainHash(item: Pick<DownloadItem, 'hash'>, size: number): string | null {
  if (!item.hash || !PLAIN_XXH3.test(item.hash) || size >= PLAIN_HASH_MAX_BYTES) return null;
  return item.hash.toLowerCase();
}

/** Fails with `integrity` when the part does not have the size it must have. */
export async function verifySize(part: string, written: number, expected: number | null): Promise<void> {
  const onDisk = (await sizeOf(part)) ?? -1;
  if ((expected !== null && written !== expected) || onDisk !== written) {
    throw failWith(
      'integrity',
      'size_mismatch',
      `The downloaded size (${written} bytes) does not match the expected size (${expected ?? onDisk} bytes).`,
    );
  }
}

/**
 * Size is checked already; the hash only where it is plain. A mismatch never fails or deletes the
 * download (a server hash may be of another kind than it looks): the file counts as checked by size.
 */
export async function verifyHash(
  item: Pick<DownloadItem, 'hash'>,
  part: string,
  size: number,
  log?: (line: string) => void,
): Promise<Verified> {
  const expected = plainHash(item, size);
  if (!expected) return 'size';
  const hasher = await createXXHash3();
  hasher.init();
  if (size > 0)
    for await (const chunk of createReadStream(part, { start: 0, end: size - 1 })) hasher.update(chunk as Buffer);
  if (`xxh3:${hasher.digest('hex')}` === expected) return 'size+hash';
  log?.('transfers: the content hash differs from the server hash; kept, checked by size');
  return 'size';
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES']);

/**
 * Moves `source` to `target` without ever replacing what is there: a file is linked to its new name
 * (`link` fails on any existing name, a folder or a link included) and then unlinked; on file
 * systems without hard links, and for a folder, the name is checked just before the rename. A taken
 * name fails with EEXIST (as `link` does) for the caller to choose another.
 */
export async function moveNoReplace(source: string, target: string): Promise<void> {
  const info = await lstat(source);
  if (info.isFile()) {
    try {
      await link(source, target);
      await unlink(source);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!NO_HARD_LINKS.has(code)) throw error;
    }
  }
  if (await exists(target)) throw taken(target);
  await rename(source, target);
}

/** Sync's update only: the file at `target` was checked unchanged just before, and is replaced. */
export async function renameReplacing(source: string, target: string): Promise<void> {
  await rename(source, target);
}

function taken(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EEXIST: "${basename(path)}" is taken`), { code: 'EEXIST', syscall: 'link' });
}

/**
 * Renames `from` to `to` (both below their roots, both checked right before, links never followed).
 * Without `replace`, a name taken at `to` is never replaced (`moveNoReplace`: EEXIST); with it
 * (sync's update of a file it checked unchanged just before), the rename replaces what is there.
 */
export async function renameInside(
  from: LocalTarget,
  to: LocalTarget,
  options: { replace?: boolean } = {},
): Promise<string> {
  const source = await resolveTarget(from);
  const target = await resolveTarget(to);
  if (options.replace) await renameReplacing(source, target);
  else await moveNoReplace(source, target);
  return target;
}

/**
 * Moves the part into place without replacing anything: `link` fails on an existing name. Each
 * name is resolved inside `root` again right before the part is placed there (a folder on the way
 * swapped for a link while downloading is refused); another name from `reallocate` likewise.
 */
export async function placeFinal(
  item: Pick<DownloadItem, 'modifiedAt'>,
  part: string,
  root: string,
  finalPath: string,
  reallocate?: (taken: string) => string | Promise<string>,
): Promise<string> {
  if (item.modifiedAt !== undefined && Number.isFinite(item.modifiedAt)) {
    const mtime = new Date(item.modifiedAt);
    await utimes(part, mtime, mtime).catch(() => undefined);
  }
  let target = finalPath;
  const next = async (): Promise<string> => {
    if (!reallocate)
      throw failWith('io', 'appeared', `"${basename(target)}" appeared while downloading.`, { name: basename(target) });
    return reallocate(target);
  };
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    target = await resolveTarget(targetOf(root, target));
    try {
      await moveNoReplace(part, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      target = await next();
    }
  }
  throw failWith('io', 'no_free_name', 'Could not find a free name for the file.');
}
