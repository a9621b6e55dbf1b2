/**
 * The Sync view's state: the pairs as main reports them (`sync:list`, then `sync:changed` events),
 * the node a "Keep in sync…" form is open for, and the last Preview. IPC calls live in the actions
 * here; the components only display.
 */
import { create } from 'zustand';
import type { PowerOnApi } from '../../../../shared/ipc/api';
import type { AppError, Result } from '../../../../shared/model/errors';
import type { SyncDecision, SyncLayout, SyncPairStatus, SyncPlanSummary } from '../../../../shared/model/sync';

export interface SyncStoreState {
  api: PowerOnApi | null;
  pairs: SyncPairStatus[];
  /** The node whose "Keep in sync…" form is open. */
  draftNodeId: string | null;
  preview: SyncPlanSummary | null;
  error: AppError | null;
}

export interface SyncStoreActions {
  /** Loads the pairs and follows `sync:changed`; returns the unsubscribe function. */
  init(api: PowerOnApi): () => void;
  openDraft(nodeId: string | null): void;
  create(
    nodeId: string,
    options: { layout?: SyncLayout; ignoreLocalDeletes?: boolean; chooseFolder?: boolean },
  ): Promise<boolean>;
  run(ids?: string[]): Promise<void>;
  pause(id: string, paused: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  openFolder(id: string): Promise<void>;
  /** The answer to a held run's question: confirm, or keep the files and pause. */
  decide(id: string, choice: SyncDecision): Promise<void>;
  showPreview(id: string): Promise<void>;
  dismiss(): void;
}

export type SyncStore = SyncStoreState & SyncStoreActions;

export function createSyncStore() {
  return create<SyncStore>()((set, get) => {
    async function call<T>(run: (api: PowerOnApi) => Promise<Result<T>>): Promise<T | null> {
      const api = get().api;
      if (!api) return null;
      const result = await run(api);
      if (result.ok) return result.value;
      if (result.error.code !== 'cancelled') set({ error: result.error });
      return null;
    }
    return {
      api: null,
      pairs: [],
      draftNodeId: null,
      preview: null,
      error: null,
      init(api) {
        set({ api });
        const off = api.onSyncChanged((pairs) => set({ pairs }));
        void api.syncList().then((r) => r.ok && set({ pairs: r.value }));
        return off;
      },
      openDraft(nodeId) {
        set({ draftNodeId: nodeId, error: null });
      },
      async create(nodeId, options) {
        const created = await call((api) => api.syncCreate({ nodeId, ...options }));
        if (!created) return false;
        set({ draftNodeId: null });
        await call((api) => api.syncRun({ ids: [created.pair.id] }));
        return true;
      },
      async run(ids) {
        await call((api) => api.syncRun(ids ? { ids } : {}));
      },
      async pause(id, paused) {
        await call((api) => api.syncPause({ id, paused }));
      },
      async remove(id) {
        await call((api) => api.syncRemove({ id }));
      },
      async openFolder(id) {
        await call((api) => api.syncOpenFolder({ id }));
      },
      async decide(id, choice) {
        await call((api) => api.syncDecide({ id, choice }));
      },
      async showPreview(id) {
        const preview = await call((api) => api.syncPreview({ id }));
        set({ preview });
      },
      dismiss() {
        set({ error: null, preview: null });
      },
    };
  });
}

/** The one sync store of the page. */
export const useSyncStore = createSyncStore();

/** Which nodes can be kept in sync, and how. */
export function syncLayoutsFor(node: { kind: string; service?: string | undefined } | null): SyncLayout[] {
  if (!node) return [];
  if (node.service === 'kdrive' && (node.kind === 'drive' || node.kind === 'folder')) return ['tree'];
  if (node.kind === 'calendar' || node.kind === 'addressbook') return ['file', 'vdir'];
  return [];
}
