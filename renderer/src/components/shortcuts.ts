/**
 * The app's keyboard shortcuts as the user is shown them (the Keyboard shortcuts sheet, the keys
 * beside context menu items, `aria-keyshortcuts`): one list, written once. The keys themselves are
 * handled by the tree (`tree/hooks/use-tree-keyboard.ts`) and the window (`use-app-shortcuts.ts`).
 * On macOS Ctrl is ⌘ and Alt is ⌥, shown the Mac way ("⇧⌘C").
 */

export interface Keys {
  /** Ctrl, or ⌘ on macOS. */
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** The key's name as `KeyboardEvent.key` or the sheet shows it: "Enter", "F5", "C", "↑". */
  key: string;
}

/** The shortcuts of commands that also show in the context menu and the application menu. */
export const COMMAND_KEYS = {
  download: { mod: true, key: 'Enter' },
  saveTo: { mod: true, key: 'S' },
  refresh: { key: 'F5' },
  copyPath: { mod: true, shift: true, key: 'C' },
  details: { alt: true, key: 'Enter' },
  find: { mod: true, key: 'F' },
  clearSelection: { key: 'Escape' },
  contextMenu: { shift: true, key: 'F10' },
  shortcuts: { key: 'F1' },
} as const satisfies Record<string, Keys>;

export type ShortcutId = keyof typeof COMMAND_KEYS;

/** One line of the sheet: the keys (one or more ways) and what they do (an i18n key under `shortcuts.`). */
export interface SheetLine {
  keys: Keys[];
  what: string;
}

/** The sheet, in groups (i18n keys under `shortcuts.`). */
export const SHEET: ReadonlyArray<{ group: string; lines: SheetLine[] }> = [
  {
    group: 'groupTree',
    lines: [
      { keys: [{ key: '↑' }, { key: '↓' }], what: 'move' },
      {
        keys: [
          { mod: true, key: '↑' },
          { mod: true, key: '↓' },
        ],
        what: 'moveFocus',
      },
      {
        keys: [
          { shift: true, key: '↑' },
          { shift: true, key: '↓' },
        ],
        what: 'extend',
      },
      { keys: [{ key: 'Space' }], what: 'toggle' },
      { keys: [{ mod: true, key: 'A' }], what: 'selectFolder' },
      { keys: [{ key: '→' }, { key: '←' }], what: 'expand' },
      { keys: [{ key: 'Home' }, { key: 'End' }, { key: 'PageUp' }, { key: 'PageDown' }], what: 'jump' },
      { keys: [{ key: 'a–z' }], what: 'typeAhead' },
      { keys: [{ key: 'Enter' }], what: 'activate' },
      { keys: [COMMAND_KEYS.clearSelection], what: 'clearSelection' },
    ],
  },
  {
    group: 'groupCommands',
    lines: [
      { keys: [COMMAND_KEYS.download], what: 'download' },
      { keys: [COMMAND_KEYS.saveTo], what: 'saveTo' },
      { keys: [COMMAND_KEYS.refresh, { mod: true, key: 'R' }], what: 'refresh' },
      { keys: [COMMAND_KEYS.copyPath], what: 'copyPath' },
      { keys: [COMMAND_KEYS.details], what: 'details' },
      { keys: [COMMAND_KEYS.find], what: 'find' },
      { keys: [COMMAND_KEYS.contextMenu, { key: 'ContextMenu' }], what: 'contextMenu' },
      { keys: [COMMAND_KEYS.shortcuts, { key: '?' }], what: 'sheet' },
    ],
  },
];

/** Whether the app runs on macOS (keys are shown the Mac way). */
export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform || navigator.userAgent);
}

const MAC_KEYS: Record<string, string> = { Enter: '↩', Escape: 'Esc', Space: 'Space' };
const PC_KEYS: Record<string, string> = { Escape: 'Esc', ContextMenu: 'Menu' };

/** "Ctrl+Shift+C" (Windows, Linux) or "⇧⌘C" (macOS). */
export function keysText(keys: Keys, mac: boolean): string {
  if (mac) {
    const key = MAC_KEYS[keys.key] ?? keys.key;
    return `${keys.alt ? '⌥' : ''}${keys.shift ? '⇧' : ''}${keys.mod ? '⌘' : ''}${key}`;
  }
  const parts = [
    keys.mod ? 'Ctrl' : '',
    keys.alt ? 'Alt' : '',
    keys.shift ? 'Shift' : '',
    PC_KEYS[keys.key] ?? keys.key,
  ];
  return parts.filter(Boolean).join('+');
}

/** The `aria-keyshortcuts` form: "Control+Shift+C", "Meta+Enter". */
export function ariaKeys(keys: Keys, mac: boolean): string {
  const parts = [
    keys.mod ? (mac ? 'Meta' : 'Control') : '',
    keys.alt ? 'Alt' : '',
    keys.shift ? 'Shift' : '',
    keys.key,
  ];
  return parts.filter(Boolean).join('+');
}

/** What a context menu item shows beside its label, and announces. */
export function menuShortcut(id: ShortcutId, mac = isMac()): { text: string; aria: string } {
  const keys: Keys = COMMAND_KEYS[id];
  return { text: keysText(keys, mac), aria: ariaKeys(keys, mac) };
}
