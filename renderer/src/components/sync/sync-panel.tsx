/** The Sync view: each pair with its state, progress, last run and errors; Sync now, Pause/Resume, Remove, Open folder. */
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { SyncPairStatus } from '../../../../shared/model/sync';
import { errorText } from '../../i18n';
import { useAppStore } from '../../store/context';
import { SyncPreview } from './sync-preview';
import { useSyncStore } from './sync-store';
import './sync.css';

/** "2 min ago" in the UI language. */
export function relativeTime(ms: number, now: number, language: string): string {
  const seconds = Math.round((ms - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return rtf.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** The current time, refreshed every `intervalMs` (for "2 min ago"). */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * A held run's question (main/sync/guard.ts): "Infomaniak reports 1,240 files removed from
 * 'Projects'. Move them to the trash here?" with its two answers.
 */
export function HeldQuestion({ status }: { status: SyncPairStatus }) {
  const { t, i18n } = useTranslation();
  const held = status.held;
  if (!held) return null;
  const format = new Intl.NumberFormat(i18n.language);
  const values = { name: status.pair.name, count: format.format(held.count), total: format.format(held.total) };
  const a = useSyncStore.getState();
  const questionId = `sync-held-${status.pair.id}`;
  return (
    <div role="group" aria-labelledby={questionId} className="sync-held">
      <p id={questionId} role="alert">
        {t(`sync.held.${held.reason}`, values)}
      </p>
      <div className="details-actions">
        <button type="button" onClick={() => void a.decide(status.pair.id, 'confirm')}>
          {t(`sync.held.${held.reason}Confirm`)}
        </button>
        <button type="button" onClick={() => void a.decide(status.pair.id, 'keep')}>
          {t(held.reason === 'mass' ? 'sync.held.massKeep' : 'sync.held.pause')}
        </button>
      </div>
    </div>
  );
}

/** The items the last run skipped, each with its path and reason (the pair's errors). */
export function SkippedItems({ status }: { status: SyncPairStatus }) {
  const { t } = useTranslation();
  const named = (status.lastRun?.errors ?? []).filter((e) => e.details?.path);
  if (named.length === 0) return null;
  return (
    <ul className="sync-skipped" aria-label={t('sync.skipped')}>
      {named.map((e, i) => (
        <li key={i}>{t('sync.skippedItem', { path: e.details?.path, reason: errorText(e) })}</li>
      ))}
    </ul>
  );
}

function PairRow({ status }: { status: SyncPairStatus }) {
  const now = useNow(30_000);
  const { t, i18n } = useTranslation();
  const a = useSyncStore.getState();
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
            : t('sync.progress', { done: progress.filesDone, total: progress.filesTotal })}
        </div>
      )}
      <div>
        {lastRun
          ? t('sync.lastRun', {
              when: relativeTime(lastRun.finishedAt, Math.max(now, lastRun.finishedAt), i18n.language),
              ...lastRun.counts,
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
        <button type="button" disabled={state === 'syncing'} onClick={() => void a.run([pair.id])}>
          {t('sync.syncNow')}
        </button>
        <button type="button" onClick={() => void a.pause(pair.id, !pair.paused)}>
          {pair.paused ? t('sync.resume') : t('sync.pause')}
        </button>
        <button type="button" onClick={() => void a.showPreview(pair.id)}>
          {t('sync.preview')}
        </button>
        <button type="button" onClick={() => void a.openFolder(pair.id)}>
          {t('sync.openFolder')}
        </button>
        <button type="button" title={t('sync.removeHint')} onClick={() => void a.remove(pair.id)}>
          {t('sync.remove')}
        </button>
      </div>
    </li>
  );
}

/**
 * Without pairs the section keeps to one line (heading, note, a disclosure for the hint), so that at
 * 640×480 the tree keeps the height; the hint says where pairs are made (Details, "Keep in sync…").
 */
function NoPairs({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [hintShown, setHintShown] = useState(false);
  const hintId = useId();
  return (
    <section className="sync-panel sync-panel-empty" aria-labelledby="sync-heading">
      <div className="sync-panel-head">
        <h2 id="sync-heading">{t('sync.title')}</h2>
        <span className="muted small sync-none" title={t('sync.none')}>
          {t('sync.none')}
        </span>
        <button
          type="button"
          className="compact"
          aria-expanded={hintShown}
          aria-controls={hintId}
          onClick={() => setHintShown(!hintShown)}
        >
          {t('sync.noneHow')}
        </button>
      </div>
      {children}
      <p id={hintId} className="muted small sync-none-hint" hidden={!hintShown}>
        {t('sync.noneHint')}
      </p>
    </section>
  );
}

export function SyncPanel() {
  const { t } = useTranslation();
  const api = useAppStore((s) => s.api);
  const pairs = useStore(useSyncStore, (s) => s.pairs);
  const preview = useStore(useSyncStore, (s) => s.preview);
  const error = useStore(useSyncStore, (s) => s.error);
  useEffect(() => (api ? useSyncStore.getState().init(api) : undefined), [api]);
  const a = useSyncStore.getState();
  const errorNote = error && (
    <div role="alert" className="sync-error">
      {errorText(error)}{' '}
      <button type="button" onClick={a.dismiss}>
        {t('app.dismiss')}
      </button>
    </div>
  );
  const previewNote = preview && <SyncPreview preview={preview} onDismiss={a.dismiss} />;
  if (pairs.length === 0)
    return (
      <NoPairs>
        {errorNote}
        {previewNote}
      </NoPairs>
    );
  return (
    <section className="sync-panel" aria-labelledby="sync-heading">
      <div className="sync-panel-head">
        <h2 id="sync-heading">{t('sync.title')}</h2>
        <button type="button" onClick={() => void a.run()}>
          {t('sync.syncAll')}
        </button>
      </div>
      {errorNote}
      {previewNote}
      <ul className="sync-pairs" aria-label={t('sync.pairs')}>
        {pairs.map((p) => (
          <PairRow key={p.pair.id} status={p} />
        ))}
      </ul>
    </section>
  );
}
