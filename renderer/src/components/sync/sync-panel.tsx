/**
 * The Sync section, below the tree (in `content-split.tsx`, resizable like the Details pane). Its
 * first line always shows: the heading, a one-line summary (or "No folders are kept in sync"), Sync
 * all, and a disclosure button that shows or hides the rest: the pairs with their state, progress,
 * last run, errors and actions (or, without pairs, the hint where pairs are made). Collapsed, only
 * that line shows; when the window has no room for more (the tree keeps 8 rows), the button says so
 * and stays off.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../i18n';
import { useAppStore, useStoreApi } from '../../store/context';
import { relativeTime, useNow, PairRow } from './pair-row';
import { RemoveConfirm } from './remove-confirm';
import { SyncPreview } from './sync-preview';
import { syncSummary } from './sync-summary';
import './sync.css';

export interface SyncPanelProps {
  /** The rest below the first line is shown. */
  open: boolean;
  /** There is room to show it (else the button is off and says why). */
  canOpen: boolean;
  onOpen(open: boolean): void;
}

function Toggle({ open, canOpen, onOpen, controls, label }: SyncPanelProps & { controls: string; label: string }) {
  const { t } = useTranslation();
  const whyId = useId();
  const off = !open && !canOpen;
  return (
    <>
      <button
        type="button"
        className="compact"
        aria-expanded={open}
        aria-controls={controls}
        aria-disabled={off || undefined}
        aria-describedby={off ? whyId : undefined}
        title={off ? t('sync.noRoom') : undefined}
        onClick={() => !off && onOpen(!open)}
      >
        {label}
      </button>
      {off && (
        <span id={whyId} className="visually-hidden">
          {t('sync.noRoom')}
        </span>
      )}
    </>
  );
}

export function SyncPanel(props: SyncPanelProps) {
  const { open } = props;
  const { t, i18n } = useTranslation();
  const now = useNow(30_000);
  const pairs = useAppStore((s) => s.syncPairs);
  // The form's own pair shows its Preview in the form (keep-in-sync.tsx).
  const preview = useAppStore((s) => (s.syncPreview?.pairId === s.syncDraftPairId ? null : s.syncPreview));
  const error = useAppStore((s) => s.syncError);
  const a = useStoreApi().getState();
  const bodyId = useId();
  const summary = syncSummary(pairs, t, (ms) => relativeTime(ms, Math.max(now, ms), i18n.language, t('sync.justNow')));
  const none = pairs.length === 0;
  const toggleLabel = none ? t('sync.noneHow') : open ? t('sync.hidePairs') : t('sync.showPairs');
  return (
    <section className={`sync-panel ${open ? 'open' : ''}`} aria-labelledby="sync-heading">
      <div className="sync-panel-head">
        <h2 id="sync-heading">{t('sync.title')}</h2>
        {/* An error of a sync action shows on this line while the rest is collapsed. */}
        {error && !open ? (
          <span role="alert" className="small sync-error sync-summary">
            {errorText(error)}
          </span>
        ) : (
          <span className="muted small sync-summary" title={summary}>
            {summary}
          </span>
        )}
        {!none && (
          <button type="button" className="compact" onClick={() => void a.runSync()}>
            {t('sync.syncAll')}
          </button>
        )}
        <Toggle {...props} controls={bodyId} label={toggleLabel} />
      </div>
      <div id={bodyId} className="sync-body" hidden={!open}>
        {error && (
          <div role="alert" className="sync-error">
            {errorText(error)}{' '}
            <button type="button" onClick={a.dismissSyncNotes}>
              {t('app.dismiss')}
            </button>
          </div>
        )}
        {preview && <SyncPreview preview={preview} onDismiss={a.dismissSyncNotes} />}
        {none ? (
          <p className="muted small sync-none-hint">{t('sync.noneHint')}</p>
        ) : (
          <ul className="sync-pairs" aria-label={t('sync.pairs')}>
            {pairs.map((p) => (
              <PairRow key={p.pair.id} status={p} />
            ))}
          </ul>
        )}
      </div>
      <RemoveConfirm />
    </section>
  );
}
