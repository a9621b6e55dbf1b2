/** The application menu: the pure template (en/de, accelerators, macOS or not) and its wiring, with `electron` mocked. */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { Menu } from 'electron';
import { createEventBus } from '../ipc/router';
import { installAppMenu, menuTemplate, shellMenuActions } from './menu';
import type { MenuState } from './menu';

const built: Array<{ items: MenuItemConstructorOptions[] }> = [];
vi.mock('electron', () => ({
  Menu: {
    buildFromTemplate: (items: unknown[]) => ({ items }),
    setApplicationMenu: (menu: { items: MenuItemConstructorOptions[] }) => void built.push(menu),
  },
}));

const mac: MenuState = { platform: 'darwin', production: true, appName: 'PowerOn Sources' };
const linux: MenuState = { platform: 'linux', production: true, appName: 'PowerOn Sources' };
const noActions = { command: () => undefined, openPage: () => undefined };

const sub = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role ?? '-');
/** Every item with a label, flattened: label → item. */
function byLabel(template: MenuItemConstructorOptions[]): Map<string, MenuItemConstructorOptions[]> {
  const map = new Map<string, MenuItemConstructorOptions[]>();
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.label) map.set(item.label, [...(map.get(item.label) ?? []), item]);
      walk(sub(item));
    }
  };
  walk(template);
  return map;
}

describe('menuTemplate', () => {
  it('macOS: the app menu first (About, Settings…, Services, Hide, Quit), then File, Edit, View, Window, Help', () => {
    const template = menuTemplate(mac, 'en', noActions);
    expect(labels(template)).toEqual(['PowerOn Sources', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(labels(sub(template[0]))).toEqual([
      'about',
      '-',
      'Settings…',
      '-',
      'services',
      '-',
      'hide',
      'hideOthers',
      'unhide',
      '-',
      'quit',
    ]);
    expect(labels(sub(template[1]))).toEqual(['Add connection…', '-', 'close']);
    expect(template[4]!.role).toBe('windowMenu');
  });

  it('Windows and Linux: no app menu; Settings… and Quit in File', () => {
    const template = menuTemplate(linux, 'en', noActions);
    expect(labels(template)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(labels(sub(template[0]))).toEqual(['Add connection…', 'Settings…', '-', 'quit']);
  });

  it('the accelerators of the page: Find Ctrl/Cmd+F, Refresh F5 and Ctrl/Cmd+R; registered on macOS only', () => {
    for (const state of [mac, linux]) {
      const items = byLabel(menuTemplate(state, 'en', noActions));
      expect(items.get('Find')!.map((i) => i.accelerator)).toEqual(['CmdOrCtrl+F']);
      expect(items.get('Refresh')!.map((i) => i.accelerator)).toEqual(['F5', 'CmdOrCtrl+R']);
      expect(items.get('Settings…')![0]!.accelerator).toBe('CmdOrCtrl+,');
      const pageKeys = [...items.get('Find')!, ...items.get('Refresh')!];
      const edit = sub(menuTemplate(state, 'en', noActions).find((i) => i.label === 'Edit'));
      expect(labels(edit)).toEqual(['undo', 'redo', '-', 'cut', 'copy', 'paste', 'selectAll', '-', 'Find']);
      const registered = state === mac ? undefined : false;
      for (const item of [...pageKeys, ...edit.filter((i) => i.role)])
        expect(item.registerAccelerator).toBe(registered);
    }
  });

  it('Help ▸ Keyboard shortcuts (F1) and View ▸ Show details (Alt+Enter): keys of the page, registered on macOS only (23.5)', () => {
    for (const state of [mac, linux]) {
      const items = byLabel(menuTemplate(state, 'en', noActions));
      const sheet = items.get('Keyboard shortcuts')![0]!;
      const details = items.get('Show details')![0]!;
      expect([sheet.accelerator, details.accelerator]).toEqual(['F1', 'Alt+Enter']);
      const registered = state === mac ? undefined : false;
      expect([sheet.registerAccelerator, details.registerAccelerator]).toEqual([registered, registered]);
      const help = sub(menuTemplate(state, 'en', noActions).find((i) => i.label === 'Help'));
      expect(labels(help)[0]).toBe('Keyboard shortcuts');
    }
    expect(byLabel(menuTemplate(linux, 'de', noActions)).has('Tastenkürzel')).toBe(true);
  });

  it('Reload and the developer tools only outside production; Reload never takes Refresh’s Ctrl/Cmd+R', () => {
    const view = (state: MenuState) => sub(menuTemplate(state, 'en', noActions).find((i) => i.label === 'View'));
    expect(view(linux).some((i) => i.role === 'reload' || i.role === 'toggleDevTools')).toBe(false);
    const dev = view({ ...linux, production: false });
    expect(dev.find((i) => i.role === 'reload')!.accelerator).toBe('CmdOrCtrl+Shift+R');
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('German labels for every menu and command (Swiss spelling, no ß)', () => {
    const template = menuTemplate(linux, 'de', noActions);
    expect(labels(template)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Fenster', 'Hilfe']);
    const all = [...byLabel(template).keys()];
    expect(all).toEqual(
      expect.arrayContaining([
        'Verbindung hinzufügen…',
        'Einstellungen…',
        'Suchen',
        'Aktualisieren',
        'Übertragungen zeigen',
      ]),
    );
    const english = [...byLabel(menuTemplate(linux, 'en', noActions)).keys()];
    expect(all.filter((l) => english.includes(l))).toEqual([]);
    expect(all.join(' ')).not.toContain('ß');
  });

  it('each command item runs its command; Help opens the known pages', () => {
    const actions = { command: vi.fn(), openPage: vi.fn() };
    const items = byLabel(menuTemplate(mac, 'en', actions));
    const click = (label: string, at = 0) => (items.get(label)![at]!.click as () => void)();
    click('Add connection…');
    click('Settings…');
    click('Find');
    click('Refresh');
    click('Refresh', 1);
    click('Show transfers');
    click('Show details');
    click('Keyboard shortcuts');
    click('Create a personal access token');
    click('Infomaniak API: getting started');
    expect(actions.command.mock.calls.map((c) => c[0])).toEqual([
      'addConnection',
      'settings',
      'find',
      'refresh',
      'refresh',
      'showTransfers',
      'showDetails',
      'shortcuts',
    ]);
    expect(actions.openPage.mock.calls.map((c) => c[0])).toEqual(['tokenPage', 'scopesHelp']);
  });
});

describe('installAppMenu (electron mocked)', () => {
  it('sets the menu, builds it again when the language changes, and sends commands to the renderer as app:command', () => {
    built.length = 0;
    const bus = createEventBus();
    const sent: unknown[] = [];
    bus.subscribe((event, payload) => sent.push([event, payload]));
    let language: 'en' | 'de' = 'en';
    let changed: () => void = () => undefined;
    const showWindow = vi.fn();
    installAppMenu({
      Menu,
      state: linux,
      language: () => language,
      actions: shellMenuActions(bus, () => undefined, showWindow),
      onSettingsChanged: (listener) => {
        changed = listener;
        return () => undefined;
      },
    });
    expect(labels(built[0]!.items)[0]).toBe('File');
    changed(); // settings changed, language did not: no rebuild
    expect(built).toHaveLength(1);
    language = 'de';
    changed();
    expect(built).toHaveLength(2);
    expect(labels(built[1]!.items)[0]).toBe('Datei');
    const find = byLabel(built[1]!.items).get('Suchen')![0]!;
    (find.click as () => void)();
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([['app:command', { command: 'find' }]]);
  });
});
