/**
 * The commands of the Sources context menu for what is selected. Pure: text and actions come in,
 * `MenuCommand`s go out, so a feature adds its command here (and a test next to it).
 */
import type { SourceNode } from '../../../../shared/model/sources';
import type { MenuCommand } from './context-menu';

export interface MenuLabels {
  download: string;
  saveTo: string;
  refresh: string;
  details: string;
}

export interface MenuActions {
  download(ids: string[]): void;
  /** Download into a folder the user picks in main's dialog. */
  saveTo(ids: string[]): void;
  /** List these expandable nodes again. */
  refresh(ids: string[]): void;
  /** Show (and focus) the details of the selection. */
  details(): void;
}

export interface MenuContext {
  /** The nodes the menu acts on (the selection), in visible order. */
  nodes: readonly SourceNode[];
  /** Whether main can show a folder dialog (the desktop app). */
  canChooseFolder: boolean;
  labels: MenuLabels;
  actions: MenuActions;
}

/** The folders a Refresh lists again: each expandable node itself, else its parent (each once). */
export function refreshTargets(nodes: readonly SourceNode[]): string[] {
  const ids = new Set<string>();
  for (const n of nodes) {
    if (n.expandable) ids.add(n.id);
    else if (n.parentId !== null) ids.add(n.parentId);
  }
  return [...ids];
}

export function sourcesMenu(ctx: MenuContext): MenuCommand[] {
  const { nodes, labels, actions } = ctx;
  const downloadable = nodes.filter((n) => n.downloadable && n.state?.kind !== 'disabled').map((n) => n.id);
  const refresh = refreshTargets(nodes);
  const items: MenuCommand[] = [
    {
      id: 'download',
      label: labels.download,
      disabled: downloadable.length === 0,
      run: () => actions.download(downloadable),
    },
  ];
  if (ctx.canChooseFolder) {
    items.push({
      id: 'saveTo',
      label: labels.saveTo,
      disabled: downloadable.length === 0,
      run: () => actions.saveTo(downloadable),
    });
  }
  items.push(
    {
      id: 'refresh',
      label: labels.refresh,
      separatorBefore: true,
      disabled: refresh.length === 0,
      run: () => actions.refresh(refresh),
    },
    { id: 'details', label: labels.details, separatorBefore: true, run: actions.details },
  );
  return items;
}
