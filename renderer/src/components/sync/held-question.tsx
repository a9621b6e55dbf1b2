/**
 * What a pair row adds after a run the sync engine held or partly skipped: the held run's question
 * (main/sync/guard.ts: "Infomaniak reports 1,240 files removed from 'Projects'. Move them to the
 * trash here?" with its two answers), and the items the last run skipped, each with its path and
 * reason.
 */
import { useTranslation } from 'react-i18next';
import type { SyncPairStatus } from '../../../../shared/model/sync';
import { errorText } from '../../i18n';
import { formatNumber } from '../../i18n/locale';
import { useStoreApi } from '../../store/context';

export function HeldQuestion({ status }: { status: SyncPairStatus }) {
  const { t, i18n } = useTranslation();
  const a = useStoreApi().getState();
  const held = status.held;
  if (!held) return null;
  const n = (value: number) => formatNumber(value, i18n.language);
  const values = { name: status.pair.name, count: n(held.count), total: n(held.total) };
  const questionId = `sync-held-${status.pair.id}`;
  return (
    <div role="group" aria-labelledby={questionId} className="sync-held">
      <p id={questionId} role="alert">
        {t(`sync.held.${held.reason}`, values)}
      </p>
      <div className="details-actions">
        <button type="button" onClick={() => void a.decideSync(status.pair.id, 'confirm')}>
          {t(`sync.held.${held.reason}Confirm`)}
        </button>
        <button type="button" onClick={() => void a.decideSync(status.pair.id, 'keep')}>
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
