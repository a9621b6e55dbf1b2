import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { withCounter } from '../localfs/safe-name';
import { TRASH_DIR } from './names';

/** Moves a file into `<root>/.trash/<same relative path>` (the host has no OS trash). */
export async function trashInside(root: string, path: string): Promise<void> {
  let target = join(root, TRASH_DIR, relative(root, path));
  await mkdir(dirname(target), { recursive: true });
  const base = target;
  for (
    let n = 1;
    await readFile(target).then(
      () => true,
      () => false,
    );
    n++
  ) {
    target = join(dirname(base), withCounter(base.slice(dirname(base).length + 1), n));
  }
  await rename(path, target);
}
