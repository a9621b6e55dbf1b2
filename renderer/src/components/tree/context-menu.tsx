/**
 * A context menu (WAI-ARIA menu pattern): role menu / menuitem, opened at a point, first enabled
 * item focused; ↑/↓/Home/End move, Enter/Space run an item, Esc or Tab close; a pointer press
 * outside closes. On close, focus returns to the element that had it when the menu opened.
 *
 * The items are data (`MenuCommand`): the owner builds them for what is selected (see
 * `menu-items.ts`), so features add a command there without touching this component.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement, RefObject } from 'react';

export interface MenuCommand {
  /** Stable key ('download', 'saveTo', 'keepInSync', …). */
  id: string;
  label: string;
  /**
   * Its key, shown after the label ("Ctrl+S", "⌘S") and announced (`aria-keyshortcuts`: "Control+S");
   * the key itself is handled elsewhere.
   */
  shortcut?: { text: string; aria: string };
  disabled?: boolean;
  /** A line above this item. */
  separatorBefore?: boolean;
  run(): void;
}

export type CloseReason = 'escape' | 'run' | 'outside' | 'tab';

export interface ContextMenuProps {
  items: readonly MenuCommand[];
  /** Accessible name of the menu. */
  label: string;
  /** Viewport coordinates of the menu's top-left corner (moved inside the window when needed). */
  at: { x: number; y: number };
  onClose(reason: CloseReason): void;
}

export function ContextMenu({ items, label, at, onClose }: ContextMenuProps): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const openerRef = useRef<Element | null>(null);
  const pos = useMenuPlacement(ref, openerRef, at);
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      items.findIndex((i) => !i.disabled),
    ),
  );

  useLayoutEffect(() => {
    ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active]?.focus();
  }, [active]);
  useOutsidePress(ref, openerRef, onClose);

  const run = (item: MenuCommand | undefined): void => {
    if (!item || item.disabled) return;
    onClose('run');
    item.run();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (!menuKey(e.key, items.length, setActive, () => run(items[active]), onClose)) return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="st-menu"
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item, i) => (
        <div
          key={item.id}
          role="menuitem"
          tabIndex={i === active ? 0 : -1}
          aria-disabled={item.disabled || undefined}
          aria-keyshortcuts={item.shortcut?.aria}
          className={item.separatorBefore ? 'st-menu-item st-menu-item--separated' : 'st-menu-item'}
          onClick={() => run(item)}
          onPointerMove={() => i !== active && setActive(i)}
        >
          <span>{item.label}</span>
          {item.shortcut ? (
            <span className="st-menu-shortcut" aria-hidden="true">
              {item.shortcut.text}
            </span>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/**
 * Remembers the opener, keeps the menu inside the window; on unmount gives focus back to the
 * opener, unless the command moved focus somewhere on purpose (e.g. Details).
 */
function useMenuPlacement(
  ref: RefObject<HTMLDivElement | null>,
  openerRef: RefObject<Element | null>,
  at: { x: number; y: number },
): { x: number; y: number } {
  const [pos, setPos] = useState(at);
  useLayoutEffect(() => {
    openerRef.current = document.activeElement;
    const el = ref.current;
    if (el) {
      const r = el.getBoundingClientRect();
      const x = Math.max(0, Math.min(at.x, window.innerWidth - r.width - 4));
      const y = Math.max(0, Math.min(at.y, window.innerHeight - r.height - 4));
      if (x !== at.x || y !== at.y) setPos({ x, y });
    }
    return () => {
      const back = openerRef.current;
      const now = document.activeElement;
      const free = now === null || now === document.body || (el !== null && el.contains(now));
      if (free && back instanceof HTMLElement && back.isConnected) back.focus({ preventScroll: true });
    };
  }, [at, ref, openerRef]);
  return pos;
}

/** A pointer press outside the menu closes it (the press itself goes on to its target and decides where focus goes). */
function useOutsidePress(
  ref: RefObject<HTMLDivElement | null>,
  openerRef: RefObject<Element | null>,
  onClose: (reason: CloseReason) => void,
): void {
  useLayoutEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) {
        openerRef.current = null;
        onClose('outside');
      }
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [onClose, ref, openerRef]);
}

/** The menu's keys; false when `key` is not one of them. */
function menuKey(
  key: string,
  n: number,
  setActive: (update: (i: number) => number) => void,
  runActive: () => void,
  onClose: (reason: CloseReason) => void,
): boolean {
  switch (key) {
    case 'ArrowDown':
      setActive((i) => (i + 1) % n);
      return true;
    case 'ArrowUp':
      setActive((i) => (i - 1 + n) % n);
      return true;
    case 'Home':
      setActive(() => 0);
      return true;
    case 'End':
      setActive(() => n - 1);
      return true;
    case 'Enter':
    case ' ':
      runActive();
      return true;
    case 'Escape':
      onClose('escape');
      return true;
    case 'Tab':
      onClose('tab');
      return true;
    default:
      return false;
  }
}
