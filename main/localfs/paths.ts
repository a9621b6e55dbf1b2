/**
 * Where localfs may write, and the few questions it asks the file system about a path. Links are
 * never followed here (`lstat`).
 */
import { lstat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { assertInside } from './safe-name';

/** A place to write: the folder the write must stay inside, and the path below it. */
export interface LocalTarget {
  /** An absolute folder: the download folder, a pair's folder, a staging folder, the app's data folder. */
  root: string;
  /** The path below `root` ('/' or the platform's separator between names); never absolute, never `..`. */
  path: string;
}

/** The target `root` + `path`. */
export function inside(root: string, path: string): LocalTarget {
  return { root, path };
}

/** A path already known to be below `root` (a name the writer found free), as a target. */
export function targetOf(root: string, absolute: string): LocalTarget {
  return { root, path: relative(root, absolute) };
}

/**
 * THE place where localfs turns a target into the absolute path it writes: every write of this
 * folder resolves its target here first (writeItem and each name its placement tries,
 * writeFileAtomic, trashInside). Today it checks the names: relative, no `..`, resolving inside
 * `root`. Issue 21 adds here the refusal of any symbolic link or junction on the way from `root`
 * to the target, so that one check covers every writer.
 */
export async function resolveTarget(target: LocalTarget): Promise<string> {
  if (isAbsolute(target.path) || /^[\\/]/.test(target.path)) {
    throw failWith('io', 'outside_folder', 'Refused to write outside the chosen folder.');
  }
  return assertInside(
    target.root,
    target.path.split(/[\\/]/).filter((name) => name !== '' && name !== '.'),
  );
}

/**
 * Whether something (a file, folder or link, never followed) is at `path`. Only "not there"
 * (ENOENT, ENOTDIR) is false: any other failure (no permission, I/O) is thrown, never read as absent.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isAbsent(error)) return false;
    throw error;
  }
}

/** Size of a regular file at `path` (a link or folder: null), or null when nothing is there. */
export async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await lstat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if (isAbsent(error)) return null;
    throw error;
  }
}

function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
