/**
 * The tree's column header with a resize handle at the start of Size and of Modified: drag it, or
 * focus it and use ←/→ (Home/End: narrowest/widest). Name takes what is left. Columns with nothing
 * to show are not shown (width 0) and have no handle.
 */
import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { COLUMN_MIN } from '../../../shared/model/layout';
import type { ColumnId, ColumnWidths } from '../../../shared/model/layout';
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
  labels: { name: string; size: string; modified: string };
  /** Accessible names of the handles ("Resize the Size column"). */
  resizeLabels: { size: string; modified: string };
  onResize(column: ColumnId, width: number): void;
}

export function ColumnHeader({ plan, max, labels, resizeLabels, onResize }: ColumnHeaderProps) {
  const cell = (column: ColumnId) => (
    <span className={`st-col st-col--${column}`}>
      {plan[column] > 0 && (
        <ResizeHandle
          column={column}
          width={plan[column]}
          max={max[column]}
          label={resizeLabels[column]}
          onResize={onResize}
        />
      )}
      <span aria-hidden="true">{labels[column]}</span>
    </span>
  );
  return (
    <div className="st-header st-grid column-header">
      <span className="st-col st-col--name" aria-hidden="true">
        {labels.name}
      </span>
      {cell('size')}
      {cell('modified')}
    </div>
  );
}
