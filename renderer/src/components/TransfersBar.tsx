import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../../../shared/model/transfers';
import { errorText } from '../i18n';
import { useAppStore, useStoreApi } from '../store/context';
import { formatSize } from './tree';

function formatEta(seconds: number, locale: 'en' | 'de'): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return locale === 'de' ? `${Math.round(seconds / 60)} Min.` : `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return locale === 'de' ? `${h} Std. ${m} Min.` : `${h} h ${m} min`;
}

/** "Waiting for Infomaniak's rate limit, 12 s", counting down once a second. */
function WaitingNote({ until }: { until: number }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>{t('transfers.waiting', { seconds: Math.max(1, Math.ceil((until - now) / 1000)) })}</span>;
}

function TransferRow({ transfer }: { transfer: Transfer }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const act = useStoreApi().getState().transferAction;
  const pct = transfer.bytesTotal ? Math.min(100, Math.round((transfer.bytesDone / transfer.bytesTotal) * 100)) : null;
  const running = transfer.state === 'running' || transfer.state === 'queued';
  const name = transfer.kind === 'selection' ? t('transfers.selection', { count: transfer.items }) : transfer.name;
  return (
    <li className={`transfer transfer-${transfer.state}`} aria-label={name}>
      <div className="transfer-main">
        <span className="transfer-name" title={transfer.targetPath ?? name}>
          {name}
        </span>
        <span className="transfer-state">{t(`transfers.${transfer.state}`)}</span>
      </div>
      <progress
        max={100}
        value={transfer.state === 'done' ? 100 : (pct ?? undefined)}
        aria-label={`${name}: ${t(`transfers.${transfer.state}`)}`}
      />
      <div className="transfer-meta muted small">
        <span>
          {formatSize(transfer.bytesDone, locale)}
          {transfer.bytesTotal !== null && ` / ${formatSize(transfer.bytesTotal, locale)}`}
        </span>
        {transfer.filesTotal !== null && transfer.filesTotal > 1 && (
          <span>{t('transfers.files', { done: transfer.filesDone, total: transfer.filesTotal })}</span>
        )}
        {transfer.state === 'running' && transfer.speed > 0 && <span>{formatSize(transfer.speed, locale)}/s</span>}
        {transfer.state === 'running' && transfer.etaSeconds !== null && (
          <span>{t('transfers.eta', { time: formatEta(transfer.etaSeconds, locale) })}</span>
        )}
        {transfer.resumes > 0 && <span>{t('transfers.resumed', { count: transfer.resumes })}</span>}
        {running && transfer.waitingUntil !== null && <WaitingNote until={transfer.waitingUntil} />}
        {transfer.state === 'done' && transfer.verified && (
          <span>{t(transfer.verified === 'size+hash' ? 'transfers.verifiedHash' : 'transfers.verifiedSize')}</span>
        )}
        {transfer.state === 'done' && transfer.targetPath && (
          <span className="transfer-path">{t('transfers.savedIn', { dir: transfer.targetPath })}</span>
        )}
      </div>
      {transfer.renamedCount === 1 && transfer.renamed[0] && (
        <p className="small">{t('transfers.renamed', { from: transfer.renamed[0][0], to: transfer.renamed[0][1] })}</p>
      )}
      {transfer.renamedCount > 1 && (
        <p className="small" title={transfer.renamed.map(([a, b]) => `${a} → ${b}`).join('\n')}>
          {t('transfers.renamedMore', { count: transfer.renamedCount })}
        </p>
      )}
      {transfer.error && transfer.state === 'failed' && (
        <p className="error-text small" role="alert">
          {errorText(transfer.error)}
        </p>
      )}
      <div className="transfer-actions">
        {running && (
          <button
            type="button"
            onClick={() => void act('cancel', transfer.id)}
            aria-label={`${t('transfers.cancel')}: ${name}`}
          >
            {t('transfers.cancel')}
          </button>
        )}
        {(transfer.state === 'failed' || transfer.state === 'cancelled') && (
          <button
            type="button"
            onClick={() => void act('retry', transfer.id)}
            aria-label={`${t('transfers.retry')}: ${name}`}
          >
            {t('transfers.retry')}
          </button>
        )}
        {transfer.state === 'done' && transfer.targetPath && (
          <>
            <button
              type="button"
              onClick={() => void act('open', transfer.id)}
              aria-label={`${t('transfers.open')}: ${name}`}
            >
              {t('transfers.open')}
            </button>
            <button
              type="button"
              onClick={() => void act('reveal', transfer.id)}
              aria-label={`${t('transfers.reveal')}: ${name}`}
            >
              {t('transfers.reveal')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

export function TransfersBar() {
  const { t } = useTranslation();
  const transfers = useAppStore((s) => s.transfers);
  const open = useAppStore((s) => s.transfersOpen);
  const store = useStoreApi().getState();
  const running = transfers.filter((x) => x.state === 'running' || x.state === 'queued').length;
  const done = transfers.filter((x) => x.state === 'done').length;
  return (
    <section className={`transfers ${open ? 'open' : ''}`} aria-labelledby="transfers-heading">
      <div className="transfers-bar">
        <h2 id="transfers-heading">{t('transfers.title')}</h2>
        <span className="muted small" role="status">
          {transfers.length === 0 ? t('transfers.none') : t('transfers.summary', { running, done })}
        </span>
        <div className="spacer" />
        {done > 0 && (
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
      {open && (
        <ul id="transfer-list" className="transfer-list">
          {transfers.map((x) => (
            <TransferRow key={x.id} transfer={x} />
          ))}
        </ul>
      )}
    </section>
  );
}
