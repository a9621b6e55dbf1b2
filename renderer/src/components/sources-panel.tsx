/**
 * The Sources panel: toolbar, the tree (with resizable columns) and the Details pane beside it.
 * The parts live in their own files: toolbar, tree area, details, context menu, selection info.
 */
import { FilterScope } from './search/server-search';
import { useCallback, useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n';
import { selectRows } from '../store';
import { useAppStore, useStoreApi } from '../store/context';
import { ContextMenu, DragAnnouncer, TreeFeedbackStatus, dragRowTexts, treeStrings } from './tree';
import type { DragLabels, FeedbackLabels } from './tree';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { DownloadConfirm } from './download-confirm';
import { PreviewDialog } from './details/preview-dialog';
import { isPreviewable } from './details/file-kinds';
import { DetailsAside } from './details-aside';
import { SourcesToolbar } from './sources-toolbar';
import { TreeArea } from './tree-area';
import { useSelectionInfo } from './use-selection-info';
import type { SelectionInfo } from './use-selection-info';
import { useSourcesMenu } from './use-sources-menu';
import { useSourcesCommands } from './tree/use-sources-commands';
import { Workspace, useDetailsShown } from './workspace';

/**
 * Drag-out: only the rows of a drag the user started show and announce how far it is (issue 22.1).
 * Selecting stages nothing; the browser host only fetches the selection's drag links ahead. Without
 * a folder picker (the browser host) a file too large to drag points to Download, not to Save to…
 * (23.8).
 */
function useDragStates(downloadable: string[], locale: 'en' | 'de') {
  const dragStates = useAppStore((s) => s.dragStates);
  const dragged = useAppStore((s) => s.draggedIds);
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
  const prefetchDrag = useStoreApi().getState().prefetchDrag;
  const words = locale === 'de' ? de.drag : en.drag;
  const labels: DragLabels = useMemo(
    () => (chooseFolder ? words : { ...words, saveTo: words.saveToHost, announceSaveTo: words.announceSaveToHost }),
    [chooseFolder, words],
  );
  const texts = useMemo(() => dragRowTexts(dragStates, labels, dragged), [dragStates, labels, dragged]);
  const key = downloadable.join('\n');
  useEffect(() => {
    prefetchDrag({ selection: key ? key.split('\n') : [] });
  }, [prefetchDrag, key]);
  return { states: dragStates, labels, texts, dragged };
}

interface TreeSectionProps {
  selection: SelectionInfo;
  dragTexts: ReadonlyMap<string, string>;
  onContextMenu(at: { x: number; y: number }): void;
}

/** The tree and what it does on activation, drag, Save to…; everything goes to the store. */
function TreeSection({ selection, dragTexts, onContextMenu }: TreeSectionProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const labels = treeStrings[locale];
  const rows = useAppStore(selectRows);
  const tree = useAppStore((s) => s.tree);
  const selected = useAppStore((s) => s.selected);
  const focusedId = useAppStore((s) => s.focusedId);
  const filter = useAppStore((s) => s.filter);
  const host = useAppStore((s) => s.info?.host);
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
  const a = useStoreApi().getState();
  const { downloadable } = selection;
  return (
    <TreeArea
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
      onPreview={(id) => {
        // Space on the one selected image, PDF or video opens its larger preview (issue 24.3).
        if (selected.size !== 1 || !selected.has(id) || !isPreviewable(tree.getNode(id))) return false;
        a.openPreview(id);
        return true;
      }}
      onRetry={(parentId) => void a.list(parentId, true)}
      onDragOutStart={(ids) => void a.startDrag(ids)}
      drag={{
        native: host === 'electron',
        rowText: dragTexts,
        onDwell: (id) => a.prefetchDrag({ dwell: id }),
        downloadUrl: (ids) => a.takeDownloadUrl(ids),
      }}
      onContextMenu={(_id, at) => onContextMenu(at)}
      onSaveTo={() => {
        // Electron: main's folder dialog; the browser host has none, so it downloads to the downloads folder.
        if (downloadable.length > 0) void a.download(downloadable, chooseFolder ? { chooseTarget: true } : {});
      }}
      labels={labels}
      locale={locale}
      ariaLabel={t('sources.treeLabel')}
      formatError={errorText}
      {...(filter ? { emptyText: labels.noMatches } : {})}
    />
  );
}

export function SourcesPanel() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const tree = useAppStore((s) => s.tree);
  const feedback = useAppStore((s) => s.feedback);
  const dismissFeedback = useAppStore((s) => s.dismissFeedback);
  const selection = useSelectionInfo();
  const drag = useDragStates(selection.downloadable, locale);
  const [detailsShown, setDetailsShown] = useDetailsShown();
  const detailsId = useId();
  const showDetails = useCallback(() => {
    setDetailsShown(true);
    // After the pane is rendered again.
    setTimeout(() => document.getElementById(detailsId)?.focus(), 0);
  }, [setDetailsShown, detailsId]);
  const menu = useSourcesMenu(selection, showDetails);
  const filterRef = useRef<HTMLInputElement>(null);
  useSourcesCommands(filterRef, showDetails);
  const nameOf = useCallback((id: string) => tree.getNode(id)?.name ?? id, [tree]);
  const feedbackLabels: FeedbackLabels = { ...(locale === 'de' ? de : en).treeFeedback, dismiss: t('app.dismiss') };
  const sources = (
    <section className="sources" aria-labelledby="sources-heading">
      <SourcesToolbar
        filterRef={filterRef}
        selection={selection}
        detailsShown={detailsShown}
        onDetailsShown={setDetailsShown}
      />
      <FilterScope />
      <TreeSection selection={selection} dragTexts={drag.texts} onContextMenu={menu.open} />
      <TreeFeedbackStatus
        current={feedback}
        dismiss={dismissFeedback}
        labels={feedbackLabels}
        formatError={errorText}
      />
    </section>
  );
  return (
    <Workspace
      sources={sources}
      details={<DetailsAside id={detailsId} selection={selection} />}
      detailsShown={detailsShown}
    >
      <DragAnnouncer
        states={drag.states}
        watched={drag.dragged}
        nameOf={nameOf}
        labels={drag.labels}
        formatError={errorText}
      />
      <DownloadConfirm />
      <PreviewDialog />
      {menu.at && <ContextMenu items={menu.items} label={t('sources.menu')} at={menu.at} onClose={menu.close} />}
    </Workspace>
  );
}
