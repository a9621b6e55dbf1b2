/**
 * Show in tree's last step in the DOM (the store's `revealNode` opened, selected and focused the
 * item): `focusTabStop` brings the row holding the tree's tab stop into view and gives it focus.
 */

/** After the next paint: the row holding the tree's tab stop, scrolled into view (`scroll`) and focused. */
export function focusTabStop(scroll: boolean): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>('[role="tree"] [role="treeitem"][tabindex="0"]');
    if (scroll) row?.scrollIntoView({ block: 'nearest' });
    row?.focus({ preventScroll: true });
  });
}
