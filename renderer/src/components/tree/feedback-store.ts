/**
 * Short feedback on what a tree command did, shown over the bottom of the tree and announced
 * politely (`feedback-status.tsx`, role="status"): a copied path goes away after `FEEDBACK_MS`; a
 * failed copy stays until the user dismisses it or the next feedback replaces it (there is
 * something to read and do); "the filter was cleared to show …" after Show in tree.
 */
import { create } from 'zustand';
import type { AppError } from '../../../../shared/model/errors';

export type TreeFeedback =
  | { kind: 'pathCopied'; name: string }
  /** `error` absent: the browser refused this page the clipboard; else main's error (Electron). */
  | { kind: 'copyFailed'; name: string; error?: AppError }
  | { kind: 'filterCleared'; name: string };

/** How long a confirmation stays. */
export const FEEDBACK_MS = 5000;

export interface TreeFeedbackState {
  /** `id` changes with every message, so the same text shown twice is announced twice. */
  current: (TreeFeedback & { id: number }) | null;
  show(feedback: TreeFeedback): void;
  dismiss(): void;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let nextId = 1;

export const useTreeFeedback = create<TreeFeedbackState>()((set) => ({
  current: null,
  show(feedback) {
    clearTimeout(timer);
    const id = nextId++;
    set({ current: { ...feedback, id } });
    if (feedback.kind === 'copyFailed') return;
    timer = setTimeout(() => set((s) => (s.current?.id === id ? { current: null } : s)), FEEDBACK_MS);
  },
  dismiss() {
    clearTimeout(timer);
    set({ current: null });
  },
}));
