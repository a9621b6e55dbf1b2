/** The app slice: the API, start-up, app info, settings, vault, notices, the open dialog and the error banner. */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { VaultStatus } from '../../../shared/model/connection';
import type { AppError } from '../../../shared/model/errors';
import type { AppCommand } from '../../../shared/model/commands';
import type { AppInfo, Notice, Settings } from '../../../shared/model/settings';
import type { Call, GetStore, SetStore } from './slice-tools';

export type Dialog =
  | null
  | { kind: 'add' }
  | { kind: 'replace'; connectionId: string }
  | { kind: 'connections' }
  | { kind: 'settings' }
  | { kind: 'shortcuts' };

export interface AppSliceState {
  api: PowerOnApi | null;
  status: 'loading' | 'ready' | 'no-api' | 'disconnected';
  info: AppInfo | null;
  settings: Settings | null;
  vault: VaultStatus | null;
  notices: Notice[];
  dialog: Dialog;
  /** The last error of a user action, shown in a banner until dismissed. */
  actionError: AppError | null;
  /** The open view's handler of window-wide shortcuts and menu commands (`setCommandHandler`). */
  commandHandler: ((command: AppCommand) => void) | null;
}

export interface AppSliceActions {
  init(api: PowerOnApi): Promise<void>;
  setStatus(status: AppSliceState['status']): void;
  openDialog(dialog: Dialog): void;
  dismissNotice(index: number): void;
  dismissActionError(): void;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  chooseDownloadsDir(): Promise<void>;
  openTokenPage(): Promise<void>;
  /** A view takes the commands while mounted (null: it leaves). */
  setCommandHandler(handler: ((command: AppCommand) => void) | null): void;
  /**
   * Runs a command of the application menu (`app:command`) or a shortcut: the open view's handler,
   * or, with no view that takes commands (no connection yet), the commands that need none.
   */
  runCommand(command: AppCommand): void;
}

export function createAppSlice(set: SetStore, get: GetStore, call: Call): AppSliceState & AppSliceActions {
  return {
    api: null,
    status: 'loading',
    info: null,
    settings: null,
    vault: null,
    notices: [],
    dialog: null,
    actionError: null,
    commandHandler: null,

    async init(api) {
      set({ api });
      const [info, settings, vault, connections, roots, transfers, syncPairs] = await Promise.all([
        api.appInfo(),
        api.settingsGet(),
        api.vaultStatus(),
        api.connectionsList(),
        api.sourcesRoots(),
        api.transfersList(),
        api.syncList(),
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
        syncPairs: syncPairs.ok ? syncPairs.value : [],
        status: 'ready',
      });
      if (roots.ok) get().setRoots(roots.value);
      void get().loadExistingQuestions();
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
    setCommandHandler: (commandHandler) => set({ commandHandler }),
    runCommand(command) {
      const handler = get().commandHandler;
      if (handler) return handler(command);
      if (command === 'addConnection') get().openDialog({ kind: 'add' });
      else if (command === 'settings') get().openDialog({ kind: 'settings' });
      else if (command === 'shortcuts') get().openDialog({ kind: 'shortcuts' });
      else if (command === 'showTransfers') get().setTransfersOpen(true);
    },
  };
}
