/**
 * The Electron shell's composition root: single-instance lock, the app:// protocol, the services
 * (createApp), the IPC transport and the main window. Everything Electron-specific stays in this
 * file and main/shell/; services get it through the Platform interface.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, protocol, safeStorage, shell } from 'electron';
import { createApp } from './app';
import { holdQuitForDispose } from './services/shutdown';
import { registerElectronTransport } from './ipc/electron-transport';
import type { Platform } from './platform';
import { openStore } from './services/store';
import { createSafeStorageCipher } from './shell/cipher';
import { APP_ORIGIN, registerAppProtocol, SCHEME_PRIVILEGES } from './shell/protocol';
import { openExternalPage } from './shell/external';
import { electronStoreFactory } from './shell/store';
import { createMainWindow } from './shell/window';
import { endpointEnvironment, parseShellArgs } from './shell/args';
import { createShellDrag } from './shell/drag';

const args = parseShellArgs(process.argv);

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!mainWindow) return;
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
    const endpointEnv = endpointEnvironment(process.env, {
      packaged: app.isPackaged,
      allowCustomEndpoints: args.allowCustomEndpoints,
    });
    if (endpointEnv.ignored.length > 0)
      console.log(
        `endpoints: ignored ${endpointEnv.ignored.join(', ')} (a release build needs --allow-custom-endpoints)`,
      );

    const platform: Platform = {
      host: 'electron',
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
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      startDrag: createShellDrag(() => mainWindow),
      demoAvailable: true,
      trashItem: (path) => shell.trashItem(path),
      log: (line) => console.log(line),
    };

    const services = await createApp(platform, {
      isTrustedSender: (ctx) => ctx.transport === 'electron' && ctx.senderUrl.startsWith(appUrlPrefix),
    });
    registerElectronTransport(services.router, services.bus, () => BrowserWindow.getAllWindows());

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
    if (args.demo) void services.connections.startDemo().catch((e: unknown) => platform.log(`demo: ${String(e)}`));

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    // Quit waits (at most 3 s) for transfers to be saved and clients closed.
    holdQuitForDispose(app, () => services.dispose(), platform.log);
  });
}
