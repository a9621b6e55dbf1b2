/**
 * Short feedback on what a tree command did, shown over the bottom of the tree and announced
 * politely (`components/tree/feedback-status.tsx`, role="status"): a copied path goes away after
 * `FEEDBACK_MS`; a failed copy stays until the user dismisses it or the next feedback replaces it
 * (there is something to read and do); "the filter was cleared to show …" after Show in tree.
 */
import type { AppError } from '../../../shared/model/errors';
import type { GetStore, SetStore } from './slice-tools';

export type TreeFeedback =
  /** `location`: what was copied is the item's location in the tree (it has no path in kDrive). */
  | { kind: 'pathCopied'; name: string; location?: boolean }
  /** `error` absent: the browser refused this page the clipboard; else main's error (Electron). */
  | { kind: 'copyFailed'; name: string; error?: AppError }
  | { kind: 'filterCleared'; name: string };

/** How long a confirmation stays. */
export const FEEDBACK_MS = 5000;

export interface FeedbackSliceState {
  /** `id` changes with every message, so the same text shown twice is announced twice. */
  feedback: (TreeFeedback & { id: number }) | null;
}

export interface FeedbackSliceActions {
  showFeedback(feedback: TreeFeedback): void;
  dismissFeedback(): void;
}

/** Feedback that stays until dismissed (there is something to read and do). */
const lasting = (feedback: TreeFeedback) => feedback.kind === 'copyFailed';

export function createFeedbackSlice(set: SetStore, get: GetStore): FeedbackSliceState & FeedbackSliceActions {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  return {
    feedback: null,
    showFeedback(feedback) {
      clearTimeout(timer);
      const id = nextId++;
      set({ feedback: { ...feedback, id } });
      if (lasting(feedback)) return;
      timer = setTimeout(() => {
        if (get().feedback?.id === id) set({ feedback: null });
      }, FEEDBACK_MS);
    },
    dismissFeedback() {
      clearTimeout(timer);
      set({ feedback: null });
    },
  };
}
