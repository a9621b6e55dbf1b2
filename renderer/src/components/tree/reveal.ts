/**
 * "Show in tree", once the item is loaded: open every folder above it, and when the active filter
 * hides it, clear the filter (the feedback line says so; a filter that shows it stays), then select
 * and focus it. `focusTabStop` then brings the row into view and gives it DOM focus.
 */
import type { AppStore } from '../../store';
import { useTreeFeedback } from './feedback-store';
import { MAX_DEPTH } from './model';

/** False when the item is not in the tree. */
export async function revealLoaded(app: AppStore, id: string): Promise<boolean> {
  const node = app.getState().tree.getNode(id);
  if (!node) return false;
  const above: string[] = [];
  for (let p = node.parentId; p !== null && above.length < MAX_DEPTH;) {
    above.unshift(p);
    p = app.getState().tree.getNode(p)?.parentId ?? null;
  }
  for (const p of above) if (!app.getState().tree.isExpanded(p)) await app.getState().toggle(p, true);
  const s = app.getState();
  if (s.filter.trim() !== '' && !s.tree.rows(s.filter).some((row) => row.id === id)) {
    s.setFilter('');
    useTreeFeedback.getState().show({ kind: 'filterCleared', name: node.name });
  }
  s.select([id], 'replace');
  s.focus(id);
  return true;
}

/** After the next paint: the row holding the tree's tab stop, scrolled into view (`scroll`) and focused. */
export function focusTabStop(scroll: boolean): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>('[role="tree"] [role="treeitem"][tabindex="0"]');
    if (scroll) row?.scrollIntoView({ block: 'nearest' });
    row?.focus({ preventScroll: true });
  });
}
