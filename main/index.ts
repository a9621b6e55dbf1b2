/**
 * The Electron shell's composition root: single-instance lock, the app:// protocol, the services
 * (createApp), the IPC transport and the main window. Everything Electron-specific stays in this
 * file and main/shell/; services get it through the Platform interface.
 */
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, Menu, protocol, safeStorage, session, shell } from 'electron';
import { createApp } from './app';
import type { App } from './app';
import { installLastResort } from './last-resort';
import { disposeWithin, holdQuitForDispose, SHUTDOWN_WAIT_MS } from './shutdown';
import { registerElectronTransport } from './ipc/electron-transport';
import type { Platform } from './platform';
import { openStore } from './settings/store';
import { createSafeStorageCipher } from './shell/cipher';
import { APP_ORIGIN, registerAppProtocol, SCHEME_PRIVILEGES } from './shell/protocol';
import { openExternalPage, openWebAppUrl } from './shell/external';
import { installAppMenu, shellMenuActions } from './shell/menu';
import { electronStoreFactory } from './shell/store';
import { createMainWindow } from './shell/window';
import { endpointEnvironment, parseShellArgs } from './shell/args';
import { createShellDrag } from './shell/drag';
import { createOpenConfirm } from './shell/open-confirm';
import { createSyncTray } from './shell/tray';
import { keepInTrayOnClose } from './sync/tray-menu';
import { SYNC_NOW_LOG, syncNowHeadless, syncNowLog } from './sync/sync-now';

const args = parseShellArgs(process.argv);

// An error nothing caught is logged (scrubbed), fails its job, and the app keeps running (issue 25.1).
let running: App | null = null;
// --sync-now keeps stdout for its one line: its log goes to a file (and stderr with --verbose).
const consoleLog = (line: string): void => (args.syncNow ? console.error(line) : console.log(line));
installLastResort(process, {
  log: consoleLog,
  redact: (text) => running?.secrets.redact(text) ?? text,
});

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

