import { describe, expect, it } from 'vitest';
import { MAX_CALENDAR_WINDOWS } from '../../shared/ipc/contract';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { SettingsStore } from './settings';
import { memoryStore } from './store';

describe('SettingsStore', () => {
  it('resets an oversize calendarWindows read from disk to its default and says which key', () => {
    const store = memoryStore();
    const calendarWindows = Object.fromEntries(
      Array.from({ length: MAX_CALENDAR_WINDOWS + 1 }, (_, i) => [`cal-${i}`, { daysBack: 1, daysAhead: 1 }]),
    );
    store.set('settings', { concurrency: 5, calendarWindows });
    const reported: string[][] = [];
    const settings = new SettingsStore(store, (keys) => reported.push(keys));
    expect(settings.get().calendarWindows).toEqual(DEFAULT_SETTINGS.calendarWindows);
    expect(settings.get().concurrency).toBe(5);
    expect(reported).toEqual([['calendarWindows']]);
  });

  it('sync settings: on by default, kept when valid, a non-boolean falls back to the default', () => {
    expect(new SettingsStore(memoryStore()).get()).toMatchObject({ syncKeepInTray: true, syncNotify: true });
    const store = memoryStore();
    store.set('settings', { syncKeepInTray: false, syncNotify: 'yes' });
    const reported: string[][] = [];
    const settings = new SettingsStore(store, (keys) => reported.push(keys));
    expect(settings.get()).toMatchObject({ syncKeepInTray: false, syncNotify: true });
    expect(reported).toEqual([['syncNotify']]);
  });

  it('keepEarlier writes an earlier default only where this install stored nothing', () => {
    const fresh = new SettingsStore(memoryStore());
    expect(fresh.get()).toMatchObject({ syncScheduled: true, syncEveryMinutes: 15 });
    expect(fresh.keepEarlier({ syncScheduled: false, syncEveryMinutes: 60 })).toEqual([
      'syncScheduled',
      'syncEveryMinutes',
    ]);
    expect(fresh.get()).toMatchObject({ syncScheduled: false, syncEveryMinutes: 60 });

    // Settings saved before (every save stores every key): the stored values win, nothing is written.
    const store = memoryStore();
    store.set('settings', { ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 30 });
    const saved = new SettingsStore(store);
    expect(saved.keepEarlier({ syncScheduled: false, syncEveryMinutes: 60 })).toEqual([]);
    expect(saved.get()).toMatchObject({ syncScheduled: true, syncEveryMinutes: 30 });

    // After any update, everything counts as the user's.
    const updated = new SettingsStore(memoryStore());
    updated.update({ concurrency: 2 });
    expect(updated.keepEarlier({ syncScheduled: false })).toEqual([]);
    expect(updated.get().syncScheduled).toBe(true);
  });
});
