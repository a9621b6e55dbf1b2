/**
 * The Sync section's state: the pairs as main reports them (`sync:list` at start, then the bridge
 * applies `sync:changed`), the node a "Keep in sync…" form is open for, and the last Preview. A
 * failed sync action is shown in the Sync section (`syncError`), not in the app's banner.
 */
import type { AppError } from '../../../shared/model/errors';
import type { SyncDecision, SyncLayout, SyncPairStatus, SyncPlanSummary } from '../../../shared/model/sync';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface SyncSliceState {
  syncPairs: SyncPairStatus[];
  /** The node whose "Keep in sync…" form is open. */
  syncDraftNodeId: string | null;
  syncPreview: SyncPlanSummary | null;
  syncError: AppError | null;
}

export interface SyncCreateOptions {
  layout?: SyncLayout;
  ignoreLocalDeletes?: boolean;
  chooseFolder?: boolean;
}

export interface SyncSliceActions {
  setSyncPairs(pairs: SyncPairStatus[]): void;
  openSyncDraft(nodeId: string | null): void;
  /** Creates the pair and runs it once; false when it was not created. */
  createSyncPair(nodeId: string, options: SyncCreateOptions): Promise<boolean>;
  runSync(ids?: string[]): Promise<void>;
  pauseSync(id: string, paused: boolean): Promise<void>;
  removeSync(id: string): Promise<void>;
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
  return [];
}

export function createSyncSlice(set: SetStore, get: GetStore, call: Call): SyncSliceState & SyncSliceActions {
  const onError = (error: AppError) => set({ syncError: error });
  return {
    syncPairs: [],
    syncDraftNodeId: null,
    syncPreview: null,
    syncError: null,
    setSyncPairs: (syncPairs) => set({ syncPairs }),
    openSyncDraft: (nodeId) => set({ syncDraftNodeId: nodeId, syncError: null }),
    async createSyncPair(nodeId, options) {
      const created = await call((api) => api.syncCreate({ nodeId, ...options }), onError);
      if (!created) return false;
      set({ syncDraftNodeId: null });
      await call((api) => api.syncRun({ ids: [created.pair.id] }), onError);
      return true;
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
    async removeSync(id) {
      await call((api) => api.syncRemove({ id }), onError);
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
      const syncPreview = await call((api) => api.syncPreview({ id }), onError);
      set({ syncPreview });
    },
    dismissSyncNotes: () => set({ syncError: null, syncPreview: null }),
  };
}
