/**
 * Drag-out state for people: the short text on the rows being dragged ("Preparing… 40 %", "Ready to
 * drag") and a polite live region that announces state changes of a drag the user started — never
 * of a selection (issue 22.1: arrowing through a folder says nothing).
 * Text comes in as labels (placeholders `{{percent}}`, `{{name}}`, `{{message}}`).
 */
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { DragState } from '../../../../shared/model/drag';
import type { AppError } from '../../../../shared/model/errors';
import { interpolate } from './format';

export interface DragLabels {
  preparing: string;
  preparingUnknown: string;
  ready: string;
  saveTo: string;
  failed: string;
  announcePreparing: string;
  announceReady: string;
  announceSaveTo: string;
  announceFailed: string;
}

type ErrorFormat = (error: AppError) => string;

function rowText(s: DragState, labels: DragLabels): string | null {
  switch (s.state) {
    case 'preparing':
      return s.bytesTotal
        ? interpolate(labels.preparing, {
            percent: String(Math.min(100, Math.floor((100 * s.bytesDone) / s.bytesTotal))),
          })
        : labels.preparingUnknown;
    case 'ready':
      return labels.ready;
    case 'saveTo':
      return labels.saveTo;
    case 'failed':
      return labels.failed;
    default:
      return null;
  }
}

/** Row text per node id, for the rows being dragged (`dragged`) only. */
export function dragRowTexts(
  states: ReadonlyMap<string, DragState>,
  labels: DragLabels,
  dragged: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of dragged) {
    const s = states.get(id);
    const text = s ? rowText(s, labels) : null;
    if (text) out.set(id, text);
  }
  return out;
}

function announcement(s: DragState, name: string, labels: DragLabels, formatError: ErrorFormat): string | null {
  const values = { name, message: s.error ? formatError(s.error) : '' };
  switch (s.state) {
    case 'preparing':
      return interpolate(labels.announcePreparing, values);
    case 'ready':
      return interpolate(labels.announceReady, values);
    case 'saveTo':
      return interpolate(labels.announceSaveTo, values);
    case 'failed':
      return interpolate(labels.announceFailed, values);
    default:
      return null;
  }
}

export interface DragAnnouncerProps {
  states: ReadonlyMap<string, DragState>;
  /** Items whose changes are announced: those of the drag the user started, never a selection. */
  watched: readonly string[];
  nameOf(id: string): string;
  labels: DragLabels;
  /** A failure in the UI's language (the app passes `errorText`); default: the English message. */
  formatError?: ErrorFormat;
}

/** The watched items whose state differs from `seen`, as sentences, and the new `seen`. */
function changes(
  states: ReadonlyMap<string, DragState>,
  watched: readonly string[],
  seen: ReadonlyMap<string, DragState['state']>,
  nameOf: (id: string) => string,
  labels: DragLabels,
  formatError: ErrorFormat,
): { lines: string[]; seen: Map<string, DragState['state']> } {
  const next = new Map<string, DragState['state']>();
  const lines: string[] = [];
  for (const id of watched.slice(0, 20)) {
    const s = states.get(id);
    if (!s) continue;
    next.set(id, s.state);
    if (seen.get(id) === s.state) continue;
    const line = announcement(s, nameOf(id), labels, formatError);
    if (line) lines.push(line);
  }
  return { lines, seen: next };
}

/** A visually hidden `role="status"` region: the latest state change of a watched item (progress is not announced). */
export function DragAnnouncer({
  states,
  watched,
  nameOf,
  labels,
  formatError = (e) => e.message,
}: DragAnnouncerProps): ReactElement {
  const [last, setLast] = useState<{
    states: ReadonlyMap<string, DragState>;
    watched: readonly string[];
    seen: ReadonlyMap<string, DragState['state']>;
    message: string;
  }>({ states: new Map(), watched: [], seen: new Map(), message: '' });
  // Derived while rendering (React's "adjust state when a prop changes"): no effect, no extra pass.
  if (last.states !== states || last.watched.join('\n') !== watched.join('\n')) {
    const found = changes(states, watched, last.seen, nameOf, labels, formatError);
    setLast({
      states,
      watched,
      seen: found.seen,
      message: found.lines.length > 0 ? found.lines.join(' ') : last.message,
    });
  }
  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {last.message}
    </div>
  );
}
