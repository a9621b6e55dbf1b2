/**
 * A pair's Preview (dry run): the counts, what the run costs in requests to Infomaniak (and how
 * long that takes at 60 a minute), then the planned changes one per line (download, update,
 * rename, move, to trash, conflict, kept), the first 200 of them and "and N more". Folder
 * creations and files adopted as they are change nothing the user would look for.
 */
import { useTranslation } from 'react-i18next';
import type { SyncActionKind, SyncPlanItem, SyncPlanSummary } from '../../../../shared/model/sync';
import { formatList } from '../../i18n/locale';
import { formatSize } from '../tree/format';

export const PREVIEW_SHOWN = 200;

const LISTED: ReadonlySet<SyncActionKind> = new Set(['download', 'update', 'move', 'trash', 'conflict', 'keep']);

type Verb = 'download' | 'update' | 'rename' | 'move' | 'trash' | 'conflict' | 'keep';

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/** A move within one folder is a rename. */
export function verbOf(item: SyncPlanItem): Verb {
  if (item.kind === 'move')
    return item.to !== undefined && parentOf(item.to) === parentOf(item.path) ? 'rename' : 'move';
  return item.kind as Verb;
}

/** The listed items, and how many listed kinds the plan holds in all. */
export function listedItems(preview: SyncPlanSummary): { items: SyncPlanItem[]; total: number } {
  const items = preview.items.filter((i) => LISTED.has(i.kind)).slice(0, PREVIEW_SHOWN);
  let total = 0;
  for (const kind of LISTED) total += preview.counts[kind] ?? 0;
  return { items, total: Math.max(total, items.length) };
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** What the plan would change, said in words: "The next run would download 3 files and update 1 file." */
export function previewSentence(preview: SyncPlanSummary, t: T, language: string): string {
  const c = preview.counts;
  const parts: Array<[string, number]> = [
    ['sync.previewDownload', c.download],
    ['sync.previewUpdate', c.update],
    ['sync.previewMove', c.move],
    ['sync.previewTrash', c.trash],
    ['sync.previewConflict', c.conflict],
  ];
  const said = parts.filter(([, n]) => n > 0).map(([key, n]) => t(key, { count: n }));
  return said.length === 0 ? t('sync.previewNothing') : t('sync.previewTitle', { list: formatList(said, language) });
}

/** The token's budget: requests a minute. */
const PER_MINUTE = 60;

/** "It takes at least 1,000 requests to Infomaniak: at 60 a minute, about 17 minutes." (nothing when none) */
export function costSentence(requests: number | undefined, t: T): string | null {
  if (!requests) return null;
  if (requests <= PER_MINUTE) return t('sync.previewCost', { count: requests });
  const minutes = Math.ceil(requests / PER_MINUTE);
  const duration =
    minutes < 120 ? t('sync.minutes', { count: minutes }) : t('sync.hours', { count: Math.round(minutes / 60) });
  return t('sync.previewCostLong', { count: requests, duration });
}

function PlanLine({ item }: { item: SyncPlanItem }) {
  const { t, i18n } = useTranslation();
  const verb = verbOf(item);
  const size = item.size !== undefined ? formatSize(item.size, i18n.language === 'de' ? 'de' : 'en') : '';
  return (
    <li className={`sync-plan-${verb}`}>
      <span className="sync-plan-verb">{t(`sync.plan.${verb}`)}</span>{' '}
      <span className="sync-plan-path">{item.path}</span>
      {item.to !== undefined && (
        <>
          {' → '}
          <span className="sync-plan-path">{item.to}</span>
        </>
      )}
      {size && <span className="muted"> ({size})</span>}
    </li>
  );
}

export function SyncPreview({ preview, onDismiss }: { preview: SyncPlanSummary; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const { items, total } = listedItems(preview);
  const more = total - items.length;
  const cost = costSentence(preview.requests, t);
  return (
    <section className="sync-preview" aria-label={t('sync.preview')}>
      <div role="status">
        {previewSentence(preview, t, i18n.language)}{' '}
        <button type="button" onClick={onDismiss}>
          {t('app.dismiss')}
        </button>
      </div>
      {cost && <p className="muted">{cost}</p>}
      {items.length === 0 ? (
        <p className="muted">{t('sync.planNothing')}</p>
      ) : (
        <ul className="sync-plan" aria-label={t('sync.planList')}>
          {items.map((item, i) => (
            <PlanLine key={`${i}:${item.path}`} item={item} />
          ))}
        </ul>
      )}
      {more > 0 && <p className="muted">{t('sync.planMore', { count: more })}</p>}
    </section>
  );
}
