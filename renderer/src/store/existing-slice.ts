/**
 * The "already exists" questions (issue 13.5): main asks once per batch when a download's name is
 * taken by a file that was there; the dialog shows the first open question and sends the answer.
 */
import type { ExistingChoice, ExistingQuestion } from '../../../shared/model/existing';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface ExistingSliceState {
  /** Open questions, one per waiting batch, oldest first (`transfers:existing`). */
  existingQuestions: ExistingQuestion[];
}

export interface ExistingSliceActions {
  /** Loads the open questions (at start, e.g. after a reload while a download waited). */
  loadExistingQuestions(): Promise<void>;
  setExistingQuestions(existingQuestions: ExistingQuestion[]): void;
  /** Answers a question; it leaves the list at once (main's next list follows). */
  answerExisting(id: string, choice: ExistingChoice, applyToAll: boolean): Promise<void>;
}

export function createExistingSlice(
  set: SetStore,
  get: GetStore,
  call: Call,
): ExistingSliceState & ExistingSliceActions {
  return {
    existingQuestions: [],
    async loadExistingQuestions() {
      const existingQuestions = await call((api) => api.transfersListExisting());
      if (existingQuestions) set({ existingQuestions });
    },
    setExistingQuestions: (existingQuestions) => set({ existingQuestions }),
    async answerExisting(id, choice, applyToAll) {
      set({ existingQuestions: get().existingQuestions.filter((q) => q.id !== id) });
      await call((api) => api.transfersResolveExisting({ id, choice, applyToAll }));
    },
  };
}
