/** The Details pane beside the tree: what is selected, its calendar window, Keep in sync, and actions. */
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n';
import { useAppStore, useStoreApi } from '../store/context';
import { DetailsPane, copyablePath, treeStrings } from './tree';
import { CalendarWindow } from './calendar-window';
import { KeepInSync } from './sync/keep-in-sync';
import { PreviewPane } from './details/preview';
import { VersionsSection } from './details/versions';
import type { SelectionInfo } from './use-selection-info';

export function DetailsAside({ id, selection }: { id: string; selection: SelectionInfo }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
  const a = useStoreApi().getState();
  const { single, downloadable, itemCount } = selection;
  const tree = useAppStore((s) => s.tree);
  const where = single ? copyablePath(single.id, (id) => tree.getNode(id), treeStrings[locale]) : null;
  const location = where?.kind === 'location' ? where.text : undefined;
  return (
    <aside id={id} className="details" aria-label={t('app.details')} tabIndex={-1}>
      <DetailsPane
        node={single}
        selectedCount={selection.nodes.length}
        totals={selection.totals}
        {...(itemCount !== undefined ? { itemCount } : {})}
        {...(location ? { location } : {})}
        labels={treeStrings[locale]}
        locale={locale}
        formatError={errorText}
      />
      <PreviewPane node={single} />
      <VersionsSection node={single} />
      {single?.kind === 'calendar' && <CalendarWindow nodeId={single.id} />}
      <KeepInSync node={single} canChooseFolder={chooseFolder} />
      {single?.kind === 'error' && single.state?.retryable && single.parentId && (
        <div className="details-actions">
          <button type="button" onClick={() => void a.list(single.parentId!, true)}>
            {t('transfers.retry')}
          </button>
        </div>
      )}
      {single?.state?.kind === 'disabled' && single.service === 'mail' && (
        <p className="muted">{t('sources.mailBlocked')}</p>
      )}
      {downloadable.length > 0 && (
        <div className="details-actions">
          <button type="button" className="primary" onClick={() => void a.download(downloadable)}>
            {t('sources.download')}
          </button>
        </div>
      )}
    </aside>
  );
}
