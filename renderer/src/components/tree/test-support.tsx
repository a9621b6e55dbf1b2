/** Test helpers for the tree (not shipped code paths; imported by *.test.ts(x) only). */
import { useState } from 'react';
import type { ReactElement } from 'react';
import { flatten } from '../../store/tree/model';
import type { VisibleRow } from '../../store/tree/model';
import type { TreeModel } from '../../store/tree/snapshot';
import { SourcesTree } from './sources-tree';
import type { SelectMode, SourcesTreeProps } from './sources-tree';
import { en } from './tree-strings';
import type { TreeLabels } from './tree-strings';

export { file, folder, manyFiles, page } from '../../store/tree/test-support';

/**
 * The rows as the children arrived (the tree component's tests are about focus, selection and keys;
 * the sorted order has its own tests in store/tree/order.test.ts). Memoised per snapshot and filter.
 */
const arrival = new WeakMap<TreeModel, { filter: string; rows: VisibleRow[] }>();
function arrivalOrder(tree: TreeModel, filter: string): VisibleRow[] {
  const cached = arrival.get(tree);
  if (cached?.filter === filter) return cached.rows;
  const rows = flatten(tree.state, tree.rootIds, filter);
  arrival.set(tree, { filter, rows });
  return rows;
}

export const RECT = { width: 800, height: 560 }; // 20 rows of 28 px

export interface HarnessSpies {
  onFocus: (id: string) => void;
  onToggle: (id: string, expand: boolean) => void;
  onActivate: (id: string) => void;
  onSelect: (ids: string[], mode: SelectMode) => void;
  onRetry: (parentId: string) => void;
  onDragOutStart?: SourcesTreeProps['onDragOutStart'];
}

/**
 * A minimal stateful owner, standing in for the store: focus, selection and the tree snapshot in
 * React state; expanding marks a never-listed folder as loading (tests deliver pages). A new `model`
 * prop replaces the local snapshot.
 */
export function Harness({
  model,
  spies,
  filter = '',
  initialSelected = [],
  initialFocus = null,
  locale = 'en',
  onContextMenu,
  onSaveTo,
  onDownload,
  labels = en,
  syncedTo,
}: {
  model: TreeModel;
  spies: HarnessSpies;
  filter?: string;
  initialSelected?: string[];
  initialFocus?: string | null;
  locale?: 'en' | 'de';
  onContextMenu?: SourcesTreeProps['onContextMenu'];
  onSaveTo?: SourcesTreeProps['onSaveTo'];
  onDownload?: SourcesTreeProps['onDownload'];
  labels?: TreeLabels;
  syncedTo?: SourcesTreeProps['syncedTo'];
}): ReactElement {
  const [local, setLocal] = useState({ from: model, tree: model });
  let tree = local.tree;
  if (local.from !== model) {
    tree = model;
    setLocal({ from: model, tree: model }); // a new snapshot from the test (render-time update)
  }
  const [focusedId, setFocused] = useState<string | null>(initialFocus);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(initialSelected));
  return (
    <SourcesTree
      rows={arrivalOrder(tree, filter)}
      selectedIds={selected}
      focusedId={focusedId}
      labels={labels}
      locale={locale}
      ariaLabel="Sources"
      initialRect={RECT}
      onFocus={(id) => {
        spies.onFocus(id);
        setFocused(id);
      }}
      onToggle={(id, expand) => {
        spies.onToggle(id, expand);
        setLocal((prev) => {
          let next = prev.tree.withExpanded(id, expand);
          if (expand && next.needsLoad(id)) next = next.withLoading(id);
          return { from: prev.from, tree: next };
        });
      }}
      onActivate={spies.onActivate}
      onSelect={(ids, mode) => {
        spies.onSelect(ids, mode);
        setSelected((prev) => {
          if (mode === 'toggle') {
            const next = new Set(prev);
            for (const id of ids) {
              if (next.has(id)) next.delete(id);
              else next.add(id);
            }
            return next;
          }
          return new Set(ids);
        });
      }}
      onRetry={spies.onRetry}
      {...(spies.onDragOutStart ? { onDragOutStart: spies.onDragOutStart } : {})}
      {...(onContextMenu ? { onContextMenu } : {})}
      {...(onSaveTo ? { onSaveTo } : {})}
      {...(onDownload ? { onDownload } : {})}
      {...(syncedTo ? { syncedTo } : {})}
    />
  );
}
