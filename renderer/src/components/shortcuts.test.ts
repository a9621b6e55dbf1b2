import { describe, expect, it } from 'vitest';
import { COMMAND_KEYS, SHEET, ariaKeys, keysText, menuShortcut } from './shortcuts';
import { en } from '../i18n/en';
import { de } from '../i18n/de';

describe('the shortcuts the user is shown (23.5)', () => {
  it('Windows/Linux "Ctrl+Shift+C", macOS "⇧⌘C"; aria-keyshortcuts in its own form', () => {
    expect(keysText(COMMAND_KEYS.copyPath, false)).toBe('Ctrl+Shift+C');
    expect(keysText(COMMAND_KEYS.copyPath, true)).toBe('⇧⌘C');
    expect(keysText(COMMAND_KEYS.download, false)).toBe('Ctrl+Enter');
    expect(keysText(COMMAND_KEYS.download, true)).toBe('⌘↩');
    expect(keysText(COMMAND_KEYS.details, false)).toBe('Alt+Enter');
    expect(keysText(COMMAND_KEYS.details, true)).toBe('⌥↩');
    expect(keysText(COMMAND_KEYS.clearSelection, false)).toBe('Esc');
    expect(ariaKeys(COMMAND_KEYS.copyPath, false)).toBe('Control+Shift+C');
    expect(ariaKeys(COMMAND_KEYS.saveTo, true)).toBe('Meta+S');
    expect(menuShortcut('refresh', false)).toEqual({ text: 'F5', aria: 'F5' });
  });

  it('every line of the sheet has its words in English and German', () => {
    const words = (strings: typeof en) => strings.shortcuts as Record<string, string>;
    for (const { group, lines } of SHEET) {
      for (const strings of [en, de]) {
        expect(typeof words(strings)[group]).toBe('string');
        for (const line of lines) expect(typeof words(strings)[line.what]).toBe('string');
      }
    }
  });
});
