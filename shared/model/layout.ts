/**
 * The window layout the renderer remembers between sessions (in the renderer's localStorage): the
 * widths of the tree's Size and Modified columns and whether the Details pane is shown. One zod
 * schema per shape; a stored value that does not parse falls back to the default.
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
