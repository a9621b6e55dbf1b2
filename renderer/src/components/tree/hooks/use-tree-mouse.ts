/** Clicks on rows: plain click replaces the selection, Ctrl/Cmd toggles, Shift selects a range; double-click activates. */
import type { MouseEvent } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import type { SelectMode } from '../sources-tree';
import { isDisabled, nodeIdsBetween } from './selection';
import type { SelectionAnchor } from './selection';

export type RowHit = [VisibleRow, number, HTMLElement];

export interface TreeMouseOptions {
  rows: readonly VisibleRow[];
  focusedId: string | null;
  focusIndex: number;
  anchor: SelectionAnchor;
  rowFromEvent(e: { target: EventTarget }): RowHit | null;
  requestFocus(): void;
  activate(row: VisibleRow): void;
  onFocus(id: string): void;
  onToggle(id: string, expand: boolean): void;
  onSelect(ids: string[], mode: SelectMode): void;
  onRetry(parentId: string): void;
}

export interface TreeMouse {
  onClick(e: MouseEvent<HTMLDivElement>): void;
  onDoubleClick(e: MouseEvent<HTMLDivElement>): void;
}

export function useTreeMouse(o: TreeMouseOptions): TreeMouse {
  return {
    onClick(e) {
      const hit = o.rowFromEvent(e);
      if (!hit) return;
      const [row, index] = hit;
      const action = (e.target as Element).closest('[data-action]')?.getAttribute('data-action');
      if (action === 'retry') {
        e.stopPropagation();
        if (row.parentId !== null) o.onRetry(row.parentId);
        return;
      }
      o.requestFocus();
      if (row.id !== o.focusedId) o.onFocus(row.id);
      if (action === 'toggle' && row.kind === 'node' && row.expanded !== undefined) {
        if (!isDisabled(row)) o.onToggle(row.id, !row.expanded);
        return;
      }
      if (row.kind !== 'node') return;
      if (e.shiftKey) {
        const ids = nodeIdsBetween(o.rows, o.anchor.index(o.focusIndex), index);
        if (ids.length > 0) o.onSelect(ids, 'range');
      } else if (e.ctrlKey || e.metaKey) {
        o.anchor.set(row.id);
        o.onSelect([row.id], 'toggle');
      } else {
        o.anchor.set(row.id);
        o.onSelect([row.id], 'replace');
      }
    },
    onDoubleClick(e) {
      const hit = o.rowFromEvent(e);
      if (!hit) return;
      if ((e.target as Element).closest('[data-action]')) return;
      const [row] = hit;
      if (row.kind === 'node') o.activate(row);
    },
  };
}
