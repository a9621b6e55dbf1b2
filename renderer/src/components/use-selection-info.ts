/** What the Sources panel needs to know about the selection: its nodes, what can be downloaded and why not. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceNode } from '../../../shared/model/sources';
import { useAppStore } from '../store/context';
import { selectionTotals } from '../store/tree/selection-summary';

export interface SelectionInfo {
  nodes: SourceNode[];
  /** The one selected node, or null. */
  single: SourceNode | null;
  /** Ids of the selected nodes that can be downloaded. */
  downloadable: string[];
  totals: ReturnType<typeof selectionTotals>;
  /** Children of the single selected node, when known. */
  itemCount: number | undefined;
  /** Why Download is disabled ('' when it is not). */
  whyNoDownload: string;
}

export function useSelectionInfo(): SelectionInfo {
  const { t } = useTranslation();
  const tree = useAppStore((s) => s.tree);
  const selected = useAppStore((s) => s.selected);
  const nodes = useMemo(
    () => [...selected].map((id) => tree.getNode(id)).filter((n) => n !== undefined),
    [selected, tree],
  );
  const single = nodes.length === 1 ? nodes[0]! : null;
  const downloadable = nodes.filter((n) => n.downloadable).map((n) => n.id);
  const totals = useMemo(() => selectionTotals(nodes), [nodes]);
  const listing = single ? tree.getListing(single.id) : undefined;
  const itemCount =
    listing?.total ?? (listing?.done && !listing.error ? tree.state.children.get(single!.id)?.length : undefined);
  const whyNoDownload =
    downloadable.length > 0 ? '' : nodes.length === 0 ? t('sources.whyNoSelection') : t('sources.whyNotDownloadable');
  return { nodes, single, downloadable, totals, itemCount, whyNoDownload };
}
