import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncPairStatus } from '../../shared/model/sync';
import {
  heldQuestion,
  keepInTrayOnClose,
  pairLine,
  runNotice,
  trayIconState,
  trayMenu,
  trayTooltip,
} from './tray-menu';

const NOW = Date.parse('2026-11-29T12:00:00Z');

function status(id: string, patch: Partial<SyncPairStatus> = {}, paused = false): SyncPairStatus {
  return {
    pair: {
      id,
      connectionId: 'c',
      nodeId: `conn:c/kdrive/drive:1/f:${id}`,
      kind: 'kdrive',
      layout: 'tree',
      name: `Folder ${id}`,
      localPath: `/tmp/${id}`,
      ignoreLocalDeletes: false,
      paused,
      createdAt: 0,
    },
    state: paused ? 'paused' : 'idle',
    progress: null,
    lastRun: null,
    nextRunAt: null,
    held: null,
    error: null,
    ...patch,
  };
}

const ran = (counts: Partial<typeof EMPTY_COUNTS>, minutesAgo: number, ok = true) => ({
  startedAt: NOW - minutesAgo * 60_000 - 1000,
  finishedAt: NOW - minutesAgo * 60_000,
  ok,
  counts: { ...EMPTY_COUNTS, ...counts },
  via: 'listing' as const,
  requests: 3,
  ...(ok ? {} : { error: { code: 'network' as const, message: 'The connection was lost.' } }),
});

describe('tray menu', () => {
  it('Sync now, one line per pair with its last result, Open, Quit', () => {
    const menu = trayMenu(
      [status('a', { lastRun: ran({ added: 3, updated: 1 }, 2) }), status('b', {}, true)],
      NOW,
      'en',
    );
    expect(menu.map((i) => i.label ?? '—')).toEqual([
      'Sync now',
      'Cloud → this computer. Changes you make here stay here and are never uploaded.',
      '—',
      'Folder a — up to date: 3 new, 1 updated, 2 min ago',
      'Folder b — paused, not synced yet',
      '—',
      'Open PowerOn Sources',
      'Quit',
    ]);
    expect(menu[0]!.action).toEqual({ kind: 'syncAll' });
    // The one-way line says what sync does; it is text, not a command.
    expect(menu[1]).toEqual({ label: expect.stringContaining('never uploaded') as string, enabled: false });
    expect(menu[3]!.submenu!.map((i) => i.label)).toEqual(['Sync now', 'Pause', 'Open folder']);
    expect(menu[4]!.submenu!.map((i) => [i.label, i.enabled ?? true])).toEqual([
      ['Sync now', false],
      ['Resume', true],
      ['Open folder', true],
    ]);
    expect(menu[4]!.submenu![1]!.action).toEqual({ kind: 'pause', id: 'b', paused: false });
  });

  it('says one way in German too', () => {
    expect(trayMenu([], NOW, 'de')[1]).toEqual({
      label: 'Cloud → dieser Computer. Was Sie hier ändern, bleibt hier und wird nie hochgeladen.',
      enabled: false,
    });
  });

  it('a pair not started yet: "not started yet", Start instead of Sync now; Sync now (all) leaves it alone', () => {
    const pending = status('n');
    pending.pair.pending = true;
    for (const [language, line, start] of [
      ['en', 'Folder n — not started yet', 'Start'],
      ['de', 'Folder n — noch nicht gestartet', 'Starten'],
    ] as const) {
      const menu = trayMenu([pending], NOW, language);
      expect(menu[3]!.label).toBe(line);
      expect(menu[3]!.submenu![0]).toMatchObject({
        label: start,
        enabled: true,
        action: { kind: 'syncPair', id: 'n' },
      });
      expect(menu[0]!.enabled).toBe(false);
    }
    expect(trayMenu([pending, status('a')], NOW, 'en')[0]!.enabled).toBe(true);
  });

  it('German, with Swiss conventions (Min., Std.)', () => {
    const line = pairLine(status('a', { lastRun: ran({ added: 2, conflicts: 1 }, 130) }), NOW, 'de');
    expect(line).toBe('Folder a — aktuell: 2 neu, 0 aktualisiert, 1 Konflikte, vor 2 Std.');
    expect(trayMenu([], NOW, 'de')[0]).toMatchObject({ label: 'Jetzt synchronisieren', enabled: false });
  });

  it('icon: attention on errors or conflicts, syncing while a run is on, else idle', () => {
    expect(trayIconState([status('a')])).toBe('idle');
    expect(trayIconState([status('a', { state: 'syncing' })])).toBe('syncing');
    expect(trayIconState([status('a', { state: 'syncing' }), status('b', { state: 'error' })])).toBe('attention');
    expect(trayIconState([status('a', { lastRun: ran({ conflicts: 1 }, 1) })])).toBe('attention');
  });

  it('tooltip with progress', () => {
    const p = status('a', {
      state: 'syncing',
      progress: { phase: 'applying', filesDone: 4, filesTotal: 10, bytesDone: 0 },
    });
    expect(trayTooltip([p], 'en')).toBe('PowerOn Sources — syncing: 4 of 10 files');
    expect(trayTooltip([status('a')], 'en')).toBe('PowerOn Sources');
  });

  it('a notification only after errors or conflicts', () => {
    expect(runNotice(status('a', { lastRun: ran({ added: 5 }, 0) }), 'en')).toBeNull();
    expect(runNotice(status('a', { lastRun: ran({ conflicts: 2 }, 0) }), 'en')?.body).toContain('2 conflict(s)');
    expect(runNotice(status('a', { lastRun: ran({}, 0, false) }), 'en')?.body).toContain("Can't reach Infomaniak");
  });
});