/** The Electron shell's Platform (services see Electron only through it). */
function electronPlatform(dataDir: string, window: () => BrowserWindow | null): Platform {
  const endpointEnv = endpointEnvironment(process.env, {
    packaged: app.isPackaged,
    allowCustomEndpoints: args.allowCustomEndpoints,
  });
  if (endpointEnv.ignored.length > 0)
    consoleLog(`endpoints: ignored ${endpointEnv.ignored.join(', ')} (a release build needs --allow-custom-endpoints)`);

  return {
    host: 'electron',
    capabilities: { openOnMachine: true, chooseFolder: true, tray: true },
    version: app.getVersion(),
    platform: process.platform,
    dataDir,
    downloadsDir: args.downloadsDir ?? app.getPath('downloads'),
    systemLanguage: app.getLocale(),
    languageOverride: args.lang,
    env: endpointEnv.env,
    storeFactory: electronStoreFactory,
    cipher: createSafeStorageCipher(safeStorage, process.platform),
    shell: {
      openPath: async (path) => {
        const error = await shell.openPath(path);
        if (error) throw new Error(error);
      },
      showItemInFolder: async (path) => shell.showItemInFolder(path),
      // Fixed literal URLs only (shell/external.ts): nothing the renderer sends can become a URL here.
      openPage: (page) => openExternalPage(shell, page),
    },
    chooseDirectory: async () => {
      const options = {
        properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
      };
      const current = window();
      const result = current ? await dialog.showOpenDialog(current, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    confirmOpen: createOpenConfirm(window),
    startDrag: createShellDrag(window),
    openWebApp: (url) => openWebAppUrl(shell, url),
    copyText: (text) => clipboard.writeText(text),
    demoAvailable: true,
    trashItem: (path) => shell.trashItem(path),
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    log: args.syncNow
      ? syncNowLog(join(dataDir, SYNC_NOW_LOG), args.verbose ? (line) => console.error(line) : undefined)
      : (line) => console.log(line),
  };
}

/** The application menu, in the app's language; its commands go to the renderer through the bus. */
function setAppMenu(services: App, showWindow: () => void): void {
  installAppMenu({
    Menu,
    state: { platform: process.platform, production: app.isPackaged, appName: 'PowerOn Sources' },
    language: services.language,
    actions: shellMenuActions(services.bus, (page) => void openExternalPage(shell, page), showWindow),
    onSettingsChanged: (listener) =>
      services.bus.subscribe((event) => {
        if (event === 'settings:changed') listener();
      }),
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let startSync: (() => void) | null = null;
  let showWindow: (() => void) | null = null;
  app.on('second-instance', (_event, argv) => {
    // `poweron-sources --sync-now` while the app runs: the second launch only forwards the request.
    if (parseShellArgs(argv).syncNow && startSync) {
      startSync();
      return;
    }
    if (!mainWindow) {
      // The app lives on in the tray with no window: a second launch opens it again.
      showWindow?.();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(async () => {
    const rendererDir = join(import.meta.dirname, '../renderer');
    registerAppProtocol(protocol, rendererDir);
    const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
    const appUrlPrefix = devUrl ? new URL(devUrl).origin + '/' : `${APP_ORIGIN}/`;
    const dataDir = app.getPath('userData');
    const platform = electronPlatform(dataDir, () => mainWindow);

    const services = await createApp(platform, {
      isTrustedSender: (ctx) => ctx.transport === 'electron' && ctx.senderUrl.startsWith(appUrlPrefix),
    });
    running = services;
    registerElectronTransport(services.router, services.bus, () => BrowserWindow.getAllWindows());
    if (args.syncNow) {
      // No other instance was running: sync headless, print one line, exit 0/1/2 (for cron).
      const code = await syncNowHeadless(services.sync, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
      await disposeWithin(() => services.dispose(), SHUTDOWN_WAIT_MS, platform.log);
      app.exit(code);
      return;
    }
    startSync = () => void services.sync.start();
    services.sync.startSchedule();

    const windowStore = openStore(electronStoreFactory, { cwd: dataDir, name: 'window' }, () => {});
    const open = () => {
      mainWindow = createMainWindow({
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        url: devUrl ?? `${APP_ORIGIN}/index.html`,
        appUrlPrefix,
        store: windowStore,
        title: 'PowerOn Sources',
      });
      mainWindow.on('closed', () => (mainWindow = null));
    };
    open();
    showWindow = () => {
      if (!mainWindow) open();
      mainWindow?.show();
      mainWindow?.focus();
    };
    const tray = createSyncTray({
      sync: services.sync,
      subscribe: (listener) =>
        services.bus.subscribe((event, payload) => {
          if (event === 'sync:changed') listener(payload as Parameters<typeof listener>[0]);
        }),
      // The tray follows the app's language setting: it is drawn again when settings change.
      onSettingsChanged: (listener) =>
        services.bus.subscribe((event) => {
          if (event === 'settings:changed') listener();
        }),
      language: services.language,
      showWindow,
      quit: () => app.quit(),
      notify: () => services.settings().syncNotify,
      log: platform.log,
    });
    app.on('before-quit', () => tray?.dispose());
    setAppMenu(services, () => showWindow?.());
    if (args.demo) void services.connections.startDemo().catch((e: unknown) => platform.log(`demo: ${String(e)}`));

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
    app.on('window-all-closed', () => {
      // With sync pairs, a tray and the setting on, closing the window leaves the app in the tray.
      const pairs = services.sync.list().length;
      if (keepInTrayOnClose({ setting: services.settings().syncKeepInTray, hasTray: tray !== null, pairs })) return;
      if (process.platform !== 'darwin') app.quit();
    });
    // Quit waits (at most 3 s) for transfers to be saved and clients closed.
    holdQuitForDispose(app, () => services.dispose(), platform.log);
  });
}
