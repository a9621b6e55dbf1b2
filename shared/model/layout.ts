/**
 * The window layout the renderer remembers between sessions (in the renderer's localStorage): the
 * widths of the tree's Size and Modified columns, the sort, and whether the Details pane and the Sync
 * section's pairs are shown. One zod schema per shape; a stored value that does not parse falls back
 * to the default.
 */
import { z } from 'zod';

/** Narrowest and widest a resizable column may be (px). */
export const COLUMN_MIN = 48;
export const COLUMN_MAX = 480;

const width = z.number().int().min(COLUMN_MIN).max(COLUMN_MAX);

export const columnWidthsSchema = z.object({ size: width, modified: width });
export type ColumnWidths = z.infer<typeof columnWidthsSchema>;
export type ColumnId = keyof ColumnWidths;

export const DEFAULT_COLUMN_WIDTHS: ColumnWidths = { size: 88, modified: 140 };

export const detailsShownSchema = z.boolean();

/** Whether the Sync section shows its pairs (else only its one-line summary). */
export const syncShownSchema = z.boolean();

/** How the tree's content is sorted (column header): the column and its direction. */
export const sortSpecSchema = z.object({
  column: z.enum(['name', 'size', 'modified']),
  direction: z.enum(['asc', 'desc']),
});
export type SortSpec = z.infer<typeof sortSpecSchema>;
export type SortColumn = SortSpec['column'];

export const DEFAULT_SORT: SortSpec = { column: 'name', direction: 'asc' };
