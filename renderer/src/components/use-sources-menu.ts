/** The Sources context menu: where it is open, and its commands for the selection. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore, useStoreApi } from '../store/context';
import { copyablePath, displayName, sourcesMenu, treeStrings } from './tree';
import type { MenuCommand, TreeLabels } from './tree';
import { syncLayoutsFor } from '../store';
import type { Store } from '../store';
import type { SelectionInfo } from './use-selection-info';
import { menuShortcut } from './shortcuts';

export interface SourcesMenu {
  at: { x: number; y: number } | null;
  items: MenuCommand[];
  open(at: { x: number; y: number }): void;
  close(): void;
}

/**
 * Copies a node's path (`copyablePath`: its path in kDrive, as Details shows it, else its location
 * in the tree), and says how that went in the tree's feedback line.
 */
export async function copyPath(a: Store, id: string, labels: TreeLabels): Promise<void> {
  const node = a.tree.getNode(id);
  const path = copyablePath(id, (n) => a.tree.getNode(n), labels);
  if (!node || !path) return;
  const result = await a.copyText(path.text);
  const name = displayName(node, labels);
  a.showFeedback(
    result.ok
      ? { kind: 'pathCopied', name, ...(path.kind === 'location' ? { location: true } : {}) }
      : { kind: 'copyFailed', name, ...(result.error ? { error: result.error } : {}) },
  );
}

/** `showDetails`: shows the Details pane (if hidden) and focuses it. */
export function useSourcesMenu(selection: SelectionInfo, showDetails: () => void): SourcesMenu {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  const chooseFolder = useAppStore((s) => s.info?.capabilities.chooseFolder ?? false);
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
              a.openSyncDraft(single.id);
              showDetails();
            },
          },
        ]
      : [];
  const items = at
    ? sourcesMenu({
        nodes: selection.nodes,
        canChooseFolder: chooseFolder,
        shortcuts: {
          download: menuShortcut('download'),
          saveTo: menuShortcut('saveTo'),
          refresh: menuShortcut('refresh'),
          copyPath: menuShortcut('copyPath'),
          details: menuShortcut('details'),
        },
        labels: {
          download: t('sources.download'),
          saveTo: t('sources.saveTo'),
          refresh: t('sources.refresh'),
          details: t('app.details'),
          copyPath: t('sources.copyPath'),
          copyLocation: t('sources.copyLocation'),
          openWebApp: t('sources.openWebApp'),
        },
        actions: {
          copyPath: (id) => void copyPath(a, id, treeStrings[locale]),
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
