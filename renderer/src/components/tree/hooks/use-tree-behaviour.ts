/**
 * Wires the tree's hooks together for `SourcesTree`: focus index and virtualizer, roving focus,
 * selection anchor, type-ahead, keyboard, mouse, context menu and drag. Returns what the component
 * renders with and the handlers it puts on the tree element.
 */
import type { RefObject } from 'react';
import type { VisibleRow } from '../../../store/tree/model';
import type { SourcesTreeProps } from '../sources-tree';
import { isDisabled, useSelectionAnchor } from './selection';
import type { SelectionAnchor } from './selection';
import { useFocusIndex, useRovingFocus } from './use-roving-focus';
import type { RovingFocus } from './use-roving-focus';
import { useTreeContextMenu } from './use-tree-context-menu';
import { useTreeDrag } from './use-tree-drag';
import { useTreeKeyboard } from './use-tree-keyboard';
import { useTreeMouse } from './use-tree-mouse';
import type { RowHit } from './use-tree-mouse';
import { useTypeAhead } from './use-type-ahead';
import { pageSize, useTreeVirtualizer } from './use-tree-virtualizer';
import type { TreeVirtualizer } from './use-tree-virtualizer';

export const DEFAULT_ROW_HEIGHT = 28;
export const DEFAULT_OVERSCAN = 10;

interface TreeCore {
  indexById: ReadonlyMap<string, number>;
  focusIndex: number;
  virtualizer: TreeVirtualizer;
  rowFromEvent(e: { target: EventTarget }): RowHit | null;
  roving: RovingFocus;
  anchor: SelectionAnchor;
  /** Selection follows focus: the row at `index` becomes the only selected row and the anchor. */
  followAt(index: number): void;
}

function useTreeCore(props: SourcesTreeProps, scrollRef: RefObject<HTMLDivElement | null>): TreeCore {
  const { rows, selectedIds, focusedId } = props;
  const rowHeight = props.rowHeight ?? DEFAULT_ROW_HEIGHT;
  const overscan = props.overscan ?? DEFAULT_OVERSCAN;
  const { indexById, focusIndex } = useFocusIndex(rows, focusedId);
  const initialRect = props.initialRect;
  const virtualizer = useTreeVirtualizer({ rows, scrollRef, focusIndex, rowHeight, overscan, initialRect });
  const rowFromEvent = (e: { target: EventTarget }): RowHit | null => {
    const el = (e.target as Element).closest?.('[data-index]');
    if (!(el instanceof HTMLElement) || !scrollRef.current?.contains(el)) return null;
    const index = Number(el.dataset.index);
    const row = rows[index];
    return row ? [row, index, el] : null;
  };
  const roving = useRovingFocus({
    rows,
    focusedId,
    focusIndex,
    scrollRef,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    onFocus: props.onFocus,
    rowFromEvent,
  });
  const anchor = useSelectionAnchor(indexById);
  const followAt = (index: number): void => {
    const row = rows[index];
    if (!row) return;
    if (row.kind === 'node' && !(selectedIds.size === 1 && selectedIds.has(row.id))) {
      anchor.set(row.id);
      props.onSelect([row.id], 'replace');
    }
    if (index !== focusIndex || row.id !== focusedId) roving.focusAt(index, true);
  };
  return { indexById, focusIndex, virtualizer, rowFromEvent, roving, anchor, followAt };
}

export function useTreeBehaviour(props: SourcesTreeProps, scrollRef: RefObject<HTMLDivElement | null>) {
  const { rows, selectedIds, focusedId } = props;
  const core = useTreeCore(props, scrollRef);
  const { focusIndex, anchor, roving, rowFromEvent } = core;
  const typeAhead = useTypeAhead(rows, focusIndex, core.followAt);
  const activate = (row: VisibleRow): void => {
    if (row.kind === 'status') {
      if (row.status === 'error' && row.parentId !== null) props.onRetry(row.parentId);
      return;
    }
    if (!isDisabled(row)) props.onActivate(row.id);
  };
  const menu = useTreeContextMenu({
    ...{ rows, selectedIds, anchor, scrollRef, rowFromEvent, focusAt: roving.focusAt, onSelect: props.onSelect },
    ...(props.onContextMenu ? { onContextMenu: props.onContextMenu } : {}),
  });
  const onKeyDown = useTreeKeyboard({
    ...{ rows, focusedId, focusIndex, indexById: core.indexById, anchor, typeAhead, activate },
    focusAt: roving.focusAt,
    followAt: core.followAt,
    pageSize: () => pageSize(core.virtualizer, props.rowHeight ?? DEFAULT_ROW_HEIGHT, props.initialRect),
    openMenu: () => menu.openAt(focusIndex),
    ...(props.onSaveTo ? { onSaveTo: props.onSaveTo } : {}),
    ...(props.onDownload ? { onDownload: props.onDownload } : {}),
    ...(props.onPreview ? { onPreview: props.onPreview } : {}),
    onToggle: props.onToggle,
    onSelect: props.onSelect,
  });
  const mouse = useTreeMouse({
    ...{ rows, focusedId, focusIndex, anchor, rowFromEvent, requestFocus: roving.requestFocus, activate },
    ...{ onFocus: props.onFocus, onToggle: props.onToggle, onSelect: props.onSelect, onRetry: props.onRetry },
  });
  const drag = useTreeDrag({
    ...{ rows, selectedIds, rowFromEvent },
    ...(props.onDragOutStart ? { onDragOutStart: props.onDragOutStart } : {}),
    ...(props.drag ? { drag: props.drag } : {}),
  });
  const handlers = {
    onKeyDown,
    onClick: mouse.onClick,
    onDoubleClick: mouse.onDoubleClick,
    onContextMenu: menu.onContextMenu,
    onFocus: roving.onFocusIn,
    onBlur: roving.onFocusOut,
    onDragStart: drag.onDragStart,
    onPointerDown: drag.onPointerDown,
    onPointerMove: drag.onPointerMove,
    onPointerLeave: drag.onPointerLeave,
  };
  return { focusIndex, virtualizer: core.virtualizer, handlers };
}
