/**
 * The Sources tree: a virtualized WAI-ARIA tree (flat rows with aria-level/-setsize/-posinset).
 *
 * Display only: rows come from `flatten`/`TreeModel.rows()`, focus and selection are controlled by
 * the caller, every user intent goes out through a callback. The behaviour lives in hooks
 * (`hooks/`): virtualizer, roving focus, type-ahead, keyboard, mouse, context menu, drag. The DOM holds the rows in view plus
 * `overscan` on each side, plus the focused row (kept mounted so keyboard focus never falls to
 * <body> while scrolling).
 */
import { useId, useRef } from 'react';
import type { CSSProperties, DragEvent, ReactElement } from 'react';
import type { Rect } from '@tanstack/react-virtual';
import type { AppError } from '../../../../shared/model/errors';
import type { VisibleRow } from './model';
import type { TreeLabels } from './tree-strings';
import type { TreeLocale } from './format';
import { TreeRow } from './tree-row';
import { isDisabled, useSelectionAnchor } from './hooks/selection';
import { useFocusIndex, useRovingFocus } from './hooks/use-roving-focus';
import { useTreeContextMenu } from './hooks/use-tree-context-menu';
import { useTreeDrag } from './hooks/use-tree-drag';
import type { TreeDragProps } from './hooks/use-tree-drag';
import { useTreeKeyboard } from './hooks/use-tree-keyboard';
import { useTreeMouse } from './hooks/use-tree-mouse';
import type { RowHit } from './hooks/use-tree-mouse';
import { useTypeAhead } from './hooks/use-type-ahead';
import { pageSize, useTreeVirtualizer } from './hooks/use-tree-virtualizer';
import './tree.css';

export type SelectMode = 'replace' | 'toggle' | 'range';

export interface SourcesTreeProps {
  rows: readonly VisibleRow[];
  selectedIds: ReadonlySet<string>;
  /** The row holding the roving tabindex; null or unknown → the first row. */
  focusedId: string | null;
  onFocus(id: string): void;
  onToggle(id: string, expand: boolean): void;
  /** Enter or double-click on a node row: expand a folder / open (download) a file. */
  onActivate(id: string): void;
  /**
   * 'replace': the selection becomes `ids`; 'toggle': flip each of `ids`; 'range': the selection
   * becomes `ids` (anchor → target, in visible order, node rows only; the anchor is kept here).
   */
  onSelect(ids: string[], mode: SelectMode): void;
  /** Retry on an error status row: list `parentId`'s children again. */
  onRetry(parentId: string): void;
  /**
   * Right-click, Shift+F10 or the ContextMenu key on a node row, after the row was selected (unless
   * it already was) and focused: the owner shows its menu at `at` (viewport coordinates).
   */
  onContextMenu?(id: string, at: { x: number; y: number }): void;
  /** Ctrl/Cmd+S: save the selection ("Save to…", the keyboard equivalent of dragging it out). */
  onSaveTo?(): void;
  /** dragstart on a downloadable row: the selected downloadable rows if it is selected, else itself. */
  onDragOutStart?(ids: string[], event: DragEvent<HTMLElement>): void;
  /** Drag-out: OS drag or DownloadURL, preparing on dwell, state text on rows (hooks/use-tree-drag). */
  drag?: TreeDragProps;
  labels: TreeLabels;
  locale: TreeLocale;
  ariaLabel: string;
  /** Shown when `rows` is empty (default `labels.noItems`; pass `labels.noMatches` while filtering). */
  emptyText?: string;
  /** Text for a listing error (default: `error.message`). */
  formatError?(error: AppError): string;
  /** Row height in px (default 28). */
  rowHeight?: number;
  /** Rows rendered beyond each edge of the viewport (default 10). */
  overscan?: number;
  /**
   * Viewport size used while the scroll element measures 0×0 (no layout: jsdom, a hidden parent).
   * Tests pass e.g. `{ width: 800, height: 560 }`.
   */
  initialRect?: Rect;
  className?: string;
}

const DEFAULT_ROW_HEIGHT = 28;
const DEFAULT_OVERSCAN = 10;

