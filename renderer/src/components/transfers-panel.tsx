import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../../../shared/model/transfers';
import { errorText } from '../i18n';
import { useAppStore, useStoreApi } from '../store/context';
import { namesNote } from './existing-note';
import {
  finished,
  formatDuration,
  isActive,
  isCountingDown,
  newestFirst,
  overallProgress,
  transferName,
  transferStatus,
} from './transfers-view';

/** The current time, refreshed every second while `active` (for countdowns). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function RowActions({ transfer, name }: { transfer: Transfer; name: string }) {
  const { t } = useTranslation();
  const act = useStoreApi().getState().transferAction;
  const button = (action: 'cancel' | 'retry' | 'open' | 'reveal') => (
    <button
      type="button"
      className="compact"
      onClick={() => void act(action, transfer.id)}
      aria-label={`${t(`transfers.${action}`)}: ${name}`}
    >
      {t(`transfers.${action}`)}
    </button>
  );
  if (transfer.state === 'running' || transfer.state === 'queued') return button('cancel');
  if (transfer.state === 'failed' || transfer.state === 'cancelled') return button('retry');
  if ((transfer.state === 'done' || transfer.state === 'skipped') && transfer.targetPath)
    return (
      <>
        {button('open')}
        {button('reveal')}
      </>
    );
  return null;
}

function rowNote(transfer: Transfer, t: (key: string, o?: Record<string, unknown>) => string): string | null {
  if (transfer.state === 'failed' && transfer.error) return errorText(transfer.error);
  return namesNote(transfer, t);
}

/** One compact row (≤ 40 px): name over a thin bar, state and status on one line, actions. */
function TransferRow({ transfer, now }: { transfer: Transfer; now: number }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const name = transferName(transfer, t);
  const status = transferStatus(transfer, now, t, locale);
  const note = rowNote(transfer, t);
  const pct = transfer.bytesTotal ? Math.min(100, Math.round((transfer.bytesDone / transfer.bytesTotal) * 100)) : null;
  const state = t(`transfers.${transfer.state}`);
  return (
    <li className={`transfer transfer-${transfer.state}`} aria-label={name}>
      <div className="transfer-main">
        <span className="transfer-name" title={transfer.targetPath ?? name}>
          {name}
        </span>
        <progress
          max={100}
          value={finished(transfer) ? 100 : transfer.state === 'cancelled' ? 0 : (pct ?? undefined)}
          aria-label={`${name}: ${state}`}
        />
      </div>
      <div className="transfer-info small" title={[status, note].filter(Boolean).join('\n') || undefined}>
        <span className="transfer-state">{state}</span>
        {status && <span className="muted">{status}</span>}
        {note && <span className={transfer.state === 'failed' ? 'error-text' : 'muted'}>{note}</span>}
      </div>
      <div className="transfer-actions">
        <RowActions transfer={transfer} name={name} />
      </div>
    </li>
  );
}

/** The panel's header: title, a badge of active transfers, overall progress and ETA, Clear and Show/Hide. */
function TransfersHeader({ transfers, open, now }: { transfers: Transfer[]; open: boolean; now: number }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const store = useStoreApi().getState();
  const overall = overallProgress(transfers, now);
  const done = transfers.filter((x) => x.state === 'done').length;
  const skipped = transfers.filter((x) => x.state === 'skipped').length;
  const clearable = transfers.filter((x) => !isActive(x));
  return (
    <div className="transfers-bar">
      <h2 id="transfers-heading">{t('transfers.title')}</h2>
      {overall.active > 0 && (
        <span className="count-badge" role="img" aria-label={t('transfers.activeBadge', { count: overall.active })}>
          {overall.active}
        </span>
      )}
      <span className="muted small transfers-summary" role="status">
        {transfers.length === 0
          ? t('transfers.none')
          : [
              t('transfers.summary', { running: overall.active, done }),
              ...(skipped > 0 ? [t('transfers.summarySkipped', { count: skipped })] : []),
            ].join(', ')}
      </span>
      {overall.active > 0 && (
        <>
          <progress
            className="transfers-overall"
            max={100}
            value={overall.fraction === null ? undefined : Math.round(overall.fraction * 100)}
            aria-label={t('transfers.overall')}
          />
          {overall.eta !== null && (
            <span className="muted small">{t('transfers.eta', { time: formatDuration(overall.eta, locale) })}</span>
          )}
        </>
      )}
      <div className="spacer" />
      {clearable.length > 0 && (
        <button type="button" onClick={() => void store.clearFinished()}>
          {t('transfers.clear')}
        </button>
      )}
      <button
        type="button"
        aria-expanded={open}
        aria-controls="transfer-list"
        onClick={() => store.setTransfersOpen(!open)}
      >
        {open ? t('transfers.hide') : t('transfers.show')}
      </button>
    </div>
  );
}

/** The transfers panel: newest first, compact rows; its height is set by the resizable layout (App). */
export function TransfersPanel() {
  const transfers = useAppStore((s) => s.transfers);
  const open = useAppStore((s) => s.transfersOpen);
  const now = useNow(transfers.some(isCountingDown));
  return (
    <section className={`transfers ${open ? 'open' : ''}`} aria-labelledby="transfers-heading">
      <TransfersHeader transfers={transfers} open={open} now={now} />
      {open && (
        <ul id="transfer-list" className="transfer-list">
          {newestFirst(transfers).map((x) => (
            <TransferRow key={x.id} transfer={x} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
