/**
 * Roving focus: exactly one row holds tabindex 0 (the focused id, or the row at the same index when
 * that row went away), and DOM focus follows it when the user moved it or when the focused element
 * disappeared under the user's hands. Focus that left the tree on purpose is never pulled back.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FocusEvent, RefObject } from 'react';
import type { VisibleRow } from '../../../store/tree/model';

/** Row index by id, and the index holding the tab stop. */
export function useFocusIndex(
  rows: readonly VisibleRow[],
  focusedId: string | null,
): { indexById: ReadonlyMap<string, number>; focusIndex: number } {
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
  return { indexById, focusIndex };
}

export interface RovingFocusOptions {
  rows: readonly VisibleRow[];
  focusedId: string | null;
  focusIndex: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  scrollToIndex(index: number): void;
  onFocus(id: string): void;
  /** The row under a DOM event (a row or an element inside it). */
  rowFromEvent(e: { target: EventTarget }): [VisibleRow, number, HTMLElement] | null;
}

export interface RovingFocus {
  /** Moves the tab stop (and DOM focus, after render) to a row; `scroll` brings it into view. */
  focusAt(index: number, scroll: boolean): void;
  /** The next render moves DOM focus to the tab stop (a click on a row). */
  requestFocus(): void;
  onFocusIn(e: FocusEvent<HTMLDivElement>): void;
  onFocusOut(e: FocusEvent<HTMLDivElement>): void;
}

export function useRovingFocus(options: RovingFocusOptions): RovingFocus {
  const { rows, focusedId, focusIndex, scrollRef } = options;
  const pendingFocus = useRef(false);
  /** The element (row or Retry button) that last had focus in the tree: if it is removed while focused, focus returns to the tab stop. */
  const lastFocusedEl = useRef<HTMLElement | null>(null);

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

  return {
    focusAt(index, scroll) {
      const row = rows[index];
      if (!row) return;
      pendingFocus.current = true;
      options.onFocus(row.id);
      if (scroll) options.scrollToIndex(index);
    },
    requestFocus() {
      pendingFocus.current = true;
    },
    onFocusIn(e) {
      lastFocusedEl.current = e.target as HTMLElement; // a row or its Retry button
      if ((e.target as Element).getAttribute('role') !== 'treeitem') return;
      const hit = options.rowFromEvent(e);
      if (hit && hit[0].id !== focusedId) options.onFocus(hit[0].id);
    },
    onFocusOut(e) {
      // Focus left the tree on purpose (Tab, a click elsewhere): never pull it back. Some engines fire
      // focusout when a focused element is removed; that element is disconnected by the next microtask,
      // and then stays recorded as "lost".
      const next = e.relatedTarget as Node | null;
      if (next && e.currentTarget.contains(next)) return;
      const left = e.target as HTMLElement;
      queueMicrotask(() => {
        if (left.isConnected && lastFocusedEl.current === left) lastFocusedEl.current = null;
      });
    },
  };
}
