/**
 * Window-wide shortcuts and the application menu's commands, run by one handler:
 * Ctrl/Cmd+F focuses the filter, F5 and Ctrl/Cmd+R refresh the focused folder (never reload the
 * page), Esc clears the selection when no menu or dialog is open and focus is not in a text field,
 * F1 and `?` open the Keyboard shortcuts sheet, Alt+Enter shows Details, Ctrl/Cmd+Shift+C copies
 * the focused item's path (the list the user sees: `components/shortcuts.ts`).
 * In Electron the application menu owns the same accelerators and sends `app:command`; the bridge
 * hands those to the store's `runCommand`, which calls the handler registered here, so both paths
 * end in the same handler.
 */
import { useEffect, useRef } from 'react';
import type { AppCommand } from '../../../../../shared/model/commands';
import { useStoreApi } from '../../../store/context';

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** The command a key press stands for, or null. `blocked`: a menu or modal dialog is open. */
export function shortcutCommand(e: KeyLike, blocked: boolean): AppCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return key === 'Enter' && !mod && !e.shiftKey && !blocked ? 'showDetails' : null;
  if (key === 'F1' && !mod && !e.shiftKey) return blocked ? null : 'shortcuts';
  if (key === '?' && !mod && !blocked && !inTextField(e.target)) return 'shortcuts';
  if (mod && e.shiftKey && key === 'c' && !blocked && !inTextField(e.target)) return 'copyPath';
  if (mod && key === 'f' && !e.shiftKey) return blocked ? null : 'find';
  if (key === 'F5' || (mod && key === 'r')) return 'refresh';
  if (key === 'Escape' && !mod && !e.shiftKey && !e.defaultPrevented && !blocked && !inTextField(e.target))
    return 'clearSelection';
  return null;
}

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A context menu or an open modal dialog takes the keys. */
function overlayOpen(): boolean {
  return document.querySelector('[role="menu"], dialog[open]') !== null;
}

/** Installs the window-wide shortcuts and the handler of the menu's commands while mounted. */
export function useAppShortcuts(run: (command: AppCommand) => void): void {
  const store = useStoreApi();
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    const handler = (command: AppCommand) => runRef.current(command);
    store.getState().setCommandHandler(handler);
    const onKeyDown = (e: KeyboardEvent) => {
      const command = shortcutCommand(e, overlayOpen());
      if (!command) return;
      e.preventDefault();
      handler(command);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      if (store.getState().commandHandler === handler) store.getState().setCommandHandler(null);
    };
  }, [store]);
}
