/** The transfers slice: starting downloads (with the "ask first" rule), the transfer list and its panel. */
import { mergeTransferChanges } from '../../../shared/model/transfers';
import type { Transfer, TransferChanges } from '../../../shared/model/transfers';
import { needsConfirmation, selectionTotals, topmostIds } from './tree/selection-summary';
import type { SelectionTotals } from './tree/selection-summary';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface PendingDownload extends SelectionTotals {
  nodeIds: string[];
  chooseTarget: boolean;
}

/** `transfers:download` takes at most this many ids per call (the contract's bound). */
const MAX_IDS_PER_DOWNLOAD = 10_000;

export interface TransfersSliceState {
  /** A big download waiting for the user's yes (more than 100 items or 1 GB). */
  pendingDownload: PendingDownload | null;
  transfers: Transfer[];
  transfersOpen: boolean;
  /** The user hid the transfers panel: a new download does not open it again (the badge counts). */
  transfersHidden: boolean;
}

export interface TransfersSliceActions {
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

export function createTransfersSlice(
  set: SetStore,
  get: GetStore,
  call: Call,
): TransfersSliceState & TransfersSliceActions {
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
    pendingDownload: null,
    transfers: [],
    transfersOpen: false,
    transfersHidden: false,

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
      if ((action === 'open' || action === 'reveal') && !get().canOpenOnMachine()) {
        // The browser host starts nothing on its computer: say where the file is (23.8).
        const t = get().transfers.find((x) => x.id === id);
        const path = t?.targetPath ?? get().info?.downloadsDir;
        if (!t || !path) return;
        const kind = action === 'open' && t.kind !== 'folder' && t.kind !== 'selection' ? 'file' : 'folder';
        get().showHostNote({ kind, name: t.name, path });
        return;
      }
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
  };
}
