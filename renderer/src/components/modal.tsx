import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';

/** Where focus goes back to when a dialog closes, per open dialog (for a dialog opened from another). */
const returnTargets = new WeakMap<Element, HTMLElement>();

/** What had the focus before this dialog: read while rendering, before autoFocus moves it. */
function focusBefore(): { element: HTMLElement | null; fallback: HTMLElement | null } {
  const active = document.activeElement;
  const element = active instanceof HTMLElement && active !== document.body ? active : null;
  const host = element?.closest('dialog');
  return { element, fallback: (host && returnTargets.get(host)) ?? null };
}

function restoreFocus(before: ReturnType<typeof focusBefore>): void {
  // Another dialog that has just opened keeps its focus.
  const now = document.activeElement;
  if (now instanceof HTMLElement && now !== document.body && now.isConnected && now.closest('dialog')) return;
  const target = before.element?.isConnected ? before.element : before.fallback;
  if (target?.isConnected) target.focus();
}

/**
 * A modal on the native <dialog>: focus trap, Escape and inert background come from the browser.
 * Closing it puts the focus back on what had it when the dialog opened (the button that opened
 * it), if that is still on the page.
 */
export function Modal({
  title,
  onClose,
  children,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [before] = useState(focusBefore);
  useEffect(() => {
    const dialog = ref.current;
    const target = before.element?.closest('dialog') ? before.fallback : before.element;
    if (dialog && target) returnTargets.set(dialog, target);
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => {
      dialog?.close?.();
      restoreFocus(before);
    };
  }, [before]);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
