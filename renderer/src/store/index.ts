/**
 * The renderer's state: one zustand store in slices (app, connections, sources, transfers).
 * IPC calls live in the actions here; `bridge.ts` applies pushed events; components only display.
 */
import { create } from 'zustand';
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { Connection, ValidationProgress, ValidationStepId, VaultStatus } from '../../../shared/model/connection';
import type { AppError, Result } from '../../../shared/model/errors';
import type { AppInfo, Notice, Settings } from '../../../shared/model/settings';
import type { SourceNode, SourcePage } from '../../../shared/model/sources';
import { mergeTransferChanges } from '../../../shared/model/transfers';
import type { Transfer, TransferChanges } from '../../../shared/model/transfers';
import { createTreeModel } from '../components/tree/snapshot';
import { needsConfirmation, selectionTotals, topmostIds } from '../components/tree/selection-summary';
import type { SelectionTotals } from '../components/tree/selection-summary';
import type { SelectMode, TreeModel, VisibleRow } from '../components/tree';
import { createDragSlice } from './drag';
import type { DragSlice } from './drag';

export type Dialog =
  null | { kind: 'add' } | { kind: 'replace'; connectionId: string } | { kind: 'connections' } | { kind: 'settings' };

export interface AddFlow {
  attemptId: string;
  busy: boolean;
  steps: Partial<Record<ValidationStepId, ValidationProgress>>;
  error: AppError | null;
}

export interface PendingDownload extends SelectionTotals {
  nodeIds: string[];
  chooseTarget: boolean;
}

/** `transfers:download` takes at most this many ids per call (the contract's bound). */
const MAX_IDS_PER_DOWNLOAD = 10_000;

export interface StoreState {
  api: PowerOnApi | null;
  status: 'loading' | 'ready' | 'no-api' | 'disconnected';
  info: AppInfo | null;
  settings: Settings | null;
  vault: VaultStatus | null;
  notices: Notice[];
  connections: Connection[];
  dialog: Dialog;
  addFlow: AddFlow | null;
  /** An immutable snapshot of the Sources tree: every change publishes a new one. */
  tree: TreeModel;
  selected: ReadonlySet<string>;
  focusedId: string | null;
  filter: string;
  /** A big download waiting for the user's yes (more than 100 items or 1 GB). */
  pendingDownload: PendingDownload | null;
  transfers: Transfer[];
  transfersOpen: boolean;
  /** The user hid the transfers panel: a new download does not open it again (the badge counts). */
  transfersHidden: boolean;
  /** The last error of a user action, shown in a banner until dismissed. */
  actionError: AppError | null;
}

export interface StoreActions {
  init(api: PowerOnApi): Promise<void>;
  setStatus(status: StoreState['status']): void;
  openDialog(dialog: Dialog): void;
  dismissNotice(index: number): void;
  dismissActionError(): void;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  chooseDownloadsDir(): Promise<void>;
  openTokenPage(): Promise<void>;

  addConnection(token: string, allowWeakStorage: boolean): Promise<boolean>;
  replaceToken(connectionId: string, token: string, allowWeakStorage: boolean): Promise<boolean>;
  removeConnection(connectionId: string): Promise<void>;
  confirmEndpoints(connectionId: string): Promise<void>;
  startDemo(): Promise<void>;
  onProgress(progress: ValidationProgress): void;

  setRoots(roots: SourceNode[]): void;
  /** A streamed `sources:page` (from the bridge). */
  applyPage(page: SourcePage): void;
  toggle(id: string, expand: boolean): Promise<void>;
  list(id: string, refresh?: boolean): Promise<void>;
  refreshAll(): Promise<void>;
  select(ids: string[], mode: SelectMode): void;
  focus(id: string): void;
  /** Filters the loaded rows; selected rows the filter hides are deselected. */
  setFilter(filter: string): void;

  /**
   * Downloads the downloadable ones of `ids`, each once (items inside a selected folder come with
   * it); a big download (more than 100 items or 1 GB) waits in `pendingDownload` for a yes.
   */
  download(ids: string[], options?: { chooseTarget?: boolean }): Promise<void>;
  confirmDownload(): Promise<void>;
  cancelDownload(): void;
  setTransfers(transfers: Transfer[]): void;
  /** Merges one batch of `transfers:changed`: changed records replace theirs (new ones are appended), removed ones go. */
  applyTransferChanges(changes: TransferChanges): void;
  transferAction(action: 'cancel' | 'retry' | 'open' | 'reveal', id: string): Promise<void>;
  clearFinished(): Promise<void>;
  setTransfersOpen(open: boolean): void;
}

