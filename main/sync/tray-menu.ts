/**
 * What the tray shows, as pure functions of the sync state: the menu ("Sync now", each pair with
 * its state and last result, Pause/Resume, "Open PowerOn Sources", Quit), the icon state and the
 * tooltip. The Electron part (main/shell/tray.ts) only turns these into a Tray and a Menu.
 */
import { errorWords } from '../../shared/i18n/error-words';
import type { SyncPairStatus } from '../../shared/model/sync';

export type TrayIconState = 'idle' | 'syncing' | 'attention';

export type TrayAction =
  | { kind: 'syncAll' }
  | { kind: 'syncPair'; id: string }
  | { kind: 'pause'; id: string; paused: boolean }
  | { kind: 'openFolder'; id: string }
  | { kind: 'show' }
  | { kind: 'quit' };

export interface TrayItem {
  label?: string;
  type?: 'separator';
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
}

const TEXT = {
  en: {
    syncNow: 'Sync now',
    open: 'Open PowerOn Sources',
    quit: 'Quit',
    pause: 'Pause',
    resume: 'Resume',
    openFolder: 'Open folder',
    never: 'not synced yet',
    noPairs: 'No sync pairs',
    state: { idle: 'up to date', syncing: 'syncing', paused: 'paused', error: 'error', attention: 'needs attention' },
    result: (n: number, u: number, c: number) => `${n} new, ${u} updated${c > 0 ? `, ${c} conflicts` : ''}`,
    ago: (min: number) => (min < 1 ? 'just now' : min < 60 ? `${min} min ago` : `${Math.round(min / 60)} h ago`),
    progress: (done: number, total: number) => `${done} of ${total} files`,
  },
  de: {
    syncNow: 'Jetzt synchronisieren',
    open: 'PowerOn Sources öffnen',
    quit: 'Beenden',
    pause: 'Pausieren',
    resume: 'Fortsetzen',
    openFolder: 'Ordner öffnen',
    never: 'noch nicht synchronisiert',
    noPairs: 'Keine Synchronisation eingerichtet',
    state: {
      idle: 'aktuell',
      syncing: 'synchronisiert',
      paused: 'pausiert',
      error: 'Fehler',
      attention: 'braucht Aufmerksamkeit',
    },
    result: (n: number, u: number, c: number) => `${n} neu, ${u} aktualisiert${c > 0 ? `, ${c} Konflikte` : ''}`,
    ago: (min: number) => (min < 1 ? 'gerade eben' : min < 60 ? `vor ${min} Min.` : `vor ${Math.round(min / 60)} Std.`),
    progress: (done: number, total: number) => `${done} von ${total} Dateien`,
  },
};

/** "3 new, 1 updated, 2 min ago" (or the state while it is not idle). */
export function pairLine(status: SyncPairStatus, now: number, language: 'en' | 'de'): string {
  const t = TEXT[language];
  const head = `${status.pair.name} — ${t.state[status.state]}`;
  if (status.state === 'syncing' && status.progress && status.progress.filesTotal > 0) {
    return `${head}, ${t.progress(status.progress.filesDone, status.progress.filesTotal)}`;
  }
  const run = status.lastRun;
  if (!run) return `${head}, ${t.never}`;
  const minutes = Math.floor(Math.max(0, now - run.finishedAt) / 60_000);
  return `${head}: ${t.result(run.counts.added, run.counts.updated, run.counts.conflicts)}, ${t.ago(minutes)}`;
}

export function trayMenu(pairs: SyncPairStatus[], now: number, language: 'en' | 'de'): TrayItem[] {
  const t = TEXT[language];
  const busy = pairs.length > 0 && pairs.every((p) => p.state === 'syncing' || p.pair.paused);
  const items: TrayItem[] = [{ label: t.syncNow, enabled: pairs.length > 0 && !busy, action: { kind: 'syncAll' } }];
  items.push({ type: 'separator' });
  if (pairs.length === 0) items.push({ label: t.noPairs, enabled: false });
  for (const p of pairs) {
    items.push({
      label: pairLine(p, now, language),
      submenu: [
        {
          label: t.syncNow,
          enabled: p.state !== 'syncing' && !p.pair.paused,
          action: { kind: 'syncPair', id: p.pair.id },
        },
        {
          label: p.pair.paused ? t.resume : t.pause,
          action: { kind: 'pause', id: p.pair.id, paused: !p.pair.paused },
        },
        { label: t.openFolder, action: { kind: 'openFolder', id: p.pair.id } },
      ],
    });
  }
  items.push(
    { type: 'separator' },
    { label: t.open, action: { kind: 'show' } },
    { label: t.quit, action: { kind: 'quit' } },
  );
  return items;
}

export function trayIconState(pairs: SyncPairStatus[]): TrayIconState {
  if (pairs.some((p) => p.state === 'error' || p.state === 'attention' || (p.lastRun?.counts.conflicts ?? 0) > 0)) {
    return 'attention';
  }
  return pairs.some((p) => p.state === 'syncing') ? 'syncing' : 'idle';
}

export function trayTooltip(pairs: SyncPairStatus[], language: 'en' | 'de'): string {
  const t = TEXT[language];
  const syncing = pairs.filter((p) => p.state === 'syncing');
  if (syncing.length === 0) return 'PowerOn Sources';
  const done = syncing.reduce((n, p) => n + (p.progress?.filesDone ?? 0), 0);
  const total = syncing.reduce((n, p) => n + (p.progress?.filesTotal ?? 0), 0);
  return `PowerOn Sources — ${t.state.syncing}${total > 0 ? `: ${t.progress(done, total)}` : ''}`;
}

/** A notification for a run that ended with errors or conflicts, or null. */
export function runNotice(status: SyncPairStatus, language: 'en' | 'de'): { title: string; body: string } | null {
  const run = status.lastRun;
  if (!run) return null;
  const conflicts = run.counts.conflicts;
  if (run.ok && conflicts === 0) return null;
  const de = language === 'de';
  const title = de ? `Synchronisation: ${status.pair.name}` : `Sync: ${status.pair.name}`;
  const parts: string[] = [];
  // The error in the UI's language, from the one word table the window uses too (never main's English).
  if (!run.ok)
    parts.push(run.error ? errorWords(run.error, language) : de ? 'Der Lauf ist fehlgeschlagen.' : 'The run failed.');
  if (conflicts > 0) {
    parts.push(
      de
        ? `${conflicts} Konflikt(e): die Version aus kDrive liegt neben Ihrer lokalen Änderung.`
        : `${conflicts} conflict(s): the kDrive version was saved beside your local change.`,
    );
  }
  return { title, body: parts.join(' ') };
}

/**
 * Whether closing the last window keeps the app running in the tray: only with the setting on,
 * a tray to come back from, and at least one sync pair (otherwise there is nothing to keep doing).
 */
export function keepInTrayOnClose(o: { setting: boolean; hasTray: boolean; pairs: number }): boolean {
  return o.setting && o.hasTray && o.pairs > 0;
}
