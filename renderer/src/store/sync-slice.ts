/**
 * The Sync section's state: the pairs as main reports them (`sync:list` at start, then the bridge
 * applies `sync:changed`), the "Keep in sync…" form (the node it is open for, then the pair it
 * made, which waits for its Start: Create → Preview → Start), the last Preview (cleared once a run
 * of its pair starts or ends: it no longer says what the next run would do), and the pair whose
 * Remove asks first. A failed action of the form shows in the form (`syncDraftError`); any other
 * failed sync action in the Sync section (`syncError`), not in the app's banner.
 */
import type { AppError } from '../../../shared/model/errors';
import type { SyncDecision, SyncLayout, SyncPairStatus, SyncPlanSummary } from '../../../shared/model/sync';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface SyncSliceState {
  syncPairs: SyncPairStatus[];
  /** The node whose "Keep in sync…" form is open. */
  syncDraftNodeId: string | null;
  /** The pair the form made, waiting for its Start (the form shows Preview and Start). */
  syncDraftPairId: string | null;
  /** Why the form's last action failed (a vault, a folder already in a pair…): shown next to the form. */
  syncDraftError: AppError | null;
  syncPreview: SyncPlanSummary | null;
  /** The previewed pair's last run when the Preview was made (a later run makes the Preview stale). */
  syncPreviewAfter: number | null;
  /** The pair whose Preview is being made. */
  syncPreviewing: string | null;
  syncError: AppError | null;
  /** The pair whose Remove waits for the user's answer. */
  syncRemoveId: string | null;
}

export interface SyncCreateOptions {
  layout?: SyncLayout;
  ignoreLocalDeletes?: boolean;
  chooseFolder?: boolean;
}

export interface SyncSliceActions {
  setSyncPairs(pairs: SyncPairStatus[]): void;
  openSyncDraft(nodeId: string | null): void;
  /** Creates the pair (it waits for its Start; nothing is downloaded); false when it was not created. */
  createSyncPair(nodeId: string, options: SyncCreateOptions): Promise<boolean>;
  /** The first run of a pair that waits (or Sync now of any): the form closes. */
  startSyncPair(id: string): Promise<void>;
  runSync(ids?: string[]): Promise<void>;
  pauseSync(id: string, paused: boolean): Promise<void>;
  /** Remove asks first (the files stay on this computer): `confirmRemoveSync` removes. */
  askRemoveSync(id: string | null): void;
  confirmRemoveSync(): Promise<void>;
  openSyncFolder(id: string): Promise<void>;
  previewSync(id: string): Promise<void>;
  /** The answer to a held run's question: confirm, or keep the files and pause. */
  decideSync(id: string, choice: SyncDecision): Promise<void>;
  /** Closes the Sync section's error and preview. */
  dismissSyncNotes(): void;
}

/** Which nodes can be kept in sync, and how. */
export function syncLayoutsFor(node: { kind: string; service?: string | undefined } | null): SyncLayout[] {
  if (!node) return [];
  if (node.service === 'kdrive' && (node.kind === 'drive' || node.kind === 'folder')) return ['tree'];
  if (node.kind === 'calendar' || node.kind === 'addressbook') return ['file', 'vdir'];
  if (node.kind === 'mailbox' || node.kind === 'mailfolder') return ['maildir'];
  return [];
}

/** A Preview says what the next run would do: not once a run of its pair has started or ended since. */
export function previewIsStale(
  preview: SyncPlanSummary,
  madeAfter: number | null,
  pairs: readonly SyncPairStatus[],
): boolean {
  const status = pairs.find((p) => p.pair.id === preview.pairId);
  return !status || status.state === 'syncing' || (status.lastRun?.finishedAt ?? null) !== madeAfter;
}

