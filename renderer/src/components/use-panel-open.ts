/** A collapsible react-resizable-panels panel that follows an open/closed flag (expanded to its last size). */
import { useEffect } from 'react';
import { usePanelRef } from 'react-resizable-panels';

/**
 * Returns the ref to pass as the panel's `panelRef`. `size` (a percentage): the size the user gave
 * it, to expand to (a panel collapsed because the window got small would otherwise come back at
 * the size the small window left it, e.g. its minimum).
 */
export function usePanelOpen(open: boolean, size?: number): ReturnType<typeof usePanelRef> {
  const ref = usePanelRef();
  useEffect(() => {
    const panel = ref.current;
    if (!panel) return;
    if (open && panel.isCollapsed()) {
      panel.expand();
      if (size !== undefined && panel.getSize().asPercentage < size) panel.resize(`${size}%`);
    }
    if (!open && !panel.isCollapsed()) panel.collapse();
  }, [open, ref, size]);
  return ref;
}
