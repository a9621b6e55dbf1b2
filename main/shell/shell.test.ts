/**
 * The Electron shell, unit-tested with a mocked `electron` module: the real binary is never loaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../settings/store';

const created: Array<{ options: Record<string, unknown>; win: FakeWindow }> = [];

class FakeContents {
  handlers = new Map<string, (...args: unknown[]) => void>();
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  permissionRequest: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  permissionCheck: (() => boolean) | null = null;
  session = {
    setPermissionRequestHandler: (h: FakeContents['permissionRequest']) => (this.permissionRequest = h),
    setPermissionCheckHandler: (h: FakeContents['permissionCheck']) => (this.permissionCheck = h),
  };
  setWindowOpenHandler(h: FakeContents['windowOpenHandler']) {
    this.windowOpenHandler = h;
  }
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler);
  }
}

class FakeWindow {
  webContents = new FakeContents();
  events = new Map<string, () => void>();
  loaded: string | null = null;
  bounds = { x: 10, y: 20, width: 900, height: 700 };
  constructor(public options: Record<string, unknown>) {
    created.push({ options, win: this });
  }
  maximize = vi.fn();
  show = vi.fn();
  isDestroyed = () => false;
  isMaximized = () => false;
  getNormalBounds = () => this.bounds;
  once(event: string, h: () => void) {
    this.events.set(event, h);
  }
  on(event: string, h: () => void) {
    this.events.set(event, h);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: vi.fn() },
}));

beforeEach(() => {
  created.length = 0;
});

describe('createMainWindow', () => {
  it('creates the window with contextIsolation, sandbox and no nodeIntegration', async () => {
    const { createMainWindow } = await import('./window');
    createMainWindow({
      preload: '/p/index.cjs',
      url: 'app://renderer/index.html',
      appUrlPrefix: 'app://renderer/',
      store: memoryStore(),
      title: 'T',
    });
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/p/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(created[0]!.win.loaded).toBe('app://renderer/index.html');
  });

  it('denies new windows, blocks navigation away from the app and denies permission requests', async () => {
    const { createMainWindow } = await import('./window');
    createMainWindow({
      preload: '/p',
      url: 'app://renderer/index.html',
      appUrlPrefix: 'app://renderer/',
      store: memoryStore(),
      title: 'T',
    });
    const contents = created[0]!.win.webContents;
    expect(contents.windowOpenHandler!({ url: 'https://manager.infomaniak.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    const navigate = contents.handlers.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    navigate(inside, 'app://renderer/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();

    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      contents.permissionRequest!(contents, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(contents.permissionCheck!()).toBe(false);
  });

  it('remembers size and position, and ignores saved bounds that are off every screen', async () => {
    const { createMainWindow, restoreBounds } = await import('./window');
    const store = memoryStore();
    createMainWindow({ preload: '/p', url: 'app://renderer/', appUrlPrefix: 'app://renderer/', store, title: 'T' });
    created[0]!.win.bounds = { x: 100, y: 50, width: 1000, height: 640 };
    created[0]!.win.events.get('close')!();
    expect(store.get('window')).toEqual({ x: 100, y: 50, width: 1000, height: 640, maximized: false });
    createMainWindow({ preload: '/p', url: 'app://renderer/', appUrlPrefix: 'app://renderer/', store, title: 'T' });
    expect(created[1]!.options).toMatchObject({ x: 100, y: 50, width: 1000, height: 640 });

    store.set('window', { x: 5000, y: 5000, width: 800, height: 600 });
    expect(restoreBounds(store)).toEqual({ width: 800, height: 600 });
    store.set('window', 'garbage');
    expect(restoreBounds(store)).toEqual({ width: 1200, height: 800 });
  });
});

describe('app:// protocol', () => {
  it('maps app://renderer/ URLs into the renderer folder only', async () => {
    const { resolveAppFile } = await import('./protocol');
    const root = '/opt/app/out/renderer';
    expect(resolveAppFile(root, 'app://renderer/')).toBe('/opt/app/out/renderer/index.html');
    expect(resolveAppFile(root, 'app://renderer/assets/a.js')).toBe('/opt/app/out/renderer/assets/a.js');
    // The URL parser drops dot segments, so these stay inside the folder…
    expect(resolveAppFile(root, 'app://renderer/../main/index.js')).toBe('/opt/app/out/renderer/main/index.js');
    expect(resolveAppFile(root, 'app://renderer/%2e%2e/main/index.js')).toBe('/opt/app/out/renderer/main/index.js');
    // …and encoded slashes that would climb out after decoding are refused.
    expect(resolveAppFile(root, 'app://renderer/..%2f..%2fmain%2findex.js')).toBeNull();
    expect(resolveAppFile(root, 'app://renderer/%2e%2e%2f%2e%2e%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull();
  });

  it('serves files with the CSP header', async () => {
    const { registerAppProtocol } = await import('./protocol');
    const dir = mkdtempSync(join(tmpdir(), 'proto-'));
    writeFileSync(join(dir, 'index.html'), '<html></html>');
    let handler: ((r: Request) => Promise<Response>) | null = null;
    registerAppProtocol({ handle: (_s: string, h: typeof handler) => (handler = h) } as never, dir);
    const ok = await handler!(new Request('app://renderer/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler!(new Request('app://renderer/missing.js'))).status).toBe(404);
    expect((await handler!(new Request('app://renderer/..%2f..%2f..%2fetc%2fpasswd'))).status).toBe(403);
    expect((await handler!(new Request('app://renderer/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
  });
});

describe('command-line flags', () => {
  it('reads --demo, --lang and --downloads-dir', async () => {
    const { parseShellArgs } = await import('./args');
    expect(parseShellArgs(['electron', '.', '--demo', '--lang=de', '--downloads-dir', '/tmp/d'])).toEqual({
      demo: true,
      lang: 'de',
      downloadsDir: '/tmp/d',
      allowCustomEndpoints: false,
      syncNow: false,
      verbose: false,
    });
    expect(parseShellArgs(['electron', '.', '--lang', 'fr'])).toEqual({
      demo: false,
      lang: null,
      downloadsDir: null,
      allowCustomEndpoints: false,
      syncNow: false,
      verbose: false,
    });
    expect(parseShellArgs(['electron', '.', '--allow-custom-endpoints']).allowCustomEndpoints).toBe(true);
    expect(parseShellArgs(['electron', '.', '--sync-now']).syncNow).toBe(true);
    expect(parseShellArgs(['electron', '.', '--sync-now', '--verbose']).verbose).toBe(true);
  });

  it('a packaged build ignores INFOMANIAK_*_URL unless started with --allow-custom-endpoints (issue 8.14)', async () => {
    const { endpointEnvironment } = await import('./args');
    const env = {
      INFOMANIAK_API_URL: 'http://127.0.0.1:9',
      INFOMANIAK_MAIL_URL: 'http://127.0.0.1:10',
      NODE_EXTRA_CA_CERTS: '/x.pem',
      HOME: '/home/a',
    };
    expect(endpointEnvironment(env, { packaged: true, allowCustomEndpoints: false })).toEqual({
      env: { NODE_EXTRA_CA_CERTS: '/x.pem', HOME: '/home/a' },
      ignored: ['INFOMANIAK_API_URL', 'INFOMANIAK_MAIL_URL'],
    });
    expect(endpointEnvironment(env, { packaged: true, allowCustomEndpoints: true })).toEqual({ env, ignored: [] });
    expect(endpointEnvironment(env, { packaged: false, allowCustomEndpoints: false })).toEqual({ env, ignored: [] });
  });
});