describe('keepInTrayOnClose', () => {
  it('keeps the app in the tray only with the setting on, a tray and at least one pair', () => {
    expect(keepInTrayOnClose({ setting: true, hasTray: true, pairs: 1 })).toBe(true);
    expect(keepInTrayOnClose({ setting: false, hasTray: true, pairs: 1 })).toBe(false);
    expect(keepInTrayOnClose({ setting: true, hasTray: false, pairs: 3 })).toBe(false);
    expect(keepInTrayOnClose({ setting: true, hasTray: true, pairs: 0 })).toBe(false);
  });
});

describe('a held run asks in the tray (21.2)', () => {
  const held = status('p', {
    state: 'attention',
    held: { reason: 'mass', count: 1240, total: 1300 },
    lastRun: { ...ran({ added: 2 }, 1, false), held: { reason: 'mass', count: 1240, total: 1300 }, attention: true },
  });
  it('the question as the pair line, the two answers first in its submenu; a notification says it', () => {
    const menu = trayMenu([{ ...held, pair: { ...held.pair, name: 'Projects' } }], NOW, 'en');
    expect(menu[3]!.label).toBe(
      "Projects — needs attention: Infomaniak reports 1,240 files removed from 'Projects'. Move them to the trash here?",
    );
    expect(menu[3]!.submenu!.slice(0, 2)).toEqual([
      { label: 'Move them to the trash', action: { kind: 'decide', id: 'p', choice: 'confirm' } },
      { label: 'Keep them and pause the pair', action: { kind: 'decide', id: 'p', choice: 'keep' } },
    ]);
    expect(trayIconState([held])).toBe('attention');
    expect(runNotice({ ...held, pair: { ...held.pair, name: 'Projects' } }, 'de')).toEqual({
      title: 'Synchronisation: Projects',
      body: 'Infomaniak meldet 1.240 entfernte Dateien in „Projects“. Hier in den Papierkorb verschieben?',
    });
  });

  it('an empty or missing pair folder asks whether its disk is connected', () => {
    expect(heldQuestion({ reason: 'empty', count: 120, total: 120 }, 'Photos', 'en')).toEqual({
      question: "'Photos' is empty here but held 120 files. Is its disk connected? Download them again?",
      confirm: 'Download them again',
      keep: 'Pause the pair',
    });
    expect(heldQuestion({ reason: 'missing', count: 3, total: 3 }, 'Photos', 'de').confirm).toBe(
      'Anlegen und erneut herunterladen',
    );
  });
});
