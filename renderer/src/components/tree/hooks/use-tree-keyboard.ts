/**
 * The tree's keyboard (WAI-ARIA tree pattern, multi-select as in Finder and Explorer): arrows,
 * Home/End, PageUp/PageDown move focus and the selection together; with Ctrl/Cmd they move focus
 * only; with Shift they extend the selection from the anchor. Right/Left expand, collapse and move
 * between parent and child (selection follows). Enter activates; Space toggles the focused row
 * (Shift+Space: range); Ctrl/Cmd+A selects the rows of the focused row's folder (never
 * connections, services or accounts); Ctrl/Cmd+S saves the selection ("Save to…"); printable keys
 * type ahead; Shift+F10 and the ContextMenu key open the context menu.
 */
import type { KeyboardEvent } from 'react';
import type { VisibleRow } from '../model';
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
  onToggle(id: string, expand: boolean): void;
  onSelect(ids: string[], mode: SelectMode): void;
}

export function useTreeKeyboard(o: TreeKeyboardOptions): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { rows, focusIndex, anchor } = o;

  /** Move by keyboard: 'follow' selects the target, 'extend' selects anchor → target, 'focus' only moves. */
  const moveTo = (target: number, how: 'follow' | 'extend' | 'focus'): void => {
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

  const right = (row: VisibleRow): void => {
    if (row.kind === 'node' && row.expanded === false) {
      if (!isDisabled(row)) o.onToggle(row.id, true);
    } else if (row.kind === 'node' && row.expanded === true) {
      const next = rows[focusIndex + 1];
      if (next && next.level === row.level + 1) o.followAt(focusIndex + 1);
    }
  };

  const left = (row: VisibleRow): void => {
    if (row.kind === 'node' && row.expanded === true) {
      o.onToggle(row.id, false);
    } else if (row.parentId !== null) {
      const parent = o.indexById.get(row.parentId);
      if (parent !== undefined) o.followAt(parent);
    }
  };

  const space = (row: VisibleRow, shift: boolean, mod: boolean): void => {
    if (o.typeAhead.active()) o.typeAhead.type(' ');
    else if (row.kind !== 'node') return;
    else if (shift) {
      const ids = nodeIdsBetween(rows, anchor.index(focusIndex), focusIndex);
      if (ids.length > 0) o.onSelect(ids, 'range');
    } else {
      if (!mod) anchor.set(row.id);
      o.onSelect([row.id], 'toggle');
    }
  };

  return (e) => {
    if (rows.length === 0 || e.altKey) return;
    const onControl = (e.target as HTMLElement).tagName === 'BUTTON';
    const row = rows[focusIndex];
    if (!row) return;
    const mod = e.ctrlKey || e.metaKey;
    const how = e.shiftKey ? 'extend' : mod ? 'focus' : 'follow';
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(focusIndex + 1, how);
        break;
      case 'ArrowUp':
        moveTo(focusIndex - 1, how);
        break;
      case 'Home':
        moveTo(0, how);
        break;
      case 'End':
        moveTo(rows.length - 1, how);
        break;
      case 'PageDown':
        moveTo(focusIndex + o.pageSize(), how);
        break;
      case 'PageUp':
        moveTo(focusIndex - o.pageSize(), how);
        break;
      case 'ArrowRight':
        right(row);
        break;
      case 'ArrowLeft':
        left(row);
        break;
      case 'Enter':
        if (onControl) handled = false;
        else o.activate(row);
        break;
      case ' ':
      case 'Spacebar':
        if (onControl) handled = false;
        else space(row, e.shiftKey, mod);
        break;
      case 'ContextMenu':
        handled = o.openMenu();
        break;
      default:
        if (e.key === 'F10' && e.shiftKey) {
          handled = o.openMenu();
        } else if (mod && (e.key === 's' || e.key === 'S') && o.onSaveTo) {
          o.onSaveTo();
        } else if (mod && (e.key === 'a' || e.key === 'A')) {
          o.onSelect(folderRowIds(rows, focusIndex), 'replace');
        } else if (!mod && !onControl && [...e.key].length === 1 && /\S/u.test(e.key)) {
          o.typeAhead.type(e.key); // a printable character (e.key is a named key otherwise)
        } else {
          handled = false;
        }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
}
