/**
 * The tree's keyboard (WAI-ARIA tree pattern, multi-select as in Finder and Explorer): arrows,
 * Home/End, PageUp/PageDown move focus and the selection together; with Ctrl/Cmd they move focus
 * only; with Shift they extend the selection from the anchor. Right/Left expand, collapse and move
 * between parent and child (selection follows). Enter activates; Space toggles the focused row
 * (Shift+Space: range), except on the one selected file with a preview, which it opens
 * (`onPreview`, as Quick Look does; Ctrl/Cmd+Space still toggles); Ctrl/Cmd+A selects the rows of
 * the focused row's folder (never connections, services or accounts); Ctrl/Cmd+S saves the
 * selection ("Save to…"); Ctrl/Cmd+Enter downloads the focused row (a folder is downloaded instead
 * of opened); printable keys but `?` type ahead; Shift+F10 and the ContextMenu key open the context
 * menu. The list of all keys the user is shown is `components/shortcuts.ts` (the Keyboard shortcuts
 * sheet, the menu's key hints).
 */
import type { KeyboardEvent } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import type { SelectMode } from '../sources-tree';
import { folderRowIds, isDisabled, nodeIdsBetween } from './selection';
import type { SelectionAnchor } from './selection';
import type { TypeAhead } from './use-type-ahead';

export interface TreeKeyboardOptions {
  rows: readonly VisibleRow[];
  focusedId: string | null;
  focusIndex: number;
  indexById: ReadonlyMap<string, number>;
  anchor: SelectionAnchor;
  typeAhead: TypeAhead;
  focusAt(index: number, scroll: boolean): void;
  /** Focus and select one row (it becomes the anchor). */
  followAt(index: number): void;
  pageSize(): number;
  activate(row: VisibleRow): void;
  /** Opens the context menu for the focused row; false when there is none. */
  openMenu(): boolean;
  /** Ctrl/Cmd+S: "Save to…" for the selection. */
  onSaveTo?(): void;
  /** Ctrl/Cmd+Enter on a downloadable row (a folder, above all): download it (the selection, when it is part of it). */
  onDownload?(id: string): void;
  /** Space (no modifier) on a row: open its larger preview; false when it has none (Space then toggles). */
  onPreview?(id: string): boolean;
  onToggle(id: string, expand: boolean): void;
  onSelect(ids: string[], mode: SelectMode): void;
}

type Move = 'follow' | 'extend' | 'focus';

export function useTreeKeyboard(o: TreeKeyboardOptions): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { rows, focusIndex, anchor } = o;

  /** Move by keyboard: 'follow' selects the target, 'extend' selects anchor → target, 'focus' only moves. */
  const moveTo = (target: number, how: Move): void => {
    const index = Math.max(0, Math.min(rows.length - 1, target));
    if (how === 'follow') {
      o.followAt(index);
      return;
    }
    if (how === 'extend') {
      anchor.ensure(rows[focusIndex]);
      const ids = nodeIdsBetween(rows, anchor.index(focusIndex), index);
      if (ids.length > 0) o.onSelect(ids, 'range');
    }
    if (index !== focusIndex || rows[index]?.id !== o.focusedId) o.focusAt(index, true);
  };

  return (e) => {
    if (rows.length === 0 || e.altKey) return;
    const row = rows[focusIndex];
    if (!row) return;
    const mod = e.ctrlKey || e.metaKey;
    const target = moveTarget(e.key, focusIndex, rows.length, o.pageSize);
    const handled =
      target !== null
        ? (moveTo(target, e.shiftKey ? 'extend' : mod ? 'focus' : 'follow'), true)
        : otherKey(o, e, row, mod);
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
}

/** The row index a navigation key moves to, or null for any other key. */
function moveTarget(key: string, at: number, count: number, pageSize: () => number): number | null {
  switch (key) {
    case 'ArrowDown':
      return at + 1;
    case 'ArrowUp':
      return at - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return at + pageSize();
    case 'PageUp':
      return at - pageSize();
    default:
      return null;
  }
}

/** Every key but the moves; false when the key is not the tree's. */
function otherKey(o: TreeKeyboardOptions, e: KeyboardEvent<HTMLDivElement>, row: VisibleRow, mod: boolean): boolean {
  const onControl = (e.target as HTMLElement).tagName === 'BUTTON';
  switch (e.key) {
    case 'ArrowRight':
      right(o, row);
      return true;
    case 'ArrowLeft':
      left(o, row);
      return true;
    case 'Enter':
      // Alt+Enter is the window's (Details), as in Explorer.
      if (onControl || e.altKey) return false;
      if (mod) return downloadKey(o, row);
      o.activate(row);
      return true;
    case ' ':
    case 'Spacebar':
      if (onControl) return false;
      space(o, row, e.shiftKey, mod);
      return true;
    case 'ContextMenu':
      return o.openMenu();
    default:
      return commandKey(o, e, mod, onControl);
  }
}

/** Shift+F10, Ctrl/Cmd+S, Ctrl/Cmd+A and type-ahead. */
function commandKey(
  o: TreeKeyboardOptions,
  e: KeyboardEvent<HTMLDivElement>,
  mod: boolean,
  onControl: boolean,
): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'F10' && e.shiftKey) return o.openMenu();
  if (mod && key === 's' && o.onSaveTo) {
    o.onSaveTo();
    return true;
  }
  if (mod && key === 'a') {
    o.onSelect(folderRowIds(o.rows, o.focusIndex), 'replace');
    return true;
  }
  // `?` opens the Keyboard shortcuts sheet (no file name starts with it on Windows).
  if (!mod && !onControl && [...e.key].length === 1 && /\S/u.test(e.key) && e.key !== '?') {
    o.typeAhead.type(e.key); // a printable character (e.key is a named key otherwise)
    return true;
  }
  return false;
}

/** Ctrl/Cmd+Enter: download the focused folder (or file) instead of opening it. */
function downloadKey(o: TreeKeyboardOptions, row: VisibleRow): boolean {
  if (row.kind !== 'node' || !row.node.downloadable || isDisabled(row) || !o.onDownload) return false;
  o.onDownload(row.id);
  return true;
}

function right(o: TreeKeyboardOptions, row: VisibleRow): void {
  if (row.kind === 'node' && row.expanded === false) {
    if (!isDisabled(row)) o.onToggle(row.id, true);
  } else if (row.kind === 'node' && row.expanded === true) {
    const next = o.rows[o.focusIndex + 1];
    if (next && next.level === row.level + 1) o.followAt(o.focusIndex + 1);
  }
}

function left(o: TreeKeyboardOptions, row: VisibleRow): void {
  if (row.kind === 'node' && row.expanded === true) {
    o.onToggle(row.id, false);
  } else if (row.parentId !== null) {
    const parent = o.indexById.get(row.parentId);
    if (parent !== undefined) o.followAt(parent);
  }
}

function space(o: TreeKeyboardOptions, row: VisibleRow, shift: boolean, mod: boolean): void {
  if (o.typeAhead.active()) o.typeAhead.type(' ');
  else if (row.kind !== 'node') return;
  else if (!shift && !mod && o.onPreview?.(row.id)) return;
  else if (shift) {
    const ids = nodeIdsBetween(o.rows, o.anchor.index(o.focusIndex), o.focusIndex);
    if (ids.length > 0) o.onSelect(ids, 'range');
  } else {
    if (!mod) o.anchor.set(row.id);
    o.onSelect([row.id], 'toggle');
  }
}
