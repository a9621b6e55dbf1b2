/** The Sources context menu: where it is open, and its commands for the selection. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../store/context';
import { displayPath, sourcesMenu, treeStrings } from './tree';
import type { MenuCommand } from './tree';
import { syncLayoutsFor, useSyncStore } from './sync/sync-store';
import type { SelectionInfo } from './use-selection-info';

export interface SourcesMenu {
  at: { x: number; y: number } | null;
  items: MenuCommand[];
  open(at: { x: number; y: number }): void;
  close(): void;
}

/** `showDetails`: shows the Details pane (if hidden) and focuses it. */
export function useSourcesMenu(selection: SelectionInfo, showDetails: () => void): SourcesMenu {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const host = useAppStore((s) => s.info?.host);
  const a = useStoreApi().getState();
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const close = useCallback(() => setAt(null), [setAt]);
  const { single } = selection;
  const keepInSync: MenuCommand[] =
    single && syncLayoutsFor(single).length > 0
      ? [
          {
            id: 'keepInSync',
            label: t('sync.keep'),
            separatorBefore: true,
            run: () => {
              useSyncStore.getState().openDraft(single.id);
              showDetails();
            },
          },
        ]
      : [];
  const items = at
    ? sourcesMenu({
        nodes: selection.nodes,
        canChooseFolder: host === 'electron',
        labels: {
          download: t('sources.download'),
          saveTo: t('sources.saveTo'),
          refresh: t('sources.refresh'),
          details: t('app.details'),
          copyPath: t('sources.copyPath'),
          openWebApp: t('sources.openWebApp'),
        },
        actions: {
          copyPath: (id) => void a.copyText(displayPath(id, (n) => a.tree.getNode(n), treeStrings[locale])),
          openWebApp: (id) => void a.openWebApp(id),
          download: (ids) => void a.download(ids),
          saveTo: (ids) => void a.download(ids, { chooseTarget: true }),
          refresh: (ids) => ids.forEach((id) => void a.list(id, true)),
          details: showDetails,
        },
      }).concat(keepInSync)
    : [];
  return { at, items, open: setAt, close };
}
