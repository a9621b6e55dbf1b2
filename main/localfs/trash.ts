/**
 * The trash of the browser host, which has no OS trash: a `.trash` folder inside the root (a
 * pair's folder for sync, the download folder for a replaced download). Nothing there is ever
 * replaced or read: a name is tested with `lstat` only (a trashed 3 GiB file is never opened), and
 * a name taken by anything (a file, a folder, a link) gets the next number (`name (1).ext`), for
 * the file that arrives and for each folder on its way (`.trash/Docs` held by a trashed file
 * `Docs`: the folder becomes `Docs (1)`).
 */
import { lstat, mkdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { inside, linkRefused, resolveTarget, targetOf } from './paths';
import { moveNoReplace } from './placement';
import { withCounter } from './safe-name';

/** The trash folder's name, at the top of its root. */
export const TRASH_DIR = '.trash';

/** How many numbered names are tried before giving up. */
const MAX_NUMBER = 10_000;

async function kind(path: string): Promise<'dir' | 'link' | 'taken' | 'free'> {
  try {
    const info = await lstat(path);
    return info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'taken';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'free';
    throw error;
  }
}

/** The folder `name` in `parent` (below root), or its first numbered variant that is (or can be made) a real folder. */
async function trashFolder(root: string, parent: string, name: string): Promise<string> {
  for (let n = 0; n <= MAX_NUMBER; n++) {
    const rel = join(parent, n === 0 ? name : withCounter(name, n));
    const abs = await resolveTarget(inside(root, rel));
    let found = await kind(abs);
    if (found === 'free') {
      try {
        await mkdir(abs);
        return rel;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        found = await kind(abs);
      }
    }
    if (found === 'dir') return rel;
    // The trash folder itself a link: refused, never followed (below it, a link only takes a number).
    if (found === 'link' && parent === '') throw linkRefused(rel);
  }
  throw new Error(`no free name for the folder "${name}" in the trash`);
}

/**
 * Moves the file at `path` (below `root`) to `<root>/.trash/<same relative path>`, numbering any
 * name that is taken (see above). Returns where it went. The file's own path is checked like any
 * write (no link on its way): a file behind a link is never trashed.
 */
export async function trashInside(root: string, path: string): Promise<string> {
  const source = await resolveTarget(targetOf(root, path));
  const names = relative(root, source).split(sep);
  const file = names.pop()!;
  let folder = '';
  for (const name of [TRASH_DIR, ...names]) folder = await trashFolder(root, folder, name);
  for (let n = 0; n <= MAX_NUMBER; n++) {
    const target = await resolveTarget(inside(root, join(folder, n === 0 ? file : withCounter(file, n))));
    try {
      // Checked again right before: the file must still be where it was, with no link on its way.
      await resolveTarget(targetOf(root, source));
      await moveNoReplace(source, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`no free name for "${file}" in the trash`);
}
