/**
 * Dragging rows out of the tree. A drag that starts on a selected downloadable row carries every
 * selected downloadable row (in visible order); one that starts on an unselected row carries just it.
 *
 * A drag begins with dragstart, which the browser fires only once the pointer, pressed, moved past
 * the platform's drag threshold: that is the one moment anything is staged (issue 22.1). A click,
 * the keyboard and resting the pointer never stage anything.
 *
 * - Electron (`native`): the HTML drag is cancelled and the owner (`onDragOutStart`) asks main for
 *   the OS drag, which main starts at once or as soon as the files are staged (while the button is
 *   held).
 * - Browser host: dragstart puts Chromium's `DownloadURL` data (a one-time link fetched ahead) on
 *   the drag, so dropping on the desktop downloads the file; the owner hears of the drag too.
 * - Resting the pointer ~300 ms on a row, or pressing on it, tells the owner (`onDwell`), which
 *   fetches the browser host's link ahead: a local token, no request to Infomaniak, no bytes.
 */
import { useEffect, useRef } from 'react';
import type { DragEvent, PointerEvent } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import type { RowHit } from './use-tree-mouse';

export const DWELL_MS = 300;

/** What the owner of the tree provides for drag-out. */
export interface TreeDragProps {
  /** Electron: the OS drag replaces the HTML one. */
  native: boolean;
  /** Short drag state text of the rows being dragged ("Preparing… 40 %", "Ready to drag"). */
  rowText?: ReadonlyMap<string, string>;
  /** The pointer rested on a row (or pressed it): get a drag link ahead, spending nothing; null when it left the tree. */
  onDwell?(id: string | null): void;
  /** Browser host: `DownloadURL` data for a drag of these ids, if a link is at hand. */
  downloadUrl?(ids: string[]): string | null;
}

export interface TreeDragOptions {
  rows: readonly VisibleRow[];
  selectedIds: ReadonlySet<string>;
  rowFromEvent(e: { target: EventTarget }): RowHit | null;
  onDragOutStart?(ids: string[], event: DragEvent<HTMLElement>): void;
  drag?: TreeDragProps;
}

export interface TreeDrag {
  onDragStart(e: DragEvent<HTMLDivElement>): void;
  onPointerDown(e: PointerEvent<HTMLDivElement>): void;
  onPointerMove(e: PointerEvent<HTMLDivElement>): void;
  onPointerLeave(): void;
}

/** The ids a drag starting on `row` carries (empty: the row cannot be dragged). */
export function dragIds(rows: readonly VisibleRow[], selectedIds: ReadonlySet<string>, row: VisibleRow): string[] {
  if (row.kind !== 'node' || !row.node.downloadable || row.node.state?.kind === 'disabled') return [];
  if (!selectedIds.has(row.id)) return [row.id];
  return rows.filter((r) => r.kind === 'node' && r.node.downloadable && selectedIds.has(r.id)).map((r) => r.id);
}

function draggableId(o: TreeDragOptions, target: EventTarget): string | null {
  const hit = o.rowFromEvent({ target });
  const row = hit?.[0];
  return row && row.kind === 'node' && row.node.downloadable && row.node.state?.kind !== 'disabled' ? row.id : null;
}

export function useTreeDrag(o: TreeDragOptions): TreeDrag {
  const dwell = useRef<{ id: string | null; timer: ReturnType<typeof setTimeout> | null }>({ id: null, timer: null });
  useEffect(
    () => () => {
      if (dwell.current.timer) clearTimeout(dwell.current.timer);
    },
    [],
  );

  const rest = (id: string | null, delay: number) => {
    const d = dwell.current;
    if (d.id === id && (d.timer || delay > 0)) return;
    if (d.timer) clearTimeout(d.timer);
    d.id = id;
    d.timer = null;
    if (id === null) return;
    const fire = () => {
      d.timer = null;
      o.drag?.onDwell?.(id);
    };
    if (delay === 0) fire();
    else d.timer = setTimeout(fire, delay);
  };

  return {
    onDragStart(e) {
      const hit = o.rowFromEvent(e);
      if (!hit) return;
      const ids = dragIds(o.rows, o.selectedIds, hit[0]);
      if (ids.length === 0) return;
      if (o.drag?.native) {
        e.preventDefault();
        o.onDragOutStart?.(ids, e);
        return;
      }
      const url = o.drag?.downloadUrl?.(ids);
      if (url) {
        e.dataTransfer.setData('DownloadURL', url);
        e.dataTransfer.effectAllowed = 'copy';
      }
      o.onDragOutStart?.(ids, e);
    },
    onPointerDown(e) {
      if (e.button === 0) rest(draggableId(o, e.target), 0);
    },
    onPointerMove(e) {
      rest(draggableId(o, e.target), DWELL_MS);
    },
    onPointerLeave() {
      rest(null, 0);
    },
  };
}
