/** The tray with a mocked `electron` module: the real binary is never loaded. */
import { inflateSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncPairStatus } from '../../shared/model/sync';
import { EMPTY_COUNTS } from '../../shared/model/sync';

const trays: FakeTray[] = [];
const notifications: Array<{ title: string; body: string }> = [];
let trayFails = false;

class FakeTray {
  menu: Array<{ label?: string; click?: () => void; submenu?: unknown[] }> = [];
  tooltip = '';
  images = 0;
  destroyed = false;
  constructor() {
    if (trayFails) throw new Error('no tray on this desktop');
    trays.push(this);
  }
  setContextMenu(menu: { items: FakeTray['menu'] }) {
    this.menu = menu.items;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setImage() {
    this.images++;
  }
  destroy() {
    this.destroyed = true;
  }
}

vi.mock('electron', () => ({
  Tray: FakeTray,
  Menu: { buildFromTemplate: (items: unknown[]) => ({ items }) },
  nativeImage: { createFromBuffer: (b: Buffer) => ({ b }) },
  Notification: class {
    static isSupported = () => true;
    constructor(private n: { title: string; body: string }) {}
    show() {
      notifications.push(this.n);
    }
  },
}));

const { createSyncTray, trayIconPng } = await import('./tray');

function pair(patch: Partial<SyncPairStatus> = {}): SyncPairStatus {
  return {
    pair: {
      id: 'p1',
      connectionId: 'c',
      nodeId: 'conn:c/kdrive/drive:1',
      kind: 'kdrive',
      layout: 'tree',
      name: 'Drive',
      localPath: '/tmp/d',
      ignoreLocalDeletes: false,
      paused: false,
      createdAt: 0,
    },
    state: 'idle',
    progress: null,
    lastRun: null,
    nextRunAt: null,
    held: null,
    error: null,
    ...patch,
  };
}

beforeEach(() => {
  trays.length = 0;
  notifications.length = 0;
  trayFails = false;
});

describe('sync tray', () => {
  it('menu clicks call the sync service; state changes update icon, tooltip and notify on conflicts', () => {
    let listener: (p: SyncPairStatus[]) => void = () => undefined;
    const sync = {
      list: () => [pair()],
      start: vi.fn(() => []),
      pause: vi.fn(async () => undefined),
      openFolder: vi.fn(async () => undefined),
      decide: vi.fn(async () => undefined),
    };
    const quit = vi.fn();
    const tray = createSyncTray({
      sync,
      subscribe: (l) => ((listener = l), () => undefined),
      language: () => 'en',
      showWindow: vi.fn(),
      quit,
      log: () => undefined,
    })!;
    const fake = trays[0]!;
    expect(fake.menu[0]!.label).toBe('Sync now');
    fake.menu[0]!.click!();
    expect(sync.start).toHaveBeenCalledWith();
    fake.menu.at(-1)!.click!();
    expect(quit).toHaveBeenCalled();

    listener([pair({ state: 'syncing', progress: { phase: 'applying', filesDone: 1, filesTotal: 4, bytesDone: 0 } })]);
    expect(fake.tooltip).toBe('PowerOn Sources — syncing: 1 of 4 files');
    expect(fake.images).toBe(1);
    const lastRun = {
      startedAt: 1,
      finishedAt: 2,
      ok: true,
      counts: { ...EMPTY_COUNTS, conflicts: 1 },
      via: 'listing' as const,
      requests: 2,
    };
    listener([pair({ lastRun })]);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.title).toBe('Sync: Drive');
    listener([pair({ lastRun })]);
    expect(notifications).toHaveLength(1);
    // A held run's question: its answers are in the pair's submenu and reach QuickSync.decide.
    listener([pair({ state: 'attention', held: { reason: 'mass', count: 60, total: 100 } })]);
    const answers = fake.menu[2]!.submenu as Array<{ label: string; click: () => void }>;
    expect(answers[1]!.label).toBe('Keep them and pause the pair');
    answers[1]!.click();
    expect(sync.decide).toHaveBeenCalledWith('p1', 'keep');
    tray.dispose();
    expect(fake.destroyed).toBe(true);
  });

  it('the notification setting off: a run with conflicts shows no notification; the menu follows the language given', () => {
    let listener: (p: SyncPairStatus[]) => void = () => undefined;
    let notify = false;
    let language: 'en' | 'de' = 'de';
    const tray = createSyncTray({
      sync: {
        list: () => [pair()],
        start: () => [],
        pause: async () => undefined,
        openFolder: async () => undefined,
        decide: async () => undefined,
      },
      subscribe: (l) => ((listener = l), () => undefined),
      language: () => language,
      showWindow: () => undefined,
      quit: () => undefined,
      notify: () => notify,
      log: () => undefined,
    })!;
    expect(trays[0]!.menu[0]!.label).toBe('Jetzt synchronisieren');
    const run = (finishedAt: number) => ({
      startedAt: 1,
      finishedAt,
      ok: false,
      counts: { ...EMPTY_COUNTS, conflicts: 2 },
      via: 'listing' as const,
      requests: 2,
    });
    listener([pair({ lastRun: run(2) })]);
    expect(notifications).toHaveLength(0);
    notify = true;
    language = 'en';
    listener([pair({ lastRun: run(3) })]);
    expect(notifications).toHaveLength(1);
    expect(trays[0]!.menu[0]!.label).toBe('Sync now');
    tray.dispose();
  });

  it('a language change in Settings redraws the menu and tooltip at once, without a sync event', () => {
    let settingsChanged: () => void = () => undefined;
    let unsubscribed = 0;
    let language: 'en' | 'de' = 'en';
    const syncing = pair({
      state: 'syncing',
      progress: { phase: 'applying', filesDone: 1, filesTotal: 4, bytesDone: 0 },
    });
    const tray = createSyncTray({
      sync: {
        list: () => [syncing],
        start: () => [],
        pause: async () => undefined,
        openFolder: async () => undefined,
        decide: async () => undefined,
      },
      subscribe: () => () => undefined,
      onSettingsChanged: (l) => ((settingsChanged = l), () => unsubscribed++),
      language: () => language,
      showWindow: () => undefined,
      quit: () => undefined,
      log: () => undefined,
    })!;
    const fake = trays[0]!;
    expect(fake.menu[0]!.label).toBe('Sync now');
    expect(fake.tooltip).toBe('PowerOn Sources — syncing: 1 of 4 files');
    language = 'de';
    settingsChanged();
    expect(fake.menu[0]!.label).toBe('Jetzt synchronisieren');
    expect(fake.menu.at(-1)!.label).not.toBe('Quit');
    expect(fake.tooltip).not.toBe('PowerOn Sources — syncing: 1 of 4 files');
    expect(fake.tooltip).toContain('synchronisiert');
    language = 'en';
    settingsChanged();
    expect(fake.menu[0]!.label).toBe('Sync now');
    expect(fake.menu.at(-1)!.label).toBe('Quit');
    tray.dispose();
    expect(unsubscribed).toBe(1);
  });

  it('no tray on this desktop: null, and the window keeps the actions', () => {
    trayFails = true;
    const log = vi.fn();
    const tray = createSyncTray({
      sync: {
        list: () => [],
        start: () => [],
        pause: async () => undefined,
        openFolder: async () => undefined,
        decide: async () => undefined,
      },
      subscribe: () => () => undefined,
      language: () => 'en',
      showWindow: () => undefined,
      quit: () => undefined,
      log,
    });
    expect(tray).toBeNull();
    expect(log.mock.calls[0]![0]).toContain('tray: not available');
  });

  it('icons are real PNGs', () => {
    const png = trayIconPng('attention');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const idat = png.indexOf('IDAT');
    const length = png.readUInt32BE(idat - 4);
    expect(inflateSync(png.subarray(idat + 4, idat + 4 + length))).toHaveLength(16 * (1 + 16 * 4));
  });
});
