/** The app slice: the API, start-up, app info, settings, vault, notices, the open dialog and the error banner. */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { VaultStatus } from '../../../shared/model/connection';
import type { AppError } from '../../../shared/model/errors';
import type { AppCommand } from '../../../shared/model/commands';
import { EXTERNAL_PAGES } from '../../../shared/model/external-pages';
import type { AppInfo, Notice, Settings } from '../../../shared/model/settings';
import type { Call, GetStore, SetStore } from './slice-tools';

export type Dialog =
  | null
  | { kind: 'add' }
  | { kind: 'replace'; connectionId: string }
  | { kind: 'connections' }
  | { kind: 'settings' }
  | { kind: 'shortcuts' };

/**
 * What the browser host says when asked to start something on the computer it runs on (issue
 * 23.8): it starts nothing there; the user gets the path to copy, or the link to open in a tab.
 */
export type HostNote =
  { kind: 'file' | 'folder'; name: string; path: string } | { kind: 'page'; name: string; url: string };

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
  /** What could not be opened on this computer, with its path or link (browser host). */
  hostNote: HostNote | null;
}

export interface AppSliceActions {
  init(api: PowerOnApi): Promise<void>;
  setStatus(status: AppSliceState['status']): void;
  openDialog(dialog: Dialog): void;
  dismissNotice(index: number): void;
  dismissActionError(): void;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  chooseDownloadsDir(): Promise<void>;
  /** Opens the token page in the user's browser; where the shell cannot, says so with the link. */
  openTokenPage(): Promise<void>;
  /** Whether the shell can open files, folders and pages on the user's machine. */
  canOpenOnMachine(): boolean;
  showHostNote(note: HostNote | null): void;
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
    hostNote: null,

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
      if (get().canOpenOnMachine()) await call((api) => api.appOpenPage({ page: 'tokenPage' }));
      else set({ hostNote: { kind: 'page', name: 'tokenPage', url: EXTERNAL_PAGES.tokenPage } });
    },
    canOpenOnMachine: () => get().info?.capabilities.openOnMachine ?? false,
    showHostNote: (hostNote) => set({ hostNote }),
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
