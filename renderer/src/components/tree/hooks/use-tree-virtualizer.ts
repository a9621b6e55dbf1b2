/** The row virtualizer of the Sources tree: rows in view plus `overscan`, plus the focused row. */
import { useCallback, useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { defaultRangeExtractor, observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { Range, Rect, Virtualizer } from '@tanstack/react-virtual';
import type { VisibleRow } from '../../../store/tree/model';

export interface TreeVirtualizerOptions {
  rows: readonly VisibleRow[];
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Kept mounted even when scrolled out of view, so keyboard focus never falls to <body>. */
  focusIndex: number;
  rowHeight: number;
  overscan: number;
  /** Viewport size used while the scroll element measures 0×0 (no layout: jsdom, a hidden parent). */
  initialRect: Rect | undefined;
}

export type TreeVirtualizer = Virtualizer<HTMLDivElement, Element>;

export function useTreeVirtualizer(options: TreeVirtualizerOptions): TreeVirtualizer {
  const { rows, scrollRef, focusIndex, rowHeight, overscan, initialRect } = options;
  const initialRectRef = useRef(initialRect);
  useLayoutEffect(() => {
    initialRectRef.current = initialRect;
  }, [initialRect]);
  const observeRect = useCallback(
    (instance: TreeVirtualizer, cb: (rect: Rect) => void) =>
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
  const getScrollElement = useCallback(() => scrollRef.current, [scrollRef]);

  // The virtualizer is a mutable instance by design (React Compiler cannot memoise around it; this
  // project does not use the compiler). Rows are memoised by their own props.
  // eslint-disable-next-line react-hooks/incompatible-library
  return useVirtualizer<HTMLDivElement, Element>({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan,
    getItemKey,
    rangeExtractor,
    observeElementRect: observeRect,
    ...(initialRect ? { initialRect } : {}),
  });
}

/** Rows per PageUp/PageDown: one viewport less one row. */
export function pageSize(virtualizer: TreeVirtualizer, rowHeight: number, initialRect: Rect | undefined): number {
  const height = virtualizer.scrollRect?.height || initialRect?.height || rowHeight * 10;
  return Math.max(1, Math.floor(height / rowHeight) - 1);
}
