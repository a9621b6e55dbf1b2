/**
 * Dragging rows out of the tree. A drag that starts on a selected downloadable row carries every
 * selected downloadable row (in visible order); one that starts on an unselected row carries just it.
 * The owner (`onDragOutStart`) hands the ids to main; this hook only decides what is dragged.
 */
import type { DragEvent } from 'react';
import type { VisibleRow } from '../model';
import type { RowHit } from './useTreeMouse';

export interface TreeDragOptions {
  rows: readonly VisibleRow[];
  selectedIds: ReadonlySet<string>;
  rowFromEvent(e: { target: EventTarget }): RowHit | null;
  onDragOutStart?(ids: string[], event: DragEvent<HTMLElement>): void;
}

export interface TreeDrag {
  onDragStart(e: DragEvent<HTMLDivElement>): void;
}

/** The ids a drag starting on `row` carries (empty: the row cannot be dragged). */
export function dragIds(rows: readonly VisibleRow[], selectedIds: ReadonlySet<string>, row: VisibleRow): string[] {
  if (row.kind !== 'node' || !row.node.downloadable || row.node.state?.kind === 'disabled') return [];
  if (!selectedIds.has(row.id)) return [row.id];
  return rows.filter((r) => r.kind === 'node' && r.node.downloadable && selectedIds.has(r.id)).map((r) => r.id);
}

export function useTreeDrag(o: TreeDragOptions): TreeDrag {
  return {
    onDragStart(e) {
      const hit = o.rowFromEvent(e);
      if (!hit || !o.onDragOutStart) return;
      const ids = dragIds(o.rows, o.selectedIds, hit[0]);
      if (ids.length > 0) o.onDragOutStart(ids, e);
    },
  };
}
