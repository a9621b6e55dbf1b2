/**
 * The tree's column header: each column's name is a button that sorts by it (again: the other way),
 * announced with `aria-sort` on its column header (the header is a one-row table of column headers
 * above the tree); a resize handle at the start of Size and of Modified: drag it, or focus it and
 * use ←/→ (Home/End: narrowest/widest). Name takes what is left. Columns with nothing to show are
 * not shown (width 0) and have no button and no handle.
 */
import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';
import { COLUMN_MIN } from '../../../shared/model/layout';
import type { ColumnId, ColumnWidths, SortColumn, SortSpec } from '../../../shared/model/layout';
import { clampWidth } from './columns';

/** One arrow key press moves the edge this far (px). */
const KEY_STEP = 16;

interface HandleProps {
  column: ColumnId;
  width: number;
  max: number;
  label: string;
  onResize(column: ColumnId, width: number): void;
}

/** A vertical separator on a column's start edge: moving it left widens the column. */
function ResizeHandle({ column, width, max, label, onResize }: HandleProps) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  const set = (next: number) => onResize(column, clampWidth(next, max));
  const onKeyDown = (e: KeyboardEvent) => {
    const next =
      e.key === 'ArrowLeft'
        ? width + KEY_STEP
        : e.key === 'ArrowRight'
          ? width - KEY_STEP
          : e.key === 'Home'
            ? COLUMN_MIN
            : e.key === 'End'
              ? max
              : null;
    if (next === null) return;
    e.preventDefault();
    set(next);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    e.currentTarget.focus();
    drag.current = { x: e.clientX, width };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (drag.current) set(drag.current.width - (e.clientX - drag.current.x));
  };
  const end = () => {
    drag.current = null;
  };
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={COLUMN_MIN}
      aria-valuemax={Math.max(COLUMN_MIN, max)}
      tabIndex={0}
      className="column-resize"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
    />
  );
}

export interface ColumnHeaderProps {
  /** The widths shown (0: not shown). */
  plan: ColumnWidths;
  /** The widest each column may be made now. */
  max: ColumnWidths;
  labels: { name: string; size: string; modified: string; columns: string };
  /** Accessible names of the handles ("Resize the Size column"). */
  resizeLabels: { size: string; modified: string };
  onResize(column: ColumnId, width: number): void;
  sort: SortSpec;
  onSort(column: SortColumn): void;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** One column's header: its sort button (and what is passed in: a resize handle). */
function HeaderCell({
  column,
  label,
  sort,
  onSort,
  shown,
  children,
}: {
  column: SortColumn;
  label: string;
  sort: SortSpec;
  onSort(column: SortColumn): void;
  shown: boolean;
  children?: ReactNode;
}) {
  const active = sort.column === column;
  return (
    <span
      role="columnheader"
      aria-label={label}
      className={`st-col st-col--${column}`}
      aria-sort={active ? ARIA_SORT[sort.direction] : undefined}
    >
      {children}
      {shown && (
        <button type="button" className="st-sort" onClick={() => onSort(column)}>
          <span className="st-sort-label">{label}</span>
          {active && (
            <span className="st-sort-arrow" aria-hidden="true">
              {sort.direction === 'asc' ? '▲' : '▼'}
            </span>
          )}
        </button>
      )}
    </span>
  );
}

export function ColumnHeader({ plan, max, labels, resizeLabels, onResize, sort, onSort }: ColumnHeaderProps) {
  const cell = (column: ColumnId) => (
    <HeaderCell column={column} label={labels[column]} sort={sort} onSort={onSort} shown={plan[column] > 0}>
      {plan[column] > 0 && (
        <ResizeHandle
          column={column}
          width={plan[column]}
          max={max[column]}
          label={resizeLabels[column]}
          onResize={onResize}
        />
      )}
    </HeaderCell>
  );
  return (
    <div role="table" aria-label={labels.columns} className="st-header column-header">
      <div role="row" className="st-grid">
        <HeaderCell column="name" label={labels.name} sort={sort} onSort={onSort} shown />
        {cell('size')}
        {cell('modified')}
      </div>
    </div>
  );
}
