/**
 * The local side of a pair: every file and folder below its folder (size, mtime), looked up the
 * way the file system compares names. Skipped: the host's `.trash` and anything that is neither a
 * file nor a folder (symbolic links and junctions are never followed). Nothing is hidden by its
 * name: the engine's working files (`.part`, `.poweron-sync`) have names reserved beside their
 * files, so a remote `a.part` is seen like any file (issue 25.5).
 * Files the caller trusts (in the manifest, remote version unchanged: the plan never compares them)
 * are listed with their recorded size and time instead of being stat-ed, so an unchanged run of
 * 20,000 files reads its folders and nothing else. Whatever the plan acts on is checked on disk again.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { baseName, foldPath, joinPath, TRASH_DIR } from './names';
import type { Fold, LocalEntry, LocalIndex } from './types';

/**
 * An update file of an older version (`.<hash>.poweron-sync`, and its `.part` files): the engine's
 * working names are now reserved beside the files they belong to (names.ts `workingNames`), so the
 * scan hides nothing by its name; these old ones are listed as leftovers for the executor to remove.
 */
const OLD_UPDATE_FILE = /^\.[0-9a-f]{8}\.poweron-sync(?:\.part(?:\.json(?:\.tmp)?)?)?$/;

function ignored(name: string, atRoot: boolean): boolean {
  return atRoot && name === TRASH_DIR;
}

export class LocalTree implements LocalIndex {
  readonly #byKey = new Map<string, LocalEntry>();
  /** Working files of an older version (see OLD_UPDATE_FILE). */
  readonly leftovers: string[] = [];
  readonly #fold: Fold;

  constructor(fold: Fold, entries: Iterable<LocalEntry> = []) {
    this.#fold = fold;
    for (const e of entries) this.#byKey.set(foldPath(fold, e.path), e);
  }

  get(path: string): LocalEntry | undefined {
    return this.#byKey.get(foldPath(this.#fold, path));
  }

  get size(): number {
    return this.#byKey.size;
  }

  values(): IterableIterator<LocalEntry> {
    return this.#byKey.values();
  }
}

/** Recorded size and time by folded path. */
export type TrustedFiles = ReadonlyMap<string, { size: number; mtime: number }>;

/** Reads the tree below `root` (which must exist). Folders are read 16 at a time. */
export async function scanLocal(root: string, fold: Fold, trusted: TrustedFiles = new Map()): Promise<LocalTree> {
  const entries: LocalEntry[] = [];
  let pending: string[] = [''];
  while (pending.length > 0) {
    const batch = pending.splice(0, 16);
    const found = await Promise.all(
      batch.map((rel) => scanFolder(root, rel, (path) => trusted.get(foldPath(fold, path)))),
    );
    for (const list of found) {
      for (const e of list) {
        entries.push(e);
        if (e.type === 'dir') pending.push(e.path);
      }
    }
    if (pending.length === 0) pending = [];
  }
  const tree = new LocalTree(fold, entries);
  for (const e of entries) if (e.type === 'file' && OLD_UPDATE_FILE.test(baseName(e.path))) tree.leftovers.push(e.path);
  return tree;
}

async function scanFolder(
  root: string,
  rel: string,
  trust: (path: string) => { size: number; mtime: number } | undefined,
): Promise<LocalEntry[]> {
  const dir = join(root, ...rel.split('/').filter(Boolean));
  const names = await readdir(dir, { withFileTypes: true });
  const out: LocalEntry[] = [];
  await Promise.all(
    names.map(async (d) => {
      if (ignored(d.name, rel === '')) return;
      if (!d.isFile() && !d.isDirectory()) return;
      const path = joinPath(rel, d.name);
      const known = d.isFile() ? trust(path) : undefined;
      if (known) {
        out.push({ path, type: 'file', size: known.size, mtime: known.mtime });
        return;
      }
      try {
        const info = await lstat(join(dir, d.name));
        out.push({
          path,
          type: info.isDirectory() ? 'dir' : 'file',
          size: info.isDirectory() ? 0 : info.size,
          mtime: info.mtimeMs,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }),
  );
  return out;
}
