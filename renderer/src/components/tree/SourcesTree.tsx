/**
 * The Sources tree: a virtualized WAI-ARIA tree (flat rows with aria-level/-setsize/-posinset).
 *
 * Display only: rows come from `flatten`/`TreeModel.rows()`, focus and selection are controlled by
 * the caller, every user intent goes out through a callback. The DOM holds the rows in view plus
 * `overscan` on each side, plus the focused row (kept mounted so keyboard focus never falls to
 * <body> while scrolling).
 */
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, DragEvent, KeyboardEvent, MouseEvent, FocusEvent, ReactElement } from 'react';
import { defaultRangeExtractor, observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { Range, Rect, Virtualizer } from '@tanstack/react-virtual';
import type { AppError } from '../../../../shared/model/errors';
import { foldText, foldedName } from './model';
import type { VisibleRow } from './model';
import type { TreeLabels } from './treeStrings';
import { formatDateTime, formatSize, interpolate } from './format';
import type { TreeLocale } from './format';
import { Glyph, NodeIcon } from './icons';
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
  /** dragstart on a downloadable row: the selected downloadable rows if it is selected, else itself. */
  onDragOutStart?(ids: string[], event: DragEvent<HTMLElement>): void;
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

const TYPEAHEAD_MS = 500;
const DEFAULT_ROW_HEIGHT = 28;
const DEFAULT_OVERSCAN = 10;

function isDisabled(row: VisibleRow): boolean {
  return row.kind === 'node' && row.node.state?.kind === 'disabled';
}

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
  const pendingFocus = useRef(false);
  const anchorRef = useRef<string | null>(null);
  /** The element (row or Retry button) that last had focus in the tree: if it is removed while focused, focus returns to the tab stop. */
  const lastFocusedEl = useRef<HTMLElement | null>(null);
  const typeahead = useRef({ buffer: '', at: 0 });

  const indexById = useMemo(() => {
    const map = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) map.set(rows[i]!.id, i);
    return map;
  }, [rows]);

  // When the focused row disappears (its Loading… row was replaced, a refresh dropped it, the filter
  // hid it), the tab stop stays at the same index instead of jumping to the top.
  const [lastFocusIndex, setLastFocusIndex] = useState(0);
  const found = focusedId !== null ? (indexById.get(focusedId) ?? -1) : -1;
  if (found >= 0 && found !== lastFocusIndex) setLastFocusIndex(found); // derived state, render-time update
  const focusIndex = found >= 0 ? found : rows.length > 0 ? Math.min(lastFocusIndex, rows.length - 1) : -1;

  // --- virtualizer -----------------------------------------------------------------------------
  const initialRectRef = useRef(initialRect);
  useLayoutEffect(() => {
    initialRectRef.current = initialRect;
  }, [initialRect]);
  const observeRect = useCallback(
    (instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => {
        const fallback = initialRectRef.current;
        cb(rect.width === 0 && rect.height === 0 && fallback ? fallback : rect);
      }),
    [],
  );
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (focusIndex >= 0 && focusIndex < range.count && !indexes.includes(focusIndex)) {
        indexes.push(focusIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [focusIndex],
  );
  const estimateSize = useCallback(() => rowHeight, [rowHeight]);
  const getScrollElement = useCallback(() => scrollRef.current, []);

  // The virtualizer is a mutable instance by design (React Compiler cannot memoise around it; this
  // project does not use the compiler). Rows are memoised by their own props.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLDivElement, Element>({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan,
    getItemKey,
    rangeExtractor,
    observeElementRect: observeRect,
    ...(initialRect ? { initialRect } : {}),
  });

  // --- focus follows the roving tabindex --------------------------------------------------------
  useLayoutEffect(() => {
    const container = scrollRef.current;
    if (!container || focusIndex < 0) return;
    const active = document.activeElement;
    const focusInRows = active !== null && container.contains(active) && active.getAttribute('role') === 'treeitem';
    const lost =
      lastFocusedEl.current !== null &&
      !lastFocusedEl.current.isConnected &&
      (active === null || active === document.body);
    if (!pendingFocus.current && !focusInRows && !lost) return;
    pendingFocus.current = false;
    const el = container.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    if (el && el !== active) el.focus({ preventScroll: true });
  });

  // --- helpers -----------------------------------------------------------------------------------
  const pageSize = (): number => {
    const height = virtualizer.scrollRect?.height || initialRect?.height || rowHeight * 10;
    return Math.max(1, Math.floor(height / rowHeight) - 1);
  };

  const rangeIds = (from: number, to: number): string[] => {
    const ids: string[] = [];
    const lo = Math.max(0, Math.min(from, to));
    const hi = Math.min(rows.length - 1, Math.max(from, to));
    for (let i = lo; i <= hi; i++) {
      const r = rows[i]!;
      if (r.kind === 'node') ids.push(r.id);
    }
    return ids;
  };

  const anchorIndex = (fallback: number): number => {
    const a = anchorRef.current;
    const i = a !== null ? indexById.get(a) : undefined;
    return i ?? fallback;
  };

  const focusAt = (index: number, scroll: boolean): void => {
    const row = rows[index];
    if (!row) return;
    pendingFocus.current = true;
    props.onFocus(row.id);
    if (scroll) virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  /** Move focus by keyboard; with `extend`, select anchor → target. */
  const moveTo = (target: number, extend: boolean): void => {
    const index = Math.max(0, Math.min(rows.length - 1, target));
    if (extend) {
      const current = rows[focusIndex];
      if (anchorRef.current === null || !indexById.has(anchorRef.current)) {
        anchorRef.current = current?.kind === 'node' ? current.id : null;
      }
      const ids = rangeIds(anchorIndex(focusIndex), index);
      if (ids.length > 0) props.onSelect(ids, 'range');
    }
    if (index !== focusIndex || rows[index]?.id !== focusedId) focusAt(index, true);
  };

  const activate = (row: VisibleRow): void => {
    if (row.kind === 'status') {
      if (row.status === 'error' && row.parentId !== null) props.onRetry(row.parentId);
      return;
    }
    if (!isDisabled(row)) props.onActivate(row.id);
  };

  const typeAhead = (key: string): boolean => {
    const now = Date.now();
    const state = typeahead.current;
    if (now - state.at > TYPEAHEAD_MS) state.buffer = '';
    state.buffer += key;
    state.at = now;
    const query = foldText(state.buffer);
    if (query.trim() === '') return true;
    const first = query[0]!;
    const repeated = query.length > 1 && [...query].every((c) => c === first);
    const needle = repeated ? first : query;
    // A new search or a repeated letter starts after the focused row; a longer prefix may stay on it.
    const start = state.buffer.length === 1 || repeated ? focusIndex + 1 : Math.max(focusIndex, 0);
    const n = rows.length;
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const row = rows[i]!;
      if (row.kind === 'node' && foldedName(row.node).startsWith(needle)) {
        if (i !== focusIndex) focusAt(i, true);
        return true;
      }
    }
    return true;
  };

  const typeaheadActive = (): boolean =>
    typeahead.current.buffer !== '' && Date.now() - typeahead.current.at <= TYPEAHEAD_MS;

  // --- keyboard ----------------------------------------------------------------------------------
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (rows.length === 0 || e.altKey) return;
    const target = e.target as HTMLElement;
    const onControl = target.tagName === 'BUTTON';
    const row = rows[focusIndex];
    if (!row) return;
    const mod = e.ctrlKey || e.metaKey;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(focusIndex + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(focusIndex - 1, e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(rows.length - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(focusIndex + pageSize(), e.shiftKey);
        break;
      case 'PageUp':
        moveTo(focusIndex - pageSize(), e.shiftKey);
        break;
      case 'ArrowRight':
        if (row.kind === 'node' && row.expanded === false) {
          if (!isDisabled(row)) props.onToggle(row.id, true);
        } else if (row.kind === 'node' && row.expanded === true) {
          const next = rows[focusIndex + 1];
          if (next && next.level === row.level + 1) focusAt(focusIndex + 1, true);
        }
        break;
      case 'ArrowLeft':
        if (row.kind === 'node' && row.expanded === true) {
          props.onToggle(row.id, false);
        } else if (row.parentId !== null) {
          const parent = indexById.get(row.parentId);
          if (parent !== undefined) focusAt(parent, true);
        }
        break;
      case 'Enter':
        if (onControl) handled = false;
        else activate(row);
        break;
      case ' ':
      case 'Spacebar':
        if (onControl) handled = false;
        else if (typeaheadActive()) typeAhead(' ');
        else if (row.kind !== 'node') handled = true;
        else if (e.shiftKey) {
          const ids = rangeIds(anchorIndex(focusIndex), focusIndex);
          if (ids.length > 0) props.onSelect(ids, 'range');
        } else if (mod) {
          props.onSelect([row.id], 'toggle');
        } else {
          anchorRef.current = row.id;
          props.onSelect([row.id], 'toggle');
        }
        break;
      default:
        if (mod && (e.key === 'a' || e.key === 'A')) {
          props.onSelect(rangeIds(0, rows.length - 1), 'replace');
        } else if (!mod && !onControl && [...e.key].length === 1 && /\S/u.test(e.key)) {
          typeAhead(e.key); // a printable character (e.key is a named key otherwise)
        } else {
          handled = false;
        }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  // --- mouse ---------------------------------------------------------------------------------------
  const rowFromEvent = (e: { target: EventTarget }): [VisibleRow, number, HTMLElement] | null => {
    const el = (e.target as Element).closest?.('[data-index]');
    if (!(el instanceof HTMLElement) || !scrollRef.current?.contains(el)) return null;
    const index = Number(el.dataset.index);
    const row = rows[index];
    return row ? [row, index, el] : null;
  };

  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const hit = rowFromEvent(e);
    if (!hit) return;
    const [row, index] = hit;
    const action = (e.target as Element).closest('[data-action]')?.getAttribute('data-action');
    if (action === 'retry') {
      e.stopPropagation();
      if (row.parentId !== null) props.onRetry(row.parentId);
      return;
    }
    pendingFocus.current = true;
    if (row.id !== focusedId) props.onFocus(row.id);
    if (action === 'toggle' && row.kind === 'node' && row.expanded !== undefined) {
      if (!isDisabled(row)) props.onToggle(row.id, !row.expanded);
      return;
    }
    if (row.kind !== 'node') return;
    if (e.shiftKey) {
      const ids = rangeIds(anchorIndex(focusIndex), index);
      if (ids.length > 0) props.onSelect(ids, 'range');
    } else if (e.ctrlKey || e.metaKey) {
      anchorRef.current = row.id;
      props.onSelect([row.id], 'toggle');
    } else {
      anchorRef.current = row.id;
      props.onSelect([row.id], 'replace');
    }
  };

  const onDoubleClick = (e: MouseEvent<HTMLDivElement>): void => {
    const hit = rowFromEvent(e);
    if (!hit) return;
    if ((e.target as Element).closest('[data-action]')) return;
    const [row] = hit;
    if (row.kind === 'node') activate(row);
  };

  const onFocusIn = (e: FocusEvent<HTMLDivElement>): void => {
    lastFocusedEl.current = e.target as HTMLElement; // a row or its Retry button
    if ((e.target as Element).getAttribute('role') !== 'treeitem') return;
    const hit = rowFromEvent(e);
    if (hit && hit[0].id !== focusedId) props.onFocus(hit[0].id);
  };

  const onFocusOut = (e: FocusEvent<HTMLDivElement>): void => {
    // Focus left the tree on purpose (Tab, a click elsewhere): never pull it back. Some engines fire
    // focusout when a focused element is removed; that element is disconnected by the next microtask,
    // and then stays recorded as "lost".
    const next = e.relatedTarget as Node | null;
    if (next && e.currentTarget.contains(next)) return;
    const left = e.target as HTMLElement;
    queueMicrotask(() => {
      if (left.isConnected && lastFocusedEl.current === left) lastFocusedEl.current = null;
    });
  };

  const onDragStart = (e: DragEvent<HTMLDivElement>): void => {
    const hit = rowFromEvent(e);
    if (!hit || !props.onDragOutStart) return;
    const [row] = hit;
    if (row.kind !== 'node' || !row.node.downloadable) return;
    const ids = selectedIds.has(row.id)
      ? rows.filter((r) => r.kind === 'node' && r.node.downloadable && selectedIds.has(r.id)).map((r) => r.id)
      : [row.id];
    props.onDragOutStart(ids, e);
  };

  // --- render --------------------------------------------------------------------------------------
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
      <div
        ref={scrollRef}
        className="st-scroll"
        role="tree"
        aria-label={ariaLabel}
        aria-multiselectable="true"
        onKeyDown={onKeyDown}
        onClick={onClick}
        onDoubleClick={onDoubleClick}
        onFocus={onFocusIn}
        onBlur={onFocusOut}
        onDragStart={onDragStart}
      >
        <div className="st-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <Row
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
              />
            );
          })}
        </div>
      </div>
      {rows.length === 0 ? <p className="st-empty">{emptyText ?? labels.noItems}</p> : null}
    </div>
  );
}