/** The state once main reports `pairs`: a stale Preview goes, a form whose pair started or went closes. */
function withPairs(state: SyncSliceState, syncPairs: SyncPairStatus[]): Partial<SyncSliceState> {
  const { syncPreview, syncPreviewAfter, syncDraftPairId } = state;
  const stale = syncPreview !== null && previewIsStale(syncPreview, syncPreviewAfter, syncPairs);
  const draft = syncDraftPairId && syncPairs.find((p) => p.pair.id === syncDraftPairId);
  // The form's pair was started (the tray, Sync all…) or removed elsewhere: the form is done.
  const draftDone = syncDraftPairId !== null && (!draft || !draft.pair.pending);
  return {
    syncPairs,
    ...(stale ? { syncPreview: null, syncPreviewAfter: null } : {}),
    ...(draftDone ? { syncDraftNodeId: null, syncDraftPairId: null, syncDraftError: null } : {}),
  };
}

export function createSyncSlice(set: SetStore, get: GetStore, call: Call): SyncSliceState & SyncSliceActions {
  const onError = (error: AppError) => set({ syncError: error });
  /** Errors of the form's pair go to the form. */
  const errorsOf = (id: string) => (error: AppError) =>
    get().syncDraftPairId === id ? set({ syncDraftError: error }) : onError(error);
  return {
    syncPairs: [],
    syncDraftNodeId: null,
    syncDraftPairId: null,
    syncDraftError: null,
    syncPreview: null,
    syncPreviewAfter: null,
    syncPreviewing: null,
    syncError: null,
    syncRemoveId: null,
    setSyncPairs: (syncPairs) => set(withPairs(get(), syncPairs)),
    openSyncDraft: (nodeId) => set({ syncDraftNodeId: nodeId, syncDraftPairId: null, syncDraftError: null }),
    async createSyncPair(nodeId, options) {
      set({ syncDraftError: null });
      const created = await call(
        (api) => api.syncCreate({ nodeId, ...options }),
        (error) => set({ syncDraftError: error }),
      );
      if (!created) return false;
      // Shown at once, whether or not main's `sync:changed` with the new pair came first.
      const known = get().syncPairs.some((p) => p.pair.id === created.pair.id);
      set({
        syncDraftNodeId: nodeId,
        syncDraftPairId: created.pair.id,
        ...(known ? {} : { syncPairs: [...get().syncPairs, created] }),
      });
      return true;
    },
    async startSyncPair(id) {
      const draft = get().syncDraftPairId === id;
      const started = await call((api) => api.syncRun({ ids: [id] }), errorsOf(id));
      if (started && draft) set({ syncDraftNodeId: null, syncDraftPairId: null, syncDraftError: null });
    },
    async runSync(ids) {
      await call((api) => api.syncRun(ids ? { ids } : {}), onError);
    },
    async pauseSync(id, paused) {
      await call((api) => api.syncPause({ id, paused }), onError);
    },
    async decideSync(id, choice) {
      await call((api) => api.syncDecide({ id, choice }), onError);
    },
    askRemoveSync: (id) => set({ syncRemoveId: id }),
    async confirmRemoveSync() {
      const id = get().syncRemoveId;
      if (!id) return;
      set({ syncRemoveId: null });
      await call((api) => api.syncRemove({ id }), errorsOf(id));
    },
    async openSyncFolder(id) {
      const pair = get().syncPairs.find((p) => p.pair.id === id)?.pair;
      if (pair && !get().canOpenOnMachine()) {
        get().showHostNote({ kind: 'folder', name: pair.name, path: pair.localPath });
        return;
      }
      await call((api) => api.syncOpenFolder({ id }), onError);
    },
    async previewSync(id) {
      const after = get().syncPairs.find((p) => p.pair.id === id)?.lastRun?.finishedAt ?? null;
      set({ syncPreviewing: id, ...(get().syncDraftPairId === id ? { syncDraftError: null } : {}) });
      const syncPreview = await call((api) => api.syncPreview({ id }), errorsOf(id));
      set({ syncPreviewing: null });
      if (!syncPreview) return;
      // A run that started or ended while the Preview was made leaves it stale at once.
      if (previewIsStale(syncPreview, after, get().syncPairs)) return;
      set({ syncPreview, syncPreviewAfter: after });
    },
    dismissSyncNotes: () => set({ syncError: null, syncPreview: null, syncPreviewAfter: null }),
  };
}
