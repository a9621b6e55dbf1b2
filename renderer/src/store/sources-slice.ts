/** The sources slice: the Sources tree snapshot, its listings, the selection, focus and filter. */
import { DEFAULT_SORT, sortSpecSchema } from '../../../shared/model/layout';
import type { SortColumn, SortSpec } from '../../../shared/model/layout';
import type { SourceNode, SourcePage } from '../../../shared/model/sources';
import { readStored, writeStored } from './local-storage';
import { createTreeModel } from './tree/snapshot';
import { MAX_DEPTH } from './tree/model';
import type { SelectMode } from './tree/model';
import type { TreeModel } from './tree/snapshot';
import type { GetStore, SetStore } from './slice-tools';
import { ExpandedMemory, pageStorage } from './expanded-memory';

export interface SourcesSliceState {
  /** An immutable snapshot of the Sources tree: every change publishes a new one. */
  tree: TreeModel;
  selected: ReadonlySet<string>;
  focusedId: string | null;
  filter: string;
  /** How content is sorted (column header); remembered in localStorage. */
  sort: SortSpec;
}

export const SORT_KEY = 'poweron.layout.sort';

/**
 * The sort after a click on a column's header: the same column turns around; another column starts
 * with the order Finder starts it with (names A→Z, sizes and dates largest and newest first).
 */
export function nextSort(current: SortSpec, column: SortColumn): SortSpec {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'name' ? 'asc' : 'desc' };
}

export interface SourcesSliceActions {
  setRoots(roots: SourceNode[]): void;
  /** A streamed `sources:page` (from the bridge). */
  applyPage(page: SourcePage): void;
  toggle(id: string, expand: boolean): Promise<void>;
  list(id: string, refresh?: boolean): Promise<void>;
  refreshAll(): Promise<void>;
  select(ids: string[], mode: SelectMode): void;
  focus(id: string): void;
  /** Filters the loaded rows; selected rows the filter hides are deselected. */
  setFilter(filter: string): void;
  /** Sorts by `column` (see `nextSort`), remembered for the next start. */
  sortBy(column: SortColumn): void;
  /**
   * Show in tree, once the item is loaded: opens every folder above it, and when the filter hides
   * it, clears the filter (the feedback line says so; a filter that shows it stays), then selects
   * and focuses it. False when the item is not in the tree.
   */
  revealNode(id: string): Promise<boolean>;
}

export function createSourcesSlice(
  set: SetStore,
  get: GetStore,
  expanded = new ExpandedMemory(pageStorage()),
): SourcesSliceState & SourcesSliceActions {
  /** Expanded before a reload: expand again now that the node is there. */
  const restore = (ids: readonly string[]) => {
    for (const id of expanded.take(ids)) if (!get().tree.isExpanded(id)) void get().toggle(id, true);
  };
  return {
    tree: createTreeModel(),
    selected: new Set(),
    focusedId: null,
    filter: '',
    sort: readStored(SORT_KEY, sortSpecSchema, DEFAULT_SORT),

    setRoots(roots) {
      const tree = get().tree.withRoots(roots);
      set({ tree });
      // Keep expanded connections listed: a new root that was expanded before gets its children again.
      for (const root of roots) if (tree.isExpanded(root.id) && tree.needsLoad(root.id)) void get().list(root.id);
      restore(roots.map((r) => r.id));
    },
    applyPage(page) {
      const tree = get().tree.withPage(page);
      if (tree !== get().tree) set({ tree });
      if (page.nodes.length > 0) restore(page.nodes.filter((n) => n.expandable).map((n) => n.id));
    },
    async toggle(id, expand) {
      expanded.remember(id, expand);
      set({ tree: get().tree.withExpanded(id, expand) });
      if (expand && get().tree.needsLoad(id)) await get().list(id);
    },
    async list(id, refresh = false) {
      const api = get().api;
      if (!api) return;
      set({ tree: get().tree.withLoading(id) });
      const result = await api.sourcesList(refresh ? { nodeId: id, refresh } : { nodeId: id });
      const tree = get().tree;
      set({ tree: result.ok ? tree.withLoading(id, result.value.listingId) : tree.withError(id, result.error) });
    },
    async refreshAll() {
      const api = get().api;
      if (!api) return;
      await api.sourcesRefresh({});
      const { tree } = get();
      for (const id of tree.state.expanded) {
        if (tree.getNode(id)?.expandable) void get().list(id);
      }
    },
    select(ids, mode) {
      const current = new Set(get().selected);
      if (mode === 'replace' || mode === 'range') {
        set({ selected: new Set(ids) });
        return;
      }
      for (const id of ids) {
        if (current.has(id)) current.delete(id);
        else current.add(id);
      }
      set({ selected: current });
    },
    focus: (id) => set({ focusedId: id }),
    setFilter(filter) {
      // The filter never acts on what it hides: hidden rows leave the selection.
      const { tree, selected } = get();
      if (selected.size === 0) return set({ filter });
      const visible = new Set(tree.rows(filter).map((r) => r.id));
      const kept = [...selected].filter((id) => visible.has(id));
      set(kept.length === selected.size ? { filter } : { filter, selected: new Set(kept) });
    },
    revealNode: (id) => revealNode(get, id),
    sortBy(column) {
      const sort = nextSort(get().sort, column);
      writeStored(SORT_KEY, sort);
      set({ sort });
    },
  };
}

/** `SourcesSliceActions.revealNode`. */
async function revealNode(get: GetStore, id: string): Promise<boolean> {
  const node = get().tree.getNode(id);
  if (!node) return false;
  const above: string[] = [];
  for (let p = node.parentId; p !== null && above.length < MAX_DEPTH;) {
    above.unshift(p);
    p = get().tree.getNode(p)?.parentId ?? null;
  }
  for (const p of above) if (!get().tree.isExpanded(p)) await get().toggle(p, true);
  const s = get();
  if (s.filter.trim() !== '' && !s.tree.rows(s.filter).some((row) => row.id === id)) {
    s.setFilter('');
    s.showFeedback({ kind: 'filterCleared', name: node.name });
  }
  s.select([id], 'replace');
  s.focus(id);
  return true;
}
