/**
 * The tree's feedback line (state in the store's `feedback-slice.ts`): one `role="status"` region that is always
 * in the DOM (so screen readers announce what appears in it, politely), with the message shown over
 * the bottom of the tree. Text comes in as labels (placeholders `{{name}}`, `{{message}}`).
 */
import type { ReactElement } from 'react';
import type { AppError } from '../../../../shared/model/errors';
import type { TreeFeedback } from '../../store/feedback-slice';
import { interpolate } from './format';
import { focusTabStop } from './reveal';

export interface FeedbackLabels {
  /** `{{name}}`: the item whose path was copied. */
  pathCopied: string;
  /** `{{name}}`: the item whose location (in the tree) was copied. */
  locationCopied: string;
  /** `{{name}}`, `{{message}}`: main could not write the clipboard (Electron). */
  copyFailed: string;
  /** `{{name}}`: the browser refused this page the clipboard (browser host). */
  copyDenied: string;
  /** `{{name}}`: Show in tree cleared the filter that hid the item. */
  filterCleared: string;
  dismiss: string;
}

export function feedbackText(
  feedback: TreeFeedback,
  labels: FeedbackLabels,
  formatError: (error: AppError) => string,
): string {
  const name = feedback.name;
  switch (feedback.kind) {
    case 'pathCopied':
      return interpolate(feedback.location ? labels.locationCopied : labels.pathCopied, { name });
    case 'copyFailed':
      return feedback.error
        ? interpolate(labels.copyFailed, { name, message: formatError(feedback.error) })
        : interpolate(labels.copyDenied, { name });
    case 'filterCleared':
      return interpolate(labels.filterCleared, { name });
  }
}

/** Dismissing gives focus back to the tree's tab stop (the button it was on goes away). */
function dismissToTree(dismiss: () => void): void {
  dismiss();
  focusTabStop(false);
}

export interface TreeFeedbackStatusProps {
  /** What to say now (`id` changes with every message), or null. */
  current: (TreeFeedback & { id: number }) | null;
  dismiss(): void;
  labels: FeedbackLabels;
  formatError(error: AppError): string;
}

export function TreeFeedbackStatus({ current, dismiss, labels, formatError }: TreeFeedbackStatusProps): ReactElement {
  const failed = current?.kind === 'copyFailed';
  return (
    <div className="tree-feedback" role="status">
      {current && (
        // Keyed by message: the same text shown again is a new node, and is announced again.
        <p key={current.id} className={failed ? 'tree-feedback-message tree-feedback-failed' : 'tree-feedback-message'}>
          <span>{feedbackText(current, labels, formatError)}</span>
          {failed && (
            <button type="button" onClick={() => dismissToTree(dismiss)}>
              {labels.dismiss}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
