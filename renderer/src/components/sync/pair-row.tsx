/** One sync pair in the Sync section: its state, folder, progress, last and next run, error, and its actions. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncPairStatus } from '../../../../shared/model/sync';
import { errorText } from '../../i18n';
import type { SyncRunResult } from '../../../../shared/model/sync';
import { useStoreApi } from '../../store/context';
import { formatList, numberLocale } from '../../i18n/locale';
import { HeldQuestion, SkippedItems } from './held-question';

type T = (key: string, options?: Record<string, unknown>) => string;

/** A run's changes in words: "39 new and 2 updated", or "nothing changed". */
export function runChanges(counts: SyncRunResult['counts'], t: T, language: string): string {
  const parts: Array<[string, number]> = [
    ['sync.runAdded', counts.added],
    ['sync.runUpdated', counts.updated],
    ['sync.runMoved', counts.moved],
    ['sync.runTrashed', counts.trashed],
    ['sync.runConflicts', counts.conflicts],
    ['sync.runFailed', counts.failed],
  ];
  const said = parts.filter(([, n]) => n > 0).map(([key, n]) => t(key, { count: n }));
  return said.length === 0 ? t('sync.runNothing') : formatList(said, language);
}

/**
 * "2 minutes ago", "in 5 minutes" in the UI language; less than a minute ago is `justNow` ("just
 * now", never "now" or "0 seconds ago").
 */
export function relativeTime(ms: number, now: number, language: string, justNow = 'just now'): string {
  const seconds = Math.round((ms - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(numberLocale(language), { numeric: 'auto' });
  if (seconds <= 0 && seconds > -60) return justNow;
  if (Math.abs(seconds) < 60) return rtf.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** The current time, refreshed every `intervalMs` (for "2 min ago"). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function PairRow({ status }: { status: SyncPairStatus }) {
  const now = useNow(30_000);
  const { t, i18n } = useTranslation();
  const a = useStoreApi().getState();
  const { pair, state, progress, lastRun, nextRunAt, error } = status;
  const headingId = `sync-pair-${pair.id}`;
  return (
    <li className={`sync-pair sync-${state}`} aria-labelledby={headingId}>
      <div className="sync-pair-head">
        <strong id={headingId}>{pair.name}</strong>
        <span className="sync-state">{t(`sync.state.${state}`)}</span>
      </div>
      <div className="muted">{t('sync.folder', { path: pair.localPath })}</div>
      {progress && (
        <div role="status">
          {progress.phase === 'listing'
            ? t('sync.listing')
            : t('sync.progress', { done: progress.filesDone, count: progress.filesTotal })}
        </div>
      )}
      <div>
        {lastRun
          ? t('sync.lastRun', {
              when: relativeTime(
                lastRun.finishedAt,
                Math.max(now, lastRun.finishedAt),
                i18n.language,
                t('sync.justNow'),
              ),
              changes: runChanges(lastRun.counts, t, i18n.language),
            })
          : t('sync.never')}
      </div>
      {nextRunAt !== null && (
        <div className="muted">
          {t('sync.nextRun', { when: relativeTime(nextRunAt, Math.min(now, nextRunAt), i18n.language) })}
        </div>
      )}
      {error && (
        <div role="alert" className="sync-error">
          {errorText(error)}
        </div>
      )}
      <HeldQuestion status={status} />
      <SkippedItems status={status} />
      <div className="details-actions">
        <button type="button" disabled={state === 'syncing'} onClick={() => void a.runSync([pair.id])}>
          {t('sync.syncNow')}
        </button>
        <button type="button" onClick={() => void a.pauseSync(pair.id, !pair.paused)}>
          {pair.paused ? t('sync.resume') : t('sync.pause')}
        </button>
        <button type="button" onClick={() => void a.previewSync(pair.id)}>
          {t('sync.preview')}
        </button>
        <button type="button" onClick={() => void a.openSyncFolder(pair.id)}>
          {t('sync.openFolder')}
        </button>
        <button type="button" title={t('sync.removeHint')} onClick={() => void a.removeSync(pair.id)}>
          {t('sync.remove')}
        </button>
      </div>
    </li>
  );
}
