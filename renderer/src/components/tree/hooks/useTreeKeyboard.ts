/**
 * The tree's keyboard (WAI-ARIA tree pattern): arrows, Home/End, PageUp/PageDown move focus (with
 * Shift: extend the selection from the anchor); Right/Left expand, collapse and move between parent
 * and child; Enter activates; Space selects; Ctrl/Cmd+A selects all; printable keys type ahead;
 * Shift+F10 and the ContextMenu key open the context menu.
 */
import type { KeyboardEvent } from 'react';
import type { VisibleRow } from '../model';
import type { SelectMode } from '../SourcesTree';
import { isDisabled, nodeIdsBetween } from './selection';
import type { SelectionAnchor } from './selection';
import type { TypeAhead } from './useTypeAhead';

export interface TreeKeyboardOptions {
  rows: readonly VisibleRow[];
  focusedId: string | null;
  focusIndex: number;
  indexById: ReadonlyMap<string, number>;
  anchor: SelectionAnchor;
  typeAhead: TypeAhead;
  focusAt(index: number, scroll: boolean): void;
  pageSize(): number;
  activate(row: VisibleRow): void;
  /** Opens the context menu for the focused row; false when there is none. */
  openMenu(): boolean;
  onToggle(id: string, expand: boolean): void;
  onSelect(ids: string[], mode: SelectMode): void;
}

export function useTreeKeyboard(o: TreeKeyboardOptions): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { rows, focusIndex, anchor } = o;

  /** Move focus by keyboard; with `extend`, select anchor → target. */
  const moveTo = (target: number, extend: boolean): void => {
    const index = Math.max(0, Math.min(rows.length - 1, target));
    if (extend) {
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
      if (next && next.level === row.level + 1) o.focusAt(focusIndex + 1, true);
    }
  };

  const left = (row: VisibleRow): void => {
    if (row.kind === 'node' && row.expanded === true) {
      o.onToggle(row.id, false);
    } else if (row.parentId !== null) {
      const parent = o.indexById.get(row.parentId);
      if (parent !== undefined) o.focusAt(parent, true);
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
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(focusIndex + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(focusIndex - 1, e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(rows.length - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(focusIndex + o.pageSize(), e.shiftKey);
        break;
      case 'PageUp':
        moveTo(focusIndex - o.pageSize(), e.shiftKey);
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
        } else if (mod && (e.key === 'a' || e.key === 'A')) {
          o.onSelect(nodeIdsBetween(rows, 0, rows.length - 1), 'replace');
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
