/**
 * What the tray shows, as pure functions of the sync state: the menu ("Sync now", what sync does
 * in one line — cloud → this computer, nothing uploaded —, each pair with its state and last
 * result, Start for a pair not started yet, Pause/Resume, "Open PowerOn Sources", Quit), the icon
 * state and the tooltip. The Electron part (main/shell/tray.ts) only turns these into a Tray and a Menu.
 */
import { errorWords } from '../../shared/i18n/error-words';
import type { SyncHeld, SyncPairStatus } from '../../shared/model/sync';

export type TrayIconState = 'idle' | 'syncing' | 'attention';

export type TrayAction =
  | { kind: 'syncAll' }
  | { kind: 'syncPair'; id: string }
  | { kind: 'pause'; id: string; paused: boolean }
  | { kind: 'openFolder'; id: string }
  | { kind: 'decide'; id: string; choice: 'confirm' | 'keep' }
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
    oneWay: 'Cloud → this computer. Changes you make here stay here and are never uploaded.',
    start: 'Start',
    notStarted: 'not started yet',
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
    oneWay: 'Cloud → dieser Computer. Was Sie hier ändern, bleibt hier und wird nie hochgeladen.',
    start: 'Starten',
    notStarted: 'noch nicht gestartet',
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

const HELD = {
  en: {
    mass: (h: SyncHeld, name: string, n: (v: number) => string) => ({
      question: `Infomaniak reports ${n(h.count)} files removed from '${name}'. Move them to the trash here?`,
      confirm: 'Move them to the trash',
      keep: 'Keep them and pause the pair',
    }),
    empty: (h: SyncHeld, name: string, n: (v: number) => string) => ({
      question: `'${name}' is empty here but held ${n(h.total)} files. Is its disk connected? Download them again?`,
      confirm: 'Download them again',
      keep: 'Pause the pair',
    }),
    missing: (_h: SyncHeld, name: string) => ({
      question: `The folder of '${name}' is missing. Is its disk connected? Create it and download again?`,
      confirm: 'Create it and download again',
      keep: 'Pause the pair',
    }),
  },
  de: {
    mass: (h: SyncHeld, name: string, n: (v: number) => string) => ({
      question: `Infomaniak meldet ${n(h.count)} entfernte Dateien in „${name}“. Hier in den Papierkorb verschieben?`,
      confirm: 'In den Papierkorb verschieben',
      keep: 'Behalten und Paar pausieren',
    }),
    empty: (h: SyncHeld, name: string, n: (v: number) => string) => ({
      question: `„${name}“ ist hier leer, enthielt aber ${n(h.total)} Dateien. Ist das Laufwerk verbunden? Erneut herunterladen?`,
      confirm: 'Erneut herunterladen',
      keep: 'Paar pausieren',
    }),
    missing: (_h: SyncHeld, name: string) => ({
      question: `Der Ordner von „${name}“ fehlt. Ist das Laufwerk verbunden? Anlegen und erneut herunterladen?`,
      confirm: 'Anlegen und erneut herunterladen',
      keep: 'Paar pausieren',
    }),
  },
};

/**
 * The question of a held run (main/sync/guard.ts) and its two answers: "Infomaniak reports 1,240
 * files removed from 'Projects'. Move them to the trash here?" / "Keep them and pause the pair".
 */
export function heldQuestion(
  held: SyncHeld,
  name: string,
  language: 'en' | 'de',
): { question: string; confirm: string; keep: string } {
  const format = new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-US');
  return HELD[language][held.reason](held, name, (v) => format.format(v));
}

/** "3 new, 1 updated, 2 min ago" (or the state while it is not idle). */
export function pairLine(status: SyncPairStatus, now: number, language: 'en' | 'de'): string {
  const t = TEXT[language];
  if (status.pair.pending && status.state !== 'syncing') return `${status.pair.name} — ${t.notStarted}`;
  const head = `${status.pair.name} — ${t.state[status.state]}`;
  if (status.held) return `${head}: ${heldQuestion(status.held, status.pair.name, language).question}`;
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
  const busy = pairs.length > 0 && pairs.every((p) => p.state === 'syncing' || p.pair.paused || p.pair.pending);
  const items: TrayItem[] = [{ label: t.syncNow, enabled: pairs.length > 0 && !busy, action: { kind: 'syncAll' } }];
  items.push({ label: t.oneWay, enabled: false }, { type: 'separator' });
  if (pairs.length === 0) items.push({ label: t.noPairs, enabled: false });
  for (const p of pairs) {
    const held = p.held && heldQuestion(p.held, p.pair.name, language);
    items.push({
      label: pairLine(p, now, language),
      submenu: [
        ...(held
          ? [
              { label: held.confirm, action: { kind: 'decide', id: p.pair.id, choice: 'confirm' } } as TrayItem,
              { label: held.keep, action: { kind: 'decide', id: p.pair.id, choice: 'keep' } } as TrayItem,
              { type: 'separator' } as TrayItem,
            ]
          : []),
        {
          // A pair not started yet starts here (its Preview is in the window).
          label: p.pair.pending ? t.start : t.syncNow,
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
  const de = language === 'de';
  if (status.held) {
    const title = de ? `Synchronisation: ${status.pair.name}` : `Sync: ${status.pair.name}`;
    return { title, body: heldQuestion(status.held, status.pair.name, language).question };
  }
  const conflicts = run.counts.conflicts;
  if (run.ok && conflicts === 0) return null;
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
