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
import type { CSSProperties, DragEvent, ReactElement, ReactNode } from 'react';
import type { Rect } from '@tanstack/react-virtual';
import type { AppError } from '../../../../shared/model/errors';
import type { SelectMode, VisibleRow } from '../../store/tree/model';
import type { TreeLabels } from './tree-strings';
import type { TreeLocale } from './format';
import { TreeRow } from './tree-row';
import type { TreeDragProps } from './hooks/use-tree-drag';
import { DEFAULT_ROW_HEIGHT, useTreeBehaviour } from './hooks/use-tree-behaviour';
import './tree.css';

export type { SelectMode } from '../../store/tree/model';

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
  /** Ctrl/Cmd+Enter on a downloadable row: download it (a folder is downloaded instead of opened). */
  onDownload?(id: string): void;
  /**
   * Space on the focused row (no modifier): open its larger preview, as Quick Look does; true when
   * it did (the owner decides: the one selected image, PDF or video), else Space toggles as usual.
   */
  onPreview?(id: string): boolean;
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
  /** Replaces the column header (the owner's, e.g. with resize handles; it keeps the `st-grid` columns). */
  header?: ReactNode;
}

export function SourcesTree(props: SourcesTreeProps): ReactElement {
  const { rows, selectedIds, labels, locale, ariaLabel, emptyText, className } = props;
  const rowHeight = props.rowHeight ?? DEFAULT_ROW_HEIGHT;
  const baseId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { focusIndex, virtualizer, handlers } = useTreeBehaviour(props, scrollRef);
  const items = virtualizer.getVirtualItems();
  const errorText = props.formatError ?? defaultFormatError;

  return (
    <div
      className={className ? `st ${className}` : 'st'}
      style={{ '--st-row-height': `${rowHeight}px` } as CSSProperties}
    >
      {props.header ?? (
        <div className="st-header st-grid" aria-hidden="true">
          <span className="st-col st-col--name">{labels.columnName}</span>
          <span className="st-col st-col--size">{labels.columnSize}</span>
          <span className="st-col st-col--modified">{labels.columnModified}</span>
        </div>
      )}
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
        {...handlers}
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
