/** A collapsible react-resizable-panels panel that follows an open/closed flag (expanded to its last size). */
import { useEffect } from 'react';
import { usePanelRef } from 'react-resizable-panels';

/** Returns the ref to pass as the panel's `panelRef`. */
export function usePanelOpen(open: boolean): ReturnType<typeof usePanelRef> {
  const ref = usePanelRef();
  useEffect(() => {
    const panel = ref.current;
    if (!panel) return;
    if (open && panel.isCollapsed()) panel.expand();
    if (!open && !panel.isCollapsed()) panel.collapse();
  }, [open, ref]);
  return ref;
}
