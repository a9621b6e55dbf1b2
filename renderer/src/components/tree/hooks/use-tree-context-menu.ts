/**
 * Opening the context menu on a row: right-click, Shift+F10 or the ContextMenu key. The row is
 * selected first (unless it already is: then the menu acts on the whole selection) and focused;
 * the owner renders the menu at the given point.
 */
import type { MouseEvent, RefObject } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import type { SelectMode } from '../sources-tree';
import type { SelectionAnchor } from './selection';
import type { RowHit } from './use-tree-mouse';

export interface TreeContextMenuOptions {
  rows: readonly VisibleRow[];
  selectedIds: ReadonlySet<string>;
  anchor: SelectionAnchor;
  scrollRef: RefObject<HTMLDivElement | null>;
  rowFromEvent(e: { target: EventTarget }): RowHit | null;
  focusAt(index: number, scroll: boolean): void;
  onSelect(ids: string[], mode: SelectMode): void;
  onContextMenu?(id: string, at: { x: number; y: number }): void;
}

export interface TreeContextMenu {
  onContextMenu(e: MouseEvent<HTMLDivElement>): void;
  /** From the keyboard, below the row at `index`; false when there is no menu for it. */
  openAt(index: number): boolean;
}

export function useTreeContextMenu(o: TreeContextMenuOptions): TreeContextMenu {
  const open = (row: VisibleRow, index: number, at: { x: number; y: number }): boolean => {
    if (!o.onContextMenu || row.kind !== 'node') return false;
    if (!o.selectedIds.has(row.id)) {
      o.anchor.set(row.id);
      o.onSelect([row.id], 'replace');
    }
    o.focusAt(index, false);
    o.onContextMenu(row.id, at);
    return true;
  };
  return {
    onContextMenu(e) {
      const hit = o.rowFromEvent(e);
      if (!hit) return;
      if (open(hit[0], hit[1], { x: e.clientX, y: e.clientY })) e.preventDefault();
    },
    openAt(index) {
      const row = o.rows[index];
      const el = o.scrollRef.current?.querySelector(`[data-index="${index}"]`);
      if (!row || !el) return false;
      const r = el.getBoundingClientRect();
      return open(row, index, { x: Math.round(r.left + 32), y: Math.round(r.bottom) });
    },
  };
}
