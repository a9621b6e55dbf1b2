/**
 * The tree's column layout, as pure functions: which of Size and Modified have anything to show
 * (an empty one gives its space to Name), and how wide each is in the space there is (the Name
 * column keeps at least NAME_MIN px: in a narrow window Modified steps aside first, then Size; the
 * Details pane still shows both).
 */
import { COLUMN_MAX, COLUMN_MIN } from '../../../shared/model/layout';
import type { ColumnId, ColumnWidths } from '../../../shared/model/layout';
import type { VisibleRow } from './tree';

/** The Name column never gets narrower than this while another column could step aside (px). */
export const NAME_MIN = 200;
/** Row padding, the two column gaps and a vertical scroll bar (px). */
export const ROW_CHROME = 48;

export type FilledColumns = Record<ColumnId, boolean>;

/** Whether any visible row shows a size (files, not folders) or a modification time. */
export function filledColumns(rows: readonly VisibleRow[]): FilledColumns {
  const filled = { size: false, modified: false };
  for (const row of rows) {
    if (row.kind !== 'node') continue;
    const { node } = row;
    if (!filled.size && node.kind !== 'folder' && isCount(node.size)) filled.size = true;
    if (!filled.modified && Number.isFinite(node.modifiedAt)) filled.modified = true;
    if (filled.size && filled.modified) break;
  }
  return filled;
}

function isCount(value: number | undefined): boolean {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}

/** The widths shown (px; 0 = the column is not shown). `available`: the tree's width, null while unknown. */
export function planColumns(widths: ColumnWidths, filled: FilledColumns, available: number | null): ColumnWidths {
  const plan = { size: filled.size ? widths.size : 0, modified: filled.modified ? widths.modified : 0 };
  if (available === null) return plan;
  const name = () => available - ROW_CHROME - plan.size - plan.modified;
  if (name() < NAME_MIN) plan.modified = 0;
  if (name() < NAME_MIN) plan.size = 0;
  return plan;
}

/** The widest `column` may be made by the user: never so wide that Name drops below NAME_MIN. */
export function maxWidth(column: ColumnId, plan: ColumnWidths, available: number | null): number {
  if (available === null) return COLUMN_MAX;
  const other = column === 'size' ? plan.modified : plan.size;
  return clampWidth(available - ROW_CHROME - NAME_MIN - other, COLUMN_MAX);
}

export function clampWidth(width: number, max: number = COLUMN_MAX): number {
  return Math.round(Math.min(Math.max(width, COLUMN_MIN), Math.max(COLUMN_MIN, max)));
}
