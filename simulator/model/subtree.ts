/**
 * The recursive listing (`depth=unlimited`, docs/infomaniak-api.md: "Recursive listing"): every
 * descendant of a folder, pre-order (a folder comes before its contents [guess: the real order is
 * not documented]), in pages. Nothing is materialised: the position between pages is a stack of
 * (folder id, index of the next child), so a page costs what it returns, in written-out and
 * generated trees alike.
 */
import type { ChildView, DriveModel } from './drive';

/** Where the next page starts: one frame per open folder, outermost first. */
export type SubtreeStack = Array<[folderId: number, nextIndex: number]>;

export interface SubtreePage {
  ids: number[];
  /** Null when the walk is complete. */
  next: SubtreeStack | null;
}

interface Frame {
  folder: number;
  view: ChildView;
  index: number;
}

/**
 * Up to `limit` descendants of `rootId` from `from` (null: the start). `accept` filters what is
 * returned (e.g. only files); folders are still descended into.
 */
export function subtreePage(
  drive: DriveModel,
  rootId: number,
  from: SubtreeStack | null,
  limit: number,
  accept: (id: number, isDir: boolean) => boolean = () => true,
): SubtreePage | null {
  const frames = restore(drive, rootId, from);
  if (!frames) return null;
  const ids: number[] = [];
  while (ids.length < limit) {
    const top = frames.at(-1);
    if (!top) break;
    if (top.index >= top.view.count) {
      frames.pop();
      continue;
    }
    const id = top.view.at(top.index);
    top.index += 1;
    const children = drive.isVault(id) ? null : drive.children(id);
    if (accept(id, children !== null || drive.isVault(id))) ids.push(id);
    if (children) frames.push({ folder: id, view: children, index: 0 });
  }
  while (frames.length > 0 && frames.at(-1)!.index >= frames.at(-1)!.view.count) frames.pop();
  return { ids, next: frames.length > 0 ? frames.map((f) => [f.folder, f.index]) : null };
}

/** Rebuilds the frames of a stack; null when it does not describe a walk below `rootId`. */
function restore(drive: DriveModel, rootId: number, from: SubtreeStack | null): Frame[] | null {
  const stack: SubtreeStack = from ?? [[rootId, 0]];
  if (stack.length === 0 || stack[0]![0] !== rootId) return null;
  const frames: Frame[] = [];
  for (const [folder, index] of stack) {
    const view = drive.children(folder);
    if (!view || !Number.isInteger(index) || index < 0 || index > view.count) return null;
    frames.push({ folder, view, index });
  }
  return frames;
}
