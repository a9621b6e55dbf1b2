/**
 * The Electron application menu. `menuTemplate` is pure: the template for a state (platform,
 * production or development) and a language, with the app's accelerators; its commands go out
 * through `actions` (the shell sends them to the renderer as the `app:command` event, through the
 * IPC layer). `installAppMenu` sets it and builds it again when the language changes.
 *
 * Keys: the page handles Ctrl/Cmd+F, F5, Ctrl/Cmd+R, Alt+Enter, F1 and the edit keys itself (the browser host has
 * no menu). On macOS the page sees a key before the menu, so a key the page handled never runs the
 * menu item twice; on Windows and Linux such items are shown with their accelerator but not
 * registered (`registerAccelerator: false`), so the menu never takes them from the page.
 * macOS needs the app menu first (About, Settings…, Services, Hide, Quit) and the Edit menu for
 * copy and paste to work at all.
 */
import type { Menu as ElectronMenu, MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/model/commands';
import type { ExternalPage } from '../../shared/model/external-pages';
import type { EventBus } from '../ipc/router';

export interface MenuState {
  platform: string;
  /** Packaged app: no Reload, no developer tools. */
  production: boolean;
  appName: string;
}

export interface MenuActions {
  command(command: AppCommand): void;
  openPage(page: ExternalPage): void;
}

const EN = {
  file: 'File',
  addConnection: 'Add connection…',
  settings: 'Settings…',
  edit: 'Edit',
  find: 'Find',
  view: 'View',
  refresh: 'Refresh',
  showTransfers: 'Show transfers',
  showDetails: 'Show details',
  reload: 'Reload window',
  window: 'Window',
  help: 'Help',
  shortcuts: 'Keyboard shortcuts',
  tokenPage: 'Create a personal access token',
  scopesHelp: 'Infomaniak API: getting started',
};

export type MenuLabels = Record<keyof typeof EN, string>;

const LABELS: Record<'en' | 'de', MenuLabels> = {
  en: EN,
  de: {
    file: 'Datei',
    addConnection: 'Verbindung hinzufügen…',
    settings: 'Einstellungen…',
    edit: 'Bearbeiten',
    find: 'Suchen',
    view: 'Ansicht',
    refresh: 'Aktualisieren',
    showTransfers: 'Übertragungen zeigen',
    showDetails: 'Details anzeigen',
    reload: 'Fenster neu laden',
    window: 'Fenster',
    help: 'Hilfe',
    shortcuts: 'Tastenkürzel',
    tokenPage: 'Persönliches Zugriffstoken erstellen',
    scopesHelp: 'Infomaniak API: Erste Schritte',
  },
};

export function menuLabels(language: 'en' | 'de'): MenuLabels {
  return LABELS[language];
}

export function menuTemplate(
  state: MenuState,
  language: 'en' | 'de',
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const l = LABELS[language];
  const mac = state.platform === 'darwin';
  /** Keys the page handles itself: shown, registered only on macOS (see the file comment). */
  const pageKey = mac ? {} : { registerAccelerator: false };
  const run = (command: AppCommand) => () => actions.command(command);
  const settings: MenuItemConstructorOptions = {
    label: l.settings,
    accelerator: 'CmdOrCtrl+,',
    click: run('settings'),
  };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: state.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            settings,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: l.file,
    submenu: [
      { label: l.addConnection, accelerator: 'CmdOrCtrl+N', click: run('addConnection') },
      ...(mac
        ? [{ type: 'separator' as const }, { role: 'close' as const }]
        : [settings, { type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  return [
    ...appMenu,
    file,
    editMenu(l, pageKey, run),
    viewMenu(l, state, pageKey, run),
    windowMenu(l, mac),
    helpMenu(l, actions, pageKey, run),
  ];
}

type Run = (command: AppCommand) => () => void;
type PageKey = { registerAccelerator?: boolean };

function editMenu(l: MenuLabels, pageKey: PageKey, run: Run): MenuItemConstructorOptions {
  const roles = ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const;
  const items: MenuItemConstructorOptions[] = roles.map((role) => ({ role, ...pageKey }));
  items.splice(2, 0, { type: 'separator' });
  return {
    label: l.edit,
    submenu: [
      ...items,
      { type: 'separator' },
      { label: l.find, accelerator: 'CmdOrCtrl+F', click: run('find'), ...pageKey },
    ],
  };
}

function viewMenu(l: MenuLabels, state: MenuState, pageKey: PageKey, run: Run): MenuItemConstructorOptions {
  const dev: MenuItemConstructorOptions[] = state.production
    ? []
    : [
        { type: 'separator' },
        { label: l.reload, role: 'reload', accelerator: 'CmdOrCtrl+Shift+R' },
        { role: 'toggleDevTools' },
      ];
  return {
    label: l.view,
    submenu: [
      { label: l.refresh, accelerator: 'F5', click: run('refresh'), ...pageKey },
      // The second key of Refresh: hidden (an item has one accelerator), still working on macOS.
      { label: l.refresh, accelerator: 'CmdOrCtrl+R', click: run('refresh'), visible: false, ...pageKey },
      { type: 'separator' },
      { label: l.showTransfers, click: run('showTransfers') },
      { label: l.showDetails, accelerator: 'Alt+Enter', click: run('showDetails'), ...pageKey },
      ...dev,
    ],
  };
}

function windowMenu(l: MenuLabels, mac: boolean): MenuItemConstructorOptions {
  return mac
    ? { label: l.window, role: 'windowMenu' }
    : { label: l.window, submenu: [{ role: 'minimize' }, { role: 'togglefullscreen' }] };
}

function helpMenu(l: MenuLabels, actions: MenuActions, pageKey: PageKey, run: Run): MenuItemConstructorOptions {
  return {
    label: l.help,
    role: 'help',
    submenu: [
      { label: l.shortcuts, accelerator: 'F1', click: run('shortcuts'), ...pageKey },
      { type: 'separator' },
      { label: l.tokenPage, click: () => actions.openPage('tokenPage') },
      { label: l.scopesHelp, click: () => actions.openPage('scopesHelp') },
    ],
  };
}

/**
 * The menu's actions in the shell: a command shows the window and goes to the renderer as the
 * `app:command` event (the IPC layer delivers it); a help page opens in the browser.
 */
export function shellMenuActions(
  bus: Pick<EventBus, 'emit'>,
  openPage: (page: ExternalPage) => void,
  showWindow: () => void,
): MenuActions {
  return {
    command(command) {
      showWindow();
      bus.emit('app:command', { command });
    },
    openPage,
  };
}

export interface AppMenuDeps {
  Menu: Pick<typeof ElectronMenu, 'buildFromTemplate' | 'setApplicationMenu'>;
  state: MenuState;
  language(): 'en' | 'de';
  actions: MenuActions;
  /** Calls back on every settings change (the language may have changed); returns the unsubscribe. */
  onSettingsChanged(listener: () => void): () => void;
}

/** Sets the application menu and builds it again when the language changes. Returns the unsubscribe. */
export function installAppMenu(deps: AppMenuDeps): () => void {
  let language: 'en' | 'de' | null = null;
  const apply = () => {
    const now = deps.language();
    if (now === language) return;
    language = now;
    deps.Menu.setApplicationMenu(deps.Menu.buildFromTemplate(menuTemplate(deps.state, now, deps.actions)));
  };
  apply();
  return deps.onSettingsChanged(apply);
}