function defaultFormatError(error: AppError): string {
  return error.message;
}

interface RowProps {
  row: VisibleRow;
  index: number;
  start: number;
  selected: boolean;
  tabbable: boolean;
  labels: TreeLabels;
  locale: TreeLocale;
  errorText: (error: AppError) => string;
  baseId: string;
}

const BADGES = { maintenance: 'maintenance', locked: 'lock', disabled: 'error', error: 'error' } as const;

const Row = memo(function Row({
  row,
  index,
  start,
  selected,
  tabbable,
  labels,
  locale,
  errorText,
  baseId,
}: RowProps): ReactElement {
  const style = { transform: `translateY(${start}px)` } as CSSProperties;
  const indent = { '--st-level': row.level } as CSSProperties;

  if (row.kind === 'status') {
    const text =
      row.status === 'error'
        ? interpolate(labels.loadFailed, { message: row.error ? errorText(row.error) : labels.error })
        : row.status === 'empty'
          ? labels.empty
          : labels.loading;
    return (
      <div
        role="treeitem"
        className={`st-row st-grid st-row--status st-row--${row.status ?? 'loading'}`}
        style={style}
        data-index={index}
        aria-level={row.level}
        aria-setsize={row.setSize}
        aria-posinset={row.posInSet}
        aria-label={text}
        tabIndex={tabbable ? 0 : -1}
      >
        <span className="st-cell st-name" style={indent}>
          <span className="st-chevron" aria-hidden="true" />
          {row.status === 'loading' ? <span className="st-spinner" aria-hidden="true" /> : null}
          {row.status === 'error' ? <Glyph name="error" className="st-icon st-icon--error" /> : null}
          <span className="st-label">{text}</span>
          {row.status === 'error' ? (
            <button type="button" className="st-retry" data-action="retry" tabIndex={tabbable ? 0 : -1}>
              {labels.retry}
            </button>
          ) : null}
        </span>
      </div>
    );
  }

  const { node } = row;
  const state = node.state;
  const disabled = state?.kind === 'disabled';
  const size = node.kind === 'folder' ? '' : formatSize(node.size, locale);
  const modified = formatDateTime(node.modifiedAt, locale);
  // The accessible name is the node's name; the description carries the state, subtitle, size and date.
  const ids = {
    state: `${baseId}-st${index}`,
    subtitle: `${baseId}-sub${index}`,
    size: `${baseId}-sz${index}`,
    modified: `${baseId}-mod${index}`,
  };
  const describedBy = [
    state ? ids.state : '',
    node.subtitle ? ids.subtitle : '',
    size ? ids.size : '',
    modified ? ids.modified : '',
  ]
    .filter(Boolean)
    .join(' ');
  const classes = ['st-row', 'st-grid'];
  if (selected) classes.push('st-row--selected');
  if (state) classes.push(`st-row--${state.kind}`);
  if (row.matchesFilter === false) classes.push('st-row--context');

  return (
    <div
      role="treeitem"
      className={classes.join(' ')}
      style={style}
      data-index={index}
      aria-level={row.level}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.expanded}
      aria-selected={selected}
      aria-busy={row.loading || undefined}
      aria-disabled={disabled || undefined}
      aria-label={node.name}
      aria-describedby={describedBy || undefined}
      title={state?.reason}
      tabIndex={tabbable ? 0 : -1}
      draggable={node.downloadable && !disabled ? true : undefined}
    >
      <span className="st-cell st-name" style={indent}>
        <span className="st-chevron" data-action={row.expanded !== undefined ? 'toggle' : undefined} aria-hidden="true">
          {row.expanded !== undefined ? <Glyph name="chevron" className="st-chevron-glyph" /> : null}
        </span>
        <NodeIcon node={node} />
        <span className="st-label">{node.name}</span>
        {node.subtitle ? (
          <span id={ids.subtitle} className="st-subtitle">
            {node.subtitle}
          </span>
        ) : null}
        {state ? (
          <span id={ids.state} className={`st-badge st-badge--${state.kind}`}>
            <Glyph name={BADGES[state.kind]} className="st-badge-icon" />
            {labels[state.kind]}
            <span className="st-sr-only">{`: ${state.reason}`}</span>
          </span>
        ) : null}
        {row.loading ? <span className="st-spinner" aria-hidden="true" /> : null}
      </span>
      <span id={size ? ids.size : undefined} className="st-cell st-size">
        {size}
      </span>
      <span id={modified ? ids.modified : undefined} className="st-cell st-modified">
        {modified}
      </span>
    </div>
  );
});