export function SourcesTree(props: SourcesTreeProps): ReactElement {
  const {
    rows,
    selectedIds,
    focusedId,
    labels,
    locale,
    ariaLabel,
    emptyText,
    formatError,
    rowHeight = DEFAULT_ROW_HEIGHT,
    overscan = DEFAULT_OVERSCAN,
    initialRect,
    className,
  } = props;

  const baseId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { indexById, focusIndex } = useFocusIndex(rows, focusedId);
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
  /** Selection follows focus: the row at `index` becomes the only selected row and the anchor. */
  const followAt = (index: number): void => {
    const row = rows[index];
    if (!row) return;
    if (row.kind === 'node' && !(selectedIds.size === 1 && selectedIds.has(row.id))) {
      anchor.set(row.id);
      props.onSelect([row.id], 'replace');
    }
    if (index !== focusIndex || row.id !== focusedId) roving.focusAt(index, true);
  };
  const typeAhead = useTypeAhead(rows, focusIndex, followAt);

  const activate = (row: VisibleRow): void => {
    if (row.kind === 'status') {
      if (row.status === 'error' && row.parentId !== null) props.onRetry(row.parentId);
      return;
    }
    if (!isDisabled(row)) props.onActivate(row.id);
  };

  const menu = useTreeContextMenu({
    rows,
    selectedIds,
    anchor,
    scrollRef,
    rowFromEvent,
    focusAt: roving.focusAt,
    onSelect: props.onSelect,
    ...(props.onContextMenu ? { onContextMenu: props.onContextMenu } : {}),
  });
  const onKeyDown = useTreeKeyboard({
    rows,
    focusedId,
    focusIndex,
    indexById,
    anchor,
    typeAhead,
    focusAt: roving.focusAt,
    followAt,
    pageSize: () => pageSize(virtualizer, rowHeight, initialRect),
    activate,
    openMenu: () => menu.openAt(focusIndex),
    ...(props.onSaveTo ? { onSaveTo: props.onSaveTo } : {}),
    onToggle: props.onToggle,
    onSelect: props.onSelect,
  });
  const mouse = useTreeMouse({
    rows,
    focusedId,
    focusIndex,
    anchor,
    rowFromEvent,
    requestFocus: roving.requestFocus,
    activate,
    onFocus: props.onFocus,
    onToggle: props.onToggle,
    onSelect: props.onSelect,
    onRetry: props.onRetry,
  });
  const drag = useTreeDrag({
    rows,
    selectedIds,
    rowFromEvent,
    ...(props.onDragOutStart ? { onDragOutStart: props.onDragOutStart } : {}),
    ...(props.drag ? { drag: props.drag } : {}),
  });

  const items = virtualizer.getVirtualItems();
  const errorText = formatError ?? defaultFormatError;

  return (
    <div
      className={className ? `st ${className}` : 'st'}
      style={{ '--st-row-height': `${rowHeight}px` } as CSSProperties}
    >
      <div className="st-header st-grid" aria-hidden="true">
        <span className="st-col st-col--name">{labels.columnName}</span>
        <span className="st-col st-col--size">{labels.columnSize}</span>
        <span className="st-col st-col--modified">{labels.columnModified}</span>
      </div>
      {/* Where the eye is: at the top of the tree area, announced when it appears. */}
      <p className="st-empty" role="status">
        {rows.length === 0 ? (emptyText ?? labels.noItems) : ''}
      </p>
      <div
        ref={scrollRef}
        className="st-scroll"
        role="tree"
        aria-label={ariaLabel}
        aria-multiselectable="true"
        onKeyDown={onKeyDown}
        onClick={mouse.onClick}
        onDoubleClick={mouse.onDoubleClick}
        onContextMenu={menu.onContextMenu}
        onFocus={roving.onFocusIn}
        onBlur={roving.onFocusOut}
        onDragStart={drag.onDragStart}
        onPointerDown={drag.onPointerDown}
        onPointerMove={drag.onPointerMove}
        onPointerLeave={drag.onPointerLeave}
      >
        <div className="st-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <TreeRow
                key={item.key}
                row={row}
                index={item.index}
                start={item.start}
                selected={row.kind === 'node' && selectedIds.has(row.id)}
                tabbable={item.index === focusIndex}
                labels={labels}
                locale={locale}
                errorText={errorText}
                baseId={baseId}
                dragText={props.drag?.rowText?.get(row.id)}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function defaultFormatError(error: AppError): string {
  return error.message;
}
