/**
 * Commands of the application menu (Electron) and the window-wide shortcuts (both shells): main's
 * menu sends one of these names to the renderer (`app:command`), the renderer's keyboard handler
 * runs the same ones. Declared once here.
 */
import { z } from 'zod';

export const appCommandSchema = z.enum([
  'addConnection',
  'settings',
  'find',
  'refresh',
  'showTransfers',
  'showDetails',
  'clearSelection',
  /** Copy the focused item's path (Ctrl/Cmd+Shift+C). */
  'copyPath',
  /** The Keyboard shortcuts sheet (F1, `?`, Help menu). */
  'shortcuts',
]);
export type AppCommand = z.infer<typeof appCommandSchema>;
