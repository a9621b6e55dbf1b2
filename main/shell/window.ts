/**
 * The main window: contextIsolation, sandbox, no nodeIntegration; new windows denied, navigation
 * blocked, permission requests denied; size and position remembered.
 */
import { BrowserWindow, screen } from 'electron';
import type { Session, WebContents } from 'electron';
import { z } from 'zod';
import type { KeyValueStore } from '../settings/store';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

const DEFAULT_BOUNDS: WindowBounds = { width: 1200, height: 800 };

/** Locks a webContents down: no new windows, no navigation away from the app. */
export function hardenContents(contents: WebContents, appUrlPrefix: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(appUrlPrefix)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(appUrlPrefix)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every permission request (camera, notifications, geolocation…); the app needs none. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The bounds as stored (a value of another shape is ignored: the window opens at the default size). */
const savedBoundsSchema = z.object({
  x: z.number().finite().optional(),
  y: z.number().finite().optional(),
  width: z.number().finite(),
  height: z.number().finite(),
  maximized: z.boolean().optional(),
});

/** Saved bounds, kept only when they still fit on a connected display. */
export function restoreBounds(store: KeyValueStore): WindowBounds {
  const read = savedBoundsSchema.safeParse(store.get('window'));
  if (!read.success) return DEFAULT_BOUNDS;
  const saved = read.data;
  const bounds = { ...saved, width: Math.max(640, saved.width), height: Math.max(480, saved.height) };
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const visible = screen.getAllDisplays().some(({ workArea: a }) => {
    const x = bounds.x as number;
    const y = bounds.y as number;
    return x < a.x + a.width && x + bounds.width > a.x && y < a.y + a.height && y + bounds.height > a.y;
  });
  return visible ? bounds : { width: bounds.width, height: bounds.height };
}

export function createMainWindow(options: {
  preload: string;
  url: string;
  appUrlPrefix: string;
  store: KeyValueStore;
  title: string;
}): BrowserWindow {
  const bounds = restoreBounds(options.store);
  const win = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 640,
    minHeight: 480,
    title: options.title,
    show: false,
    backgroundColor: '#ffffff',
    // Written out here, literally, so reviewers and Electronegativity see every flag where the window is made.
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  if (bounds.maximized) win.maximize();
  hardenContents(win.webContents, options.appUrlPrefix);
  hardenSession(win.webContents.session);
  win.once('ready-to-show', () => win.show());
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    options.store.set('window', { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);
  void win.loadURL(options.url);
  return win;
}
