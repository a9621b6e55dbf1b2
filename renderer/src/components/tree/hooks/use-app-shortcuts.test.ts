import { describe, expect, it } from 'vitest';
import { shortcutCommand } from './use-app-shortcuts';

const key = (
  k: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
  target: EventTarget | null = null,
) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
  defaultPrevented: false,
  target,
});

describe('window-wide shortcuts', () => {
  it('Ctrl/Cmd+F finds, F5 and Ctrl/Cmd+R refresh, Esc clears the selection', () => {
    expect(shortcutCommand(key('f', { ctrl: true }), false)).toBe('find');
    expect(shortcutCommand(key('F', { meta: true }), false)).toBe('find');
    expect(shortcutCommand(key('F5'), false)).toBe('refresh');
    expect(shortcutCommand(key('r', { ctrl: true }), false)).toBe('refresh');
    expect(shortcutCommand(key('R', { meta: true, shift: true }), false)).toBe('refresh');
    expect(shortcutCommand(key('Escape'), false)).toBe('clearSelection');
  });

  it('leaves other keys, Esc in a text field or while a menu or dialog is open, and Alt combinations alone', () => {
    expect(shortcutCommand(key('f'), false)).toBeNull();
    expect(shortcutCommand(key('r'), false)).toBeNull();
    expect(shortcutCommand(key('f', { ctrl: true, alt: true }), false)).toBeNull();
    expect(shortcutCommand(key('Escape'), true)).toBeNull();
    expect(shortcutCommand(key('f', { ctrl: true }), true)).toBeNull();
    expect(shortcutCommand(key('Escape', {}, document.createElement('input')), false)).toBeNull();
    expect(shortcutCommand({ ...key('Escape'), defaultPrevented: true }, false)).toBeNull();
    // Refresh never reloads the page, not even with a dialog open.
    expect(shortcutCommand(key('F5'), true)).toBe('refresh');
  });

  it('F1 and ? open the Keyboard shortcuts sheet, Alt+Enter shows Details, Ctrl/Cmd+Shift+C copies the path (23.5)', () => {
    expect(shortcutCommand(key('F1'), false)).toBe('shortcuts');
    expect(shortcutCommand(key('F1', {}, document.createElement('input')), false)).toBe('shortcuts');
    expect(shortcutCommand(key('?', { shift: true }), false)).toBe('shortcuts');
    // Typed into a field, "?" is a character; with a dialog open, nothing.
    expect(shortcutCommand(key('?', { shift: true }, document.createElement('input')), false)).toBeNull();
    expect(shortcutCommand(key('F1'), true)).toBeNull();
    expect(shortcutCommand(key('Enter', { alt: true }), false)).toBe('showDetails');
    expect(shortcutCommand(key('Enter', { alt: true, ctrl: true }), false)).toBeNull();
    expect(shortcutCommand(key('C', { ctrl: true, shift: true }), false)).toBe('copyPath');
    expect(shortcutCommand(key('c', { meta: true, shift: true }), false)).toBe('copyPath');
    expect(shortcutCommand(key('C', { ctrl: true, shift: true }, document.createElement('input')), false)).toBeNull();
  });
});
