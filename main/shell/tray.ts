/**
 * The tray (Electron shell): an icon with idle, syncing and attention states, a tooltip with
 * progress, and a menu built by the pure `trayMenu()` (main/sync/tray-menu.ts) from the sync
 * state; a desktop notification when a run ends with errors or conflicts. Where the desktop has
 * no tray, creating it fails quietly and the same actions stay in the window's Sync view.
 */
import { deflateSync } from 'node:zlib';
import { Menu, Notification, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { SyncPairStatus } from '../../shared/model/sync';
import { runNotice, trayIconState, trayMenu, trayTooltip } from '../sync/tray-menu';
import type { TrayAction, TrayIconState, TrayItem } from '../sync/tray-menu';

export interface TrayDeps {
  sync: {
    list(): SyncPairStatus[];
    start(ids?: string[]): string[];
    pause(id: string, paused: boolean): Promise<void>;
    openFolder(id: string): Promise<void>;
    /** The answer to a held run's question (main/sync/guard.ts). */
    decide(id: string, choice: 'confirm' | 'keep'): Promise<void>;
  };
  /** Calls the listener with every `sync:changed`; returns the unsubscribe function. */
  subscribe(listener: (pairs: SyncPairStatus[]) => void): () => void;
  /** Calls the listener when the settings change (the language may have): the tray is drawn again. */
  onSettingsChanged?: (listener: () => void) => () => void;
  language(): 'en' | 'de';
  showWindow(): void;
  quit(): void;
  /** Desktop notifications after runs with errors or conflicts. Default true. */
  notify?: () => boolean;
  log: (line: string) => void;
  now?: () => number;
}

const COLORS: Record<TrayIconState, [number, number, number]> = {
  idle: [0x2b, 0x6c, 0xb0],
  syncing: [0x2e, 0x9e, 0x5b],
  attention: [0xd9, 0x7a, 0x00],
};

function crc32(data: Buffer): number {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 16×16 PNG: a filled circle in the state's colour (drawn here, so no icon files are needed). */
export function trayIconPng(state: TrayIconState, size = 16): Buffer {
  const [r, g, b] = COLORS[state];
  const rows: Buffer[] = [];
  const mid = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const inside = (x - mid) ** 2 + (y - mid) ** 2 <= (size / 2 - 1) ** 2;
      row.set([r, g, b, inside ? 255 : 0], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function toElectron(items: TrayItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    if (item.type === 'separator') return { type: 'separator' };
    const out: MenuItemConstructorOptions = { label: item.label ?? '', enabled: item.enabled ?? true };
    if (item.submenu) out.submenu = toElectron(item.submenu, run);
    if (item.action) {
      const action = item.action;
      out.click = () => run(action);
    }
    return out;
  });
}

export interface SyncTray {
  update(pairs: SyncPairStatus[]): void;
  dispose(): void;
}

/** Creates the tray, or returns null where the desktop has none. */
export function createSyncTray(deps: TrayDeps): SyncTray | null {
  let tray: Tray;
  try {
    tray = new Tray(nativeImage.createFromBuffer(trayIconPng('idle')));
  } catch (error) {
    deps.log(
      `tray: not available (${error instanceof Error ? error.message : String(error)}); sync stays in the window`,
    );
    return null;
  }
  const seen = new Map<string, number>();
  let icon: TrayIconState = 'idle';
  const run = (action: TrayAction): void => {
    const fail = (e: unknown) => deps.log(`tray: ${action.kind} failed: ${String(e)}`);
    if (action.kind === 'syncAll') deps.sync.start();
    else if (action.kind === 'syncPair') deps.sync.start([action.id]);
    else if (action.kind === 'pause') void deps.sync.pause(action.id, action.paused).catch(fail);
    else if (action.kind === 'openFolder') void deps.sync.openFolder(action.id).catch(fail);
    else if (action.kind === 'decide') void deps.sync.decide(action.id, action.choice).catch(fail);
    else if (action.kind === 'show') deps.showWindow();
    else deps.quit();
  };
  const update = (pairs: SyncPairStatus[]): void => {
    const language = deps.language();
    const now = deps.now?.() ?? Date.now();
    tray.setContextMenu(Menu.buildFromTemplate(toElectron(trayMenu(pairs, now, language), run)));
    tray.setToolTip(trayTooltip(pairs, language));
    const next = trayIconState(pairs);
    if (next !== icon) {
      icon = next;
      tray.setImage(nativeImage.createFromBuffer(trayIconPng(next)));
    }
    for (const p of pairs) {
      const finished = p.lastRun?.finishedAt ?? 0;
      const before = seen.get(p.pair.id);
      seen.set(p.pair.id, finished);
      if (before === undefined || finished === before) continue;
      const notice = runNotice(p, language);
      if (notice && (deps.notify?.() ?? true) && Notification.isSupported()) new Notification(notice).show();
    }
  };
  const off = deps.subscribe(update);
  const offSettings = deps.onSettingsChanged?.(() => update(deps.sync.list()));
  update(deps.sync.list());
  return {
    update,
    dispose() {
      off();
      offSettings?.();
      tray.destroy();
    },
  };
}
