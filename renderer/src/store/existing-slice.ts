/**
 * The "already exists" questions (issue 13.5): main asks once per batch when a download's name is
 * taken by a file that was there; the dialog shows the first open question and sends the answer.
 */
import type { ExistingChoice, ExistingQuestion } from '../../../shared/model/existing';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface ExistingSliceState {
  /** Open questions, one per waiting batch, oldest first (`transfers:conflicts`). */
  conflicts: ExistingQuestion[];
}

export interface ExistingSliceActions {
  /** Loads the open questions (at start, e.g. after a reload while a download waited). */
  loadConflicts(): Promise<void>;
  setConflicts(conflicts: ExistingQuestion[]): void;
  /** Answers a question; it leaves the list at once (main's next list follows). */
  resolveConflict(id: string, choice: ExistingChoice, applyToAll: boolean): Promise<void>;
}

export function createExistingSlice(
  set: SetStore,
  get: GetStore,
  call: Call,
): ExistingSliceState & ExistingSliceActions {
  return {
    conflicts: [],
    async loadConflicts() {
      const conflicts = await call((api) => api.transfersListConflicts());
      if (conflicts) set({ conflicts });
    },
    setConflicts: (conflicts) => set({ conflicts }),
    async resolveConflict(id, choice, applyToAll) {
      set({ conflicts: get().conflicts.filter((q) => q.id !== id) });
      await call((api) => api.transfersResolveConflict({ id, choice, applyToAll }));
    },
  };
}
