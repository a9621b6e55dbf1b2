/**
 * What the window-wide shortcuts and the application menu's commands do in the Sources view (see
 * hooks/use-app-shortcuts.ts): Find focuses the filter, Refresh lists the focused folder again
 * (a file's folder; nothing focused: everything expanded), Esc clears the selection, Show
 * transfers / Show details open them, Add connection / Settings / Keyboard shortcuts open their
 * dialogs, Copy path copies the focused item's path.
 */
import type { RefObject } from 'react';
import type { AppCommand } from '../../../../shared/model/commands';
import { useTranslation } from 'react-i18next';
import { useStoreApi } from '../../store/context';
import { copyPath } from '../use-sources-menu';
import { treeStrings } from './tree-strings';
import { useAppShortcuts } from './hooks/use-app-shortcuts';
import { refreshTargets } from './menu-items';

/** `showDetails`: shows the Details pane (the user may have hidden it) and focuses it. */
export function useSourcesCommands(filterRef: RefObject<HTMLInputElement | null>, showDetails: () => void): void {
  const store = useStoreApi();
  const { i18n } = useTranslation();
  const locale = i18n.language === 'de' ? 'de' : 'en';
  useAppShortcuts((command: AppCommand) => {
    const s = store.getState();
    switch (command) {
      case 'find':
        filterRef.current?.focus();
        filterRef.current?.select();
        return;
      case 'refresh': {
        const node = s.focusedId ? s.tree.getNode(s.focusedId) : undefined;
        const targets = node ? refreshTargets([node]) : [];
        if (targets.length === 0) void s.refreshAll();
        else for (const id of targets) void s.list(id, true);
        return;
      }
      case 'clearSelection':
        if (s.selected.size > 0) s.select([], 'replace');
        return;
      case 'showTransfers':
        s.setTransfersOpen(true);
        return;
      case 'showDetails':
        showDetails();
        return;
      case 'addConnection':
        s.openDialog({ kind: 'add' });
        return;
      case 'settings':
        s.openDialog({ kind: 'settings' });
        return;
      case 'shortcuts':
        s.openDialog({ kind: 'shortcuts' });
        return;
      case 'copyPath':
        if (s.focusedId) void copyPath(s, s.focusedId, treeStrings[locale]);
        return;
    }
  });
}
