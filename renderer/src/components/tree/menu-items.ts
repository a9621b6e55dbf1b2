/**
 * The commands of the Sources context menu for what is selected. Pure: text and actions come in,
 * `MenuCommand`s go out, so a feature adds its command here (and a test next to it).
 */
import type { SourceNode } from '../../../../shared/model/sources';
import type { MenuCommand } from './context-menu';

/** What an item shows beside its label, and announces ("Ctrl+S" / "Control+S"). */
export type ShortcutText = { text: string; aria: string };

export interface MenuLabels {
  download: string;
  saveTo: string;
  refresh: string;
  details: string;
  /** "Copy path in kDrive": for items with a path in their drive. */
  copyPath?: string;
  /** "Copy location": for items without one (their place in the tree). */
  copyLocation?: string;
  openWebApp?: string;
}

export interface MenuActions {
  download(ids: string[]): void;
  /** Download into a folder the user picks in main's dialog. */
  saveTo(ids: string[]): void;
  /** List these expandable nodes again. */
  refresh(ids: string[]): void;
  /** Show (and focus) the details of the selection. */
  details(): void;
  /** Copy the node's path (`copyablePath`: its path in kDrive, else its location in the tree). */
  copyPath?(id: string): void;
  /** Open the node's page in the Infomaniak web app (main builds the URL from the id). */
  openWebApp?(id: string): void;
}

export interface MenuContext {
  /** The nodes the menu acts on (the selection), in visible order. */
  nodes: readonly SourceNode[];
  /** The keys of the commands that have one (shown beside them). */
  shortcuts?: Partial<Record<'download' | 'saveTo' | 'refresh' | 'copyPath' | 'details', ShortcutText>>;
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

/** Kinds that have a path of their own below a service (connections, and error rows, have none). */
const NO_PATH = new Set(['connection', 'error']);
/** Kinds with a page in an Infomaniak web app (accounts, connections and error rows have none). */
const NO_WEB_PAGE = new Set(['connection', 'account', 'error']);

export function hasWebPage(node: SourceNode): boolean {
  return node.service !== undefined && !NO_WEB_PAGE.has(node.kind) && node.state?.kind !== 'disabled';
}

/** Copy path and Open in the web app: for one node, where they apply. */
function nodeItems(ctx: MenuContext): MenuCommand[] {
  const { nodes, labels, actions } = ctx;
  const node = nodes.length === 1 ? nodes[0]! : null;
  if (!node) return [];
  const items: MenuCommand[] = [];
  // The menu says which form it copies: the path in kDrive (as Details shows it), or the location.
  const copyLabel = node.details?.path ? labels.copyPath : (labels.copyLocation ?? labels.copyPath);
  if (actions.copyPath && copyLabel && !NO_PATH.has(node.kind)) {
    const copy = actions.copyPath;
    items.push({ id: 'copyPath', label: copyLabel, run: () => copy(node.id) });
  }
  if (actions.openWebApp && labels.openWebApp && hasWebPage(node)) {
    const open = actions.openWebApp;
    items.push({ id: 'openWebApp', label: labels.openWebApp, run: () => open(node.id) });
  }
  if (items[0]) items[0].separatorBefore = true;
  return items;
}

/** The item with its key, when it has one. */
function withKey(ctx: MenuContext, item: MenuCommand): MenuCommand {
  const shortcut = ctx.shortcuts?.[item.id as keyof NonNullable<MenuContext['shortcuts']>];
  return shortcut ? { ...item, shortcut } : item;
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
    ...nodeItems(ctx),
    { id: 'details', label: labels.details, separatorBefore: true, run: actions.details },
  );
  return items.map((item) => withKey(ctx, item));
}
