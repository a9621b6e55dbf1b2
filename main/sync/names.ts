/**
 * Local names for remote entries. Names are compared the way the file system does: macOS and
 * Windows fold Unicode normalization and case, Linux compares bytes. Two remote names that fold to
 * one local name get distinct safe names (`name (1).ext`), and an id keeps the name it was given
 * before as long as it is still free, so nothing looks renamed on every run.
 */
import { companionNames } from '../localfs/file-writer';
import {
  fitName,
  MAX_NAME_BYTES,
  nameKey,
  safeSegment,
  splitExtension,
  stemFor,
  withCounter,
} from '../localfs/safe-name';
import type { Fold, ManifestEntry, RemoteEntry } from './types';

/** Inside the pair's root, reserved for the host's trash. */
export const TRASH_DIR = '.trash';

/** Suffix of the file an update is written to, beside the file it replaces (`<name>.poweron-sync`). */
export const UPDATE_SUFFIX = '.poweron-sync';

/** The name an update of `name` is written to first (shortened with a hash when `name` is long). */
export function updateName(name: string): string {
  return `${stemFor(name, UPDATE_SUFFIX)}${UPDATE_SUFFIX}`;
}

/**
 * The engine's working names beside a file it writes (issue 25.5): the writer's `.part` files, the
 * update's `<name>.poweron-sync` and that one's `.part` files. They are reserved in the file's
 * folder (`assignPaths`), so no remote file is ever given one of them: the local scan hides
 * nothing by its name, and a remote `a.part` is a file like any other.
 */
export function workingNames(name: string): string[] {
  const update = updateName(name);
  return [...companionNames(name), update, ...companionNames(update)];
}

export function foldFor(platform: string): Fold {
  return platform === 'darwin' || platform === 'win32' ? nameKey : (s) => s;
}

export function foldPath(fold: Fold, path: string): string {
  return path.split('/').map(fold).join('/');
}

export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `Plan (kDrive conflict 2026-11-29).pdf`. */
export function conflictName(name: string, day: string): string {
  const { stem, ext } = splitExtension(name);
  return safeSegment(`${stem} (kDrive conflict ${day})${ext}`).name;
}

/** A free variant of `path`: the name itself, then `name (1).ext`, `name (2).ext`… */
export function freeVariant(path: string, taken: (path: string) => boolean): string {
  const dir = parentPath(path);
  const name = baseName(path);
  let candidate = path;
  for (let n = 1; taken(candidate); n++) candidate = joinPath(dir, withCounter(name, n));
  return candidate;
}

/** A Maildir info (`:2,` or `;2,` and flag letters): the only text written after a safe name unchanged. */
const NAME_SUFFIX = /^[:;]2,[A-Z]{0,26}$/;

/** The local name of a remote entry: its safe name, and its Maildir info where it has one. */
export function localName(entry: Pick<RemoteEntry, 'name' | 'nameSuffix'>): string {
  const safe = safeSegment(entry.name).name;
  const suffix = entry.nameSuffix;
  if (!suffix || !NAME_SUFFIX.test(suffix)) return safe;
  return `${fitName(safe, MAX_NAME_BYTES - suffix.length)}${suffix}`;
}

function keepsPrevious(previous: string, safe: string): boolean {
  if (previous === safe) return true;
  for (let n = 1; n <= 50; n++) if (withCounter(safe, n) === previous) return true;
  return false;
}

/**
 * The local path of every remote entry (id → path). Children are named folder by folder; names
 * given in earlier runs (the manifest) win, then lower ids, so the result is stable.
 */
export function assignPaths(
  remote: Map<string, RemoteEntry>,
  manifest: Map<string, ManifestEntry>,
  fold: Fold,
): Map<string, string> {
  const children = new Map<string | null, RemoteEntry[]>();
  for (const entry of remote.values()) {
    const list = children.get(entry.parent);
    if (list) list.push(entry);
    else children.set(entry.parent, [entry]);
  }
  const out = new Map<string, string>();
  const pending: Array<{ id: string | null; path: string }> = [{ id: null, path: '' }];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    const kids = children.get(folder.id);
    if (!kids) continue;
    const taken = new Set<string>(folder.id === null ? [fold(TRASH_DIR)] : []);
    const reserve = (name: string, type: 'dir' | 'file'): void => {
      taken.add(fold(name));
      if (type === 'file') for (const c of workingNames(name)) taken.add(fold(c));
    };
    const isFree = (name: string, type: 'dir' | 'file'): boolean =>
      !taken.has(fold(name)) && (type === 'dir' || workingNames(name).every((c) => !taken.has(fold(c))));
    const previous = (e: RemoteEntry): string | null => {
      const m = manifest.get(e.id);
      if (!m || parentPath(m.path) !== folder.path) return null;
      const prev = baseName(m.path);
      return keepsPrevious(prev, localName(e)) ? prev : null;
    };
    const ordered = kids
      .map((e) => ({ e, prev: previous(e) }))
      .sort((a, b) => Number(b.prev !== null) - Number(a.prev !== null) || compareIds(a.e.id, b.e.id));
    for (const { e, prev } of ordered) {
      const safe = localName(e);
      let name = prev !== null && isFree(prev, e.type) ? prev : safe;
      for (let n = 1; !isFree(name, e.type); n++) name = withCounter(safe, n);
      reserve(name, e.type);
      const path = joinPath(folder.path, name);
      out.set(e.id, path);
      if (e.type === 'dir') pending.push({ id: e.id, path });
    }
  }
  return out;
}

function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
