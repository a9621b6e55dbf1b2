/** Selection helpers shared by the keyboard and mouse hooks: the range anchor and row ranges. */
import { useRef } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import { STRUCTURAL_KINDS } from '../../../store/tree/selection-summary';

export function isDisabled(row: VisibleRow): boolean {
  return row.kind === 'node' && row.node.state?.kind === 'disabled';
}

/** Ids of the node rows between two indexes (inclusive, either order; status rows skipped). */
export function nodeIdsBetween(rows: readonly VisibleRow[], from: number, to: number): string[] {
  const ids: string[] = [];
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.min(rows.length - 1, Math.max(from, to));
  for (let i = lo; i <= hi; i++) {
    const r = rows[i]!;
    if (r.kind === 'node') ids.push(r.id);
  }
  return ids;
}

/** Ctrl+A: the visible node rows beside the row at `index` (same parent), without structural kinds. */
export function folderRowIds(rows: readonly VisibleRow[], index: number): string[] {
  const at = rows[index];
  if (!at) return [];
  return rows
    .filter((r) => r.kind === 'node' && r.parentId === at.parentId && !STRUCTURAL_KINDS.has(r.node.kind))
    .map((r) => r.id);
}

export interface SelectionAnchor {
  /** The row a Shift+click / Shift+arrow range starts from. */
  set(id: string | null): void;
  /** The anchor's index, or `fallback` when there is none or it is no longer visible. */
  index(fallback: number): number;
  /** Sets the anchor to `row` unless a visible anchor exists. */
  ensure(row: VisibleRow | undefined): void;
}

export function useSelectionAnchor(indexById: ReadonlyMap<string, number>): SelectionAnchor {
  const anchorRef = useRef<string | null>(null);
  return {
    set(id) {
      anchorRef.current = id;
    },
    index(fallback) {
      const a = anchorRef.current;
      const i = a !== null ? indexById.get(a) : undefined;
      return i ?? fallback;
    },
    ensure(row) {
      if (anchorRef.current === null || !indexById.has(anchorRef.current)) {
        anchorRef.current = row?.kind === 'node' ? row.id : null;
      }
    },
  };
}
