import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n';
import { selectRows } from '../store';
import { useAppStore, useStoreApi } from '../store/context';
import { ContextMenu, DetailsPane, DragAnnouncer, SourcesTree, dragRowTexts, sourcesMenu, treeStrings } from './tree';
import type { DragLabels } from './tree';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { CalendarWindow } from './calendar-window';
import { KeepInSync } from './sync/keep-in-sync';
import { syncLayoutsFor, useSyncStore } from './sync/sync-store';
import { DownloadConfirm } from './download-confirm';
import { selectionTotals } from './tree/selection-summary';
import { useSourcesCommands } from './tree/use-sources-commands';

export function SourcesPanel() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const labels = treeStrings[locale];
  const rows = useAppStore(selectRows);
  const tree = useAppStore((s) => s.tree);
  const selected = useAppStore((s) => s.selected);
  const focusedId = useAppStore((s) => s.focusedId);
  const filter = useAppStore((s) => s.filter);
  const host = useAppStore((s) => s.info?.host);
  const a = useStoreApi().getState();
  const [filterText, setFilterText] = useState(filter);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const closeMenu = useCallback(() => setMenuAt(null), [setMenuAt]);
  const detailsId = useId();
  const filterRef = useRef<HTMLInputElement>(null);
  useSourcesCommands(filterRef, detailsId);

  const selectedNodes = useMemo(
    () => [...selected].map((id) => tree.getNode(id)).filter((n) => n !== undefined),
    [selected, tree],
  );
  const single = selectedNodes.length === 1 ? selectedNodes[0]! : null;
  const downloadable = selectedNodes.filter((n) => n.downloadable).map((n) => n.id);
  const totals = useMemo(() => selectionTotals(selectedNodes), [selectedNodes]);
  const listing = single ? tree.getListing(single.id) : undefined;
  const itemCount =
    listing?.total ?? (listing?.done && !listing.error ? tree.state.children.get(single!.id)?.length : undefined);
  const whyNoDownload =
    downloadable.length > 0
      ? ''
      : selectedNodes.length === 0
        ? t('sources.whyNoSelection')
        : t('sources.whyNotDownloadable');
  const whyId = useId();
  // Drag-out: selecting prepares (stages) the selection; rows and a live region say how far it is.
  const dragStates = useAppStore((s) => s.dragStates);
  const dragLabels: DragLabels = locale === 'de' ? de.drag : en.drag;
  const dragTexts = useMemo(() => dragRowTexts(dragStates, dragLabels), [dragStates, dragLabels]);
  const downloadableKey = downloadable.join('\n');
  const prepareDrag = a.prepareDrag;
  useEffect(() => {
    void prepareDrag({ selection: downloadableKey ? downloadableKey.split('\n') : [] });
  }, [prepareDrag, downloadableKey]);
  const nameOf = useCallback((id: string) => tree.getNode(id)?.name ?? id, [tree]);
  const menuItems = menuAt
    ? sourcesMenu({
        nodes: selectedNodes,
        canChooseFolder: host === 'electron',
        labels: {
          download: t('sources.download'),
          saveTo: t('sources.saveTo'),
          refresh: t('sources.refresh'),
          details: t('app.details'),
        },
        actions: {
          download: (ids) => void a.download(ids),
          saveTo: (ids) => void a.download(ids, { chooseTarget: true }),
          refresh: (ids) => ids.forEach((id) => void a.list(id, true)),
          details: () => document.getElementById(detailsId)?.focus(),
        },
      }).concat(
        single && syncLayoutsFor(single).length > 0
          ? [
              {
                id: 'keepInSync',
                label: t('sync.keep'),
                separatorBefore: true,
                run: () => {
                  useSyncStore.getState().openDraft(single.id);
                  document.getElementById(detailsId)?.focus();
                },
              },
            ]
          : [],
      )
    : [];

  return (
    <main className="workspace">
      <section className="sources" aria-labelledby="sources-heading">
        <div className="toolbar">
          <h2 id="sources-heading" className="visually-hidden">
            {t('app.sources')}
          </h2>
          <input
            ref={filterRef}
            type="search"
            className="filter"
            aria-label={t('sources.filter')}
            placeholder={t('sources.filter')}
            value={filterText}
            onChange={(e) => {
              setFilterText(e.target.value);
              a.setFilter(e.target.value);
            }}
          />
          <button type="button" onClick={() => void a.refreshAll()}>
            {t('sources.refresh')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={downloadable.length === 0}
            onClick={() => void a.download(downloadable)}
            title={whyNoDownload || undefined}
            aria-describedby={whyNoDownload ? whyId : undefined}
          >
            {t('sources.download')}
          </button>
          <span id={whyId} className="visually-hidden">
            {whyNoDownload}
          </span>
          {host === 'electron' && (
            <button
              type="button"
              disabled={downloadable.length === 0}
              onClick={() => void a.download(downloadable, { chooseTarget: true })}
            >
              {t('sources.downloadTo')}
            </button>
          )}
        </div>
        {filter.trim() !== '' && <p className="filter-scope muted">{t('sources.filterScope')}</p>}
        <SourcesTree
          rows={rows}
          selectedIds={selected}
          focusedId={focusedId}
          onFocus={a.focus}
          onToggle={(id, expand) => void a.toggle(id, expand)}
          onActivate={(id) => {
            const node = tree.getNode(id);
            if (!node) return;
            if (node.kind === 'error' && node.state?.retryable && node.parentId) void a.list(node.parentId, true);
            else if (node.expandable) void a.toggle(id, !tree.isExpanded(id));
            else if (node.downloadable) void a.download([id]);
          }}
          onSelect={a.select}
          onDownload={(id) => void a.download(selected.has(id) ? downloadable : [id])}
          onRetry={(parentId) => void a.list(parentId, true)}
          onDragOutStart={(ids) => void a.startDrag(ids)}
          drag={{
            native: host === 'electron',
            rowText: dragTexts,
            onDwell: (id) => void a.prepareDrag({ dwell: id }),
            downloadUrl: (ids) => a.takeDownloadUrl(ids),
          }}
          onContextMenu={(_id, at) => setMenuAt(at)}
          onSaveTo={() => {
            // Electron: main's folder dialog; the browser host has none, so it downloads to the downloads folder.
            if (downloadable.length > 0)
              void a.download(downloadable, host === 'electron' ? { chooseTarget: true } : {});
          }}
          labels={labels}
          locale={locale}
          ariaLabel={t('sources.treeLabel')}
          formatError={errorText}
          {...(filter ? { emptyText: labels.noMatches } : {})}
        />
      </section>
      <DragAnnouncer states={dragStates} watched={downloadable} nameOf={nameOf} labels={dragLabels} />
      <DownloadConfirm />
      {menuAt && <ContextMenu items={menuItems} label={t('sources.menu')} at={menuAt} onClose={closeMenu} />}
      <aside id={detailsId} className="details" aria-label={t('app.details')} tabIndex={-1}>
        <DetailsPane
          node={single}
          selectedCount={selectedNodes.length}
          totals={totals}
          {...(itemCount !== undefined ? { itemCount } : {})}
          labels={labels}
          locale={locale}
        />
        {single?.kind === 'calendar' && <CalendarWindow nodeId={single.id} />}
        <KeepInSync node={single} canChooseFolder={host === 'electron'} />
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
    </main>
  );
}