export type Store = StoreState & StoreActions & DragSlice;

function newAttemptId(): string {
  return `attempt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createAppStore() {
  return create<Store>()((set, get) => {
    /** Runs an API call; a failure lands in `actionError` and the call returns null. */
    async function call<T>(run: (api: PowerOnApi) => Promise<Result<T>>): Promise<T | null> {
      const api = get().api;
      if (!api) return null;
      const result = await run(api);
      if (result.ok) return result.value;
      if (result.error.code !== 'cancelled') set({ actionError: result.error });
      return null;
    }

    /** Runs add / replace token with a fresh attempt id; progress events for it fill `addFlow`. */
    async function validate(run: (api: PowerOnApi, attemptId: string) => Promise<Result<unknown>>): Promise<boolean> {
      const api = get().api;
      if (!api) return false;
      const attemptId = newAttemptId();
      set({ addFlow: { attemptId, busy: true, steps: {}, error: null } });
      const result = await run(api, attemptId);
      const flow = get().addFlow;
      if (!result.ok) {
        if (flow?.attemptId === attemptId) set({ addFlow: { ...flow, busy: false, error: result.error } });
        return false;
      }
      set({ addFlow: null, dialog: null });
      return true;
    }

    async function startDownload(nodeIds: string[], chooseTarget: boolean): Promise<void> {
      let started = false;
      for (let i = 0; i < nodeIds.length; i += MAX_IDS_PER_DOWNLOAD) {
        const part = nodeIds.slice(i, i + MAX_IDS_PER_DOWNLOAD);
        const result = await call((api) =>
          api.transfersDownload({ nodeIds: part, ...(chooseTarget ? { chooseTarget: true } : {}) }),
        );
        if (!result) break;
        started = true;
      }
      if (started && !get().transfersHidden) set({ transfersOpen: true });
    }

    return {
      api: null,
      status: 'loading',
      info: null,
      settings: null,
      vault: null,
      notices: [],
      connections: [],
      dialog: null,
      addFlow: null,
      tree: createTreeModel(),
      selected: new Set(),
      focusedId: null,
      filter: '',
      pendingDownload: null,
      transfers: [],
      transfersOpen: false,
      transfersHidden: false,
      actionError: null,

      async init(api) {
        set({ api });
        const [info, settings, vault, connections, roots, transfers] = await Promise.all([
          api.appInfo(),
          api.settingsGet(),
          api.vaultStatus(),
          api.connectionsList(),
          api.sourcesRoots(),
          api.transfersList(),
        ]);
        if (!info.ok) {
          set({ status: 'disconnected', actionError: info.error });
          return;
        }
        set({
          info: info.value,
          notices: info.value.notices,
          settings: settings.ok ? settings.value : null,
          vault: vault.ok ? vault.value : null,
          connections: connections.ok ? connections.value : [],
          transfers: transfers.ok ? transfers.value : [],
          status: 'ready',
        });
        if (roots.ok) get().setRoots(roots.value);
      },
      setStatus: (status) => set({ status }),
      openDialog: (dialog) => set({ dialog, addFlow: null }),
      dismissNotice: (index) => set({ notices: get().notices.filter((_, i) => i !== index) }),
      dismissActionError: () => set({ actionError: null }),

      async updateSettings(patch) {
        const settings = await call((api) => api.settingsSet(patch));
        if (settings) set({ settings });
      },
      async chooseDownloadsDir() {
        await call((api) => api.settingsChooseDownloadsDir());
      },
      async openTokenPage() {
        await call((api) => api.appOpenPage({ page: 'tokenPage' }));
      },

      addConnection: (token, allowWeakStorage) =>
        validate((api, attemptId) => api.connectionsAdd({ token, attemptId, allowWeakStorage })),
      replaceToken: (connectionId, token, allowWeakStorage) =>
        validate((api, attemptId) =>
          api.connectionsReplaceToken({ id: connectionId, token, attemptId, allowWeakStorage }),
        ),
      async removeConnection(connectionId) {
        await call((api) => api.connectionsRemove({ id: connectionId }));
      },
      async confirmEndpoints(connectionId) {
        await call((api) => api.connectionsConfirmEndpoints({ id: connectionId }));
      },
      async startDemo() {
        await call((api) => api.connectionsStartDemo());
      },
      onProgress(progress) {
        const flow = get().addFlow;
        if (!flow || flow.attemptId !== progress.attemptId) return;
        set({ addFlow: { ...flow, steps: { ...flow.steps, [progress.step]: progress } } });
      },

      setRoots(roots) {
        const tree = get().tree.withRoots(roots);
        set({ tree });
        // Keep expanded connections listed: a new root that was expanded before gets its children again.
        for (const root of roots) if (tree.isExpanded(root.id) && tree.needsLoad(root.id)) void get().list(root.id);
      },
      applyPage(page) {
        const tree = get().tree.withPage(page);
        if (tree !== get().tree) set({ tree });
      },
      async toggle(id, expand) {
        set({ tree: get().tree.withExpanded(id, expand) });
        if (expand && get().tree.needsLoad(id)) await get().list(id);
      },
      async list(id, refresh = false) {
        const api = get().api;
        if (!api) return;
        set({ tree: get().tree.withLoading(id) });
        const result = await api.sourcesList(refresh ? { nodeId: id, refresh } : { nodeId: id });
        const tree = get().tree;
        set({ tree: result.ok ? tree.withLoading(id, result.value.listingId) : tree.withError(id, result.error) });
      },
      async refreshAll() {
        const api = get().api;
        if (!api) return;
        await api.sourcesRefresh({});
        const { tree } = get();
        for (const id of tree.state.expanded) {
          if (tree.getNode(id)?.expandable) void get().list(id);
        }
      },
      select(ids, mode) {
        const current = new Set(get().selected);
        if (mode === 'replace' || mode === 'range') {
          set({ selected: new Set(ids) });
          return;
        }
        for (const id of ids) {
          if (current.has(id)) current.delete(id);
          else current.add(id);
        }
        set({ selected: current });
      },
      focus: (id) => set({ focusedId: id }),
      setFilter(filter) {
        // The filter never acts on what it hides: hidden rows leave the selection.
        const { tree, selected } = get();
        if (selected.size === 0) return set({ filter });
        const visible = new Set(tree.rows(filter).map((r) => r.id));
        const kept = [...selected].filter((id) => visible.has(id));
        set(kept.length === selected.size ? { filter } : { filter, selected: new Set(kept) });
      },

      async download(ids, options = {}) {
        const { tree } = get();
        const downloadable = ids.filter((id) => tree.getNode(id)?.downloadable);
        const nodeIds = topmostIds(downloadable, (id) => tree.getNode(id));
        if (nodeIds.length === 0) return;
        const totals = selectionTotals(nodeIds.map((id) => tree.getNode(id)!));
        const chooseTarget = options.chooseTarget === true;
        if (needsConfirmation(totals)) {
          set({ pendingDownload: { nodeIds, chooseTarget, ...totals } });
          return;
        }
        await startDownload(nodeIds, chooseTarget);
      },
      async confirmDownload() {
        const pending = get().pendingDownload;
        if (!pending) return;
        set({ pendingDownload: null });
        await startDownload(pending.nodeIds, pending.chooseTarget);
      },
      cancelDownload: () => set({ pendingDownload: null }),
      setTransfers: (transfers) => set({ transfers }),
      applyTransferChanges: (changes) => set({ transfers: mergeTransferChanges(get().transfers, changes) }),
      async transferAction(action, id) {
        await call((api) => {
          switch (action) {
            case 'cancel':
              return api.transfersCancel({ id });
            case 'retry':
              return api.transfersRetry({ id });
            case 'open':
              return api.transfersOpen({ id });
            case 'reveal':
              return api.transfersReveal({ id });
          }
        });
      },
      async clearFinished() {
        await call((api) => api.transfersClearFinished());
      },
      setTransfersOpen: (open) => set({ transfersOpen: open, transfersHidden: !open }),
      ...createDragSlice(set, get, {
        api: () => get().api,
        host: () => get().info?.host ?? null,
        isFile: (id) => get().tree.getNode(id)?.kind === 'file',
        call,
      }),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

/** Visible rows for the current filter (memoised per snapshot). */
export function selectRows(state: StoreState): VisibleRow[] {
  return state.tree.rows(state.filter);
}
