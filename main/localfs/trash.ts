/**
 * The trash of the browser host, which has no OS trash: a `.trash` folder inside the root (a
 * pair's folder for sync, the download folder for a replaced download).
 */
import { mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { exists, resolveTarget } from './paths';
import { withCounter } from './safe-name';

/** The trash folder's name, at the top of its root. */
export const TRASH_DIR = '.trash';

/**
 * Moves the file at `path` (below `root`) to `<root>/.trash/<same relative path>`; a name taken in
 * the trash gets a counter (`name (1).ext`), nothing there is replaced.
 */
export async function trashInside(root: string, path: string): Promise<void> {
  const below = join(TRASH_DIR, relative(root, path));
  let target = await resolveTarget({ root, path: below });
  await mkdir(dirname(target), { recursive: true });
  const base = target;
  for (let n = 1; await exists(target); n++) {
    target = await resolveTarget({ root, path: join(dirname(below), withCounter(basename(base), n)) });
  }
  await rename(path, target);
}
