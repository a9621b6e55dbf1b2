/**
 * The Sources view above the Sync section, split by a handle the user can drag (or move with the
 * arrow keys), like the Details pane beside the tree. The Sync section can be collapsed to its first
 * line (a one-line summary); whether it is shown is remembered (localStorage), the split too. The
 * tree keeps at least TREE_ROWS rows: the Sources part never gets less than its toolbar, the server
 * search results' minimum (when open) and that; when the window has no room for more, the Sync
 * section stays on its one line.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { useTranslation } from 'react-i18next';
import { syncShownSchema } from '../../../shared/model/layout';
import { useAppStore } from '../store/context';
import { SyncPanel } from './sync/sync-panel';
import { usePanelOpen } from './use-panel-open';
import { useStoredState } from './use-stored-state';

export const SYNC_SHOWN_KEY = 'poweron.layout.syncShown';
const CONTENT_LAYOUT_ID = 'poweron.layout.content';

/** Rows the tree always keeps, and their height (px; tree.css `--st-row-height`). */
export const TREE_ROWS = 8;
export const ROW_HEIGHT = 28;
/** The tree's column header (px). */
const TREE_HEADER = 24;
/** The tree area's minimum height: its header and TREE_ROWS rows (px). */
export const TREE_MIN = TREE_HEADER + TREE_ROWS * ROW_HEIGHT;
/** The server search results' minimum height while open: their summary line and a row (px). */
export const SEARCH_MIN = 64;
/** The Sync section's first line (sync.css `.sync-panel-head`), and the least it has when shown (px). */
export const SYNC_LINE = 40;
export const SYNC_MIN = 120;
/** Without pairs the rest is a two-line hint: it needs less (px). */
export const HINT_MIN = 88;
const HANDLE = 4;

/** Height of an element, kept up to date (null until measured). */
function useHeight(ref: RefObject<HTMLElement | null>, selector?: string): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useEffect(() => {
    const root = ref.current;
    const el = selector ? root?.querySelector<HTMLElement>(selector) : root;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(el.offsetHeight > 0 ? el.offsetHeight : null));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, selector]);
  return height;
}

/** The least the Sources part may have: toolbar, search results (when open), tree with TREE_ROWS rows. */
export function sourcesMin(toolbar: number, searchOpen: boolean): number {
  return toolbar + (searchOpen ? SEARCH_MIN : 0) + TREE_MIN;
}

/** Whether the Sync section can show more than its line (`least` px) without the tree losing rows. */
export function syncFits(content: number | null, sources: number, least: number): boolean {
  return content === null || content - HANDLE - sources >= least;
}

export function ContentSplit({ sources }: { sources: ReactNode }) {
  const { t } = useTranslation();
  const hasPairs = useAppStore((s) => s.syncPairs.length > 0);
  const searchOpen = useAppStore((s) => s.search.status !== 'idle');
  const [shown, setShown] = useStoredState(SYNC_SHOWN_KEY, syncShownSchema, true);
  // Without pairs the rest is only the hint where pairs are made: closed until asked for.
  const [hintShown, setHintShown] = useState(false);
  const groupRef = useRef<HTMLDivElement>(null);
  const content = useHeight(groupRef);
  const toolbar = useHeight(groupRef, '.toolbar') ?? 44;
  const min = sourcesMin(toolbar, searchOpen);
  const syncMin = hasPairs ? SYNC_MIN : HINT_MIN;
  const canOpen = syncFits(content, min, syncMin);
  const wanted = hasPairs ? shown : hintShown;
  const open = wanted && canOpen;
  const setWanted = hasPairs ? setShown : setHintShown;
  const saved = useDefaultLayout({
    id: CONTENT_LAYOUT_ID,
    onlySaveAfterUserInteractions: true,
    ...(typeof localStorage === 'undefined' ? {} : { storage: localStorage }),
  });
  const panel = usePanelOpen(open, saved.defaultLayout?.sync);
  return (
    <Group
      orientation="vertical"
      className="content-split"
      elementRef={groupRef}
      defaultLayout={saved.defaultLayout}
      onLayoutChanged={(layout, meta) => {
        saved.onLayoutChanged(layout, meta);
        // Dragged shut (or open) on its handle: that is the user's choice too (a smaller window is not).
        const collapsed = panel.current?.isCollapsed();
        if (meta.isUserInteraction && collapsed !== undefined && collapsed === open) setWanted(!collapsed);
      }}
    >
      <Panel id="sources" minSize={`${min}px`} className="content-sources">
        {sources}
      </Panel>
      <Separator className="resize-handle" disabled={!open} aria-label={t('sync.resize')} />
      <Panel
        id="sync"
        panelRef={panel}
        collapsible
        collapsedSize={`${SYNC_LINE}px`}
        minSize={`${syncMin}px`}
        defaultSize={open ? '30%' : `${SYNC_LINE}px`}
        className="content-sync"
      >
        <SyncPanel open={open} canOpen={canOpen} onOpen={setWanted} />
      </Panel>
    </Group>
  );
}
