/**
 * Where localfs may write, and the few questions it asks the file system about a path. Links are
 * never followed here (`lstat`), and never written through: `resolveTarget` refuses a symbolic
 * link or a junction anywhere between a write's root and its target (issue 21).
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { AppFailure, failWith } from '../../shared/model/errors';

/** A place to write: the folder the write must stay inside, and the path below it. */
export interface LocalTarget {
  /**
   * An absolute folder: the download folder, a pair's folder, a staging folder, the app's data
   * folder. It must be a real folder (never a link itself): a root the user chose as a link is
   * resolved once by its caller (`realpath`) when the job is made.
   */
  root: string;
  /** The path below `root` ('/' or the platform's separator between names); never absolute, never `..`. */
  path: string;
}

/**
 * What resolveTarget asks of the file system: the platform's path functions and `lstat`. Tests pass
 * a model of another OS (Windows, where `lstat` reports a junction as a symbolic link).
 */
export interface PathFs {
  path: Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'join' | 'sep'>;
  lstat(path: string): Promise<{ isSymbolicLink(): boolean; isDirectory(): boolean; isFile(): boolean }>;
}

const NODE_FS: PathFs = { path: nodePath, lstat };

/** The target `root` + `path`. */
export function inside(root: string, path: string): LocalTarget {
  return { root, path };
}

/** A path already known to be below `root` (a name the writer found free), as a target. */
export function targetOf(root: string, absolute: string): LocalTarget {
  return { root, path: nodePath.relative(root, absolute) };
}

type Kind = 'dir' | 'file' | 'link' | 'other' | 'missing';

async function kindOf(fs: PathFs, path: string): Promise<Kind> {
  try {
    const info = await fs.lstat(path);
    // A junction is a link to Node's lstat on Windows; it never reads as a folder there.
    if (info.isSymbolicLink()) return 'link';
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    if (isAbsent(error)) return 'missing';
    throw error;
  }
}

function outsideRoot(): AppFailure {
  return failWith('io', 'outside_folder', 'Refused to write outside the chosen folder.');
}

/** A link or a junction at `shown` (a path below the root, or the root itself): nothing is written through it. */
export function linkRefused(shown: string): AppFailure {
  return new AppFailure(
    'unsafe_path',
    `"${shown}" is a link or a junction, so nothing was written through it. Move it away, then try again.`,
    { path: shown },
  );
}

/** Something other than a folder where a folder belongs. */
export function notAFolder(shown: string): AppFailure {
  return new AppFailure(
    'io',
    `"${shown}" is not a folder (a file is in its place), so nothing was written there.`,
    { path: shown },
    { reason: 'not_a_folder' },
  );
}

/** The root must be a real folder: not a link (a pair's folder that became one is refused), not missing. */
async function checkRoot(fs: PathFs, root: string): Promise<void> {
  const kind = await kindOf(fs, root);
  if (kind === 'link') throw linkRefused(root);
  if (kind === 'missing')
    throw new AppFailure('io', `The folder "${root}" is missing.`, { path: root }, { reason: 'folder_missing' });
  if (kind !== 'dir') throw notAFolder(root);
}

/** The names below the root of a target (lexically checked: relative, inside, not the root itself). */
function namesOf(fs: PathFs, target: LocalTarget): { base: string; names: string[] } {
  if (fs.path.isAbsolute(target.path) || /^[\\/]/.test(target.path)) throw outsideRoot();
  const base = fs.path.resolve(target.root);
  const segments = target.path.split(/[\\/]/).filter((name) => name !== '' && name !== '.');
  const rel = fs.path.relative(base, fs.path.resolve(base, ...segments));
  if (rel === '' || rel === '..' || rel.startsWith(`..${fs.path.sep}`) || fs.path.isAbsolute(rel)) throw outsideRoot();
  return { base, names: rel.split(fs.path.sep) };
}

/**
 * THE place where localfs turns a target into the absolute path it writes: every write of this
 * folder resolves its target here first (writeItem and each name its placement tries, again right
 * before placing; writeFileAtomic; mkdirInside; renameInside; appendInside; renameInside; trashInside). Checks:
 * the path is relative and stays inside `root`; `root` is a real folder; each name on the way is a
 * real folder or not there yet (then the rest is not there either); the target itself is not a
 * link. A link or a junction anywhere is refused with `unsafe_path` naming it; a file where a
 * folder belongs with `io`. Nothing is followed (lstat), so a check cannot be fooled by a link;
 * a link planted between this check and the write is caught by the writers' own guards (`wx`,
 * O_NOFOLLOW, `link` that never replaces) and by checking again right before placing.
 */
export async function resolveTarget(target: LocalTarget, fs: PathFs = NODE_FS): Promise<string> {
  const { base, names } = namesOf(fs, target);
  await checkRoot(fs, base);
  let at = base;
  for (let i = 0; i < names.length; i++) {
    at = fs.path.join(at, names[i]!);
    const kind = await kindOf(fs, at);
    if (kind === 'missing') break;
    const shown = fs.path.join(...names.slice(0, i + 1));
    if (kind === 'link') throw linkRefused(shown);
    if (kind === 'other' || (kind === 'file' && i < names.length - 1)) throw notAFolder(shown);
  }
  return fs.path.join(base, ...names);
}

/**
 * Creates the folder at `target` and every missing folder on the way, one name at a time, each
 * checked as resolveTarget does (a name taken meanwhile by a link is refused, never followed).
 * A folder already there is fine. Returns its absolute path.
 */
export async function mkdirInside(target: LocalTarget): Promise<string> {
  const { base, names } = namesOf(NODE_FS, target);
  await checkRoot(NODE_FS, base);
  let at = base;
  for (let i = 0; i < names.length; i++) {
    at = nodePath.join(at, names[i]!);
    const shown = nodePath.join(...names.slice(0, i + 1));
    let kind = await kindOf(NODE_FS, at);
    if (kind === 'missing') {
      try {
        await mkdir(at);
        continue;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        kind = await kindOf(NODE_FS, at);
      }
    }
    if (kind === 'link') throw linkRefused(shown);
    if (kind !== 'dir') throw notAFolder(shown);
  }
  return at;
}

/**
 * Opens the file at `target` for appending (created if missing), never through a link: the way is
 * checked (resolveTarget) and the file is opened with O_NOFOLLOW where the OS has it. The journals'
 * one way to append.
 */
export async function openAppend(target: LocalTarget): Promise<FileHandle> {
  const path = await resolveTarget(target);
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
  return open(path, flags, 0o600);
}

/** Appends `data` to the file at `target` (see `openAppend`). */
export async function appendInside(target: LocalTarget, data: string): Promise<void> {
  const handle = await openAppend(target);
  try {
    await handle.appendFile(data);
  } finally {
    await handle.close();
  }
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
