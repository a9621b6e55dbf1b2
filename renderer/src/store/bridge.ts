/**
 * The one place pushed events reach the store: each main → renderer event is applied here.
 */
import type { PowerOnApi } from '../../../shared/ipc/api';
import { setLanguage } from '../i18n';
import { runAppCommand } from '../components/tree/hooks/use-app-shortcuts';
import type { AppStore } from './index';

export function connectBridge(api: PowerOnApi, store: AppStore): () => void {
  const s = () => store.getState();
  const offs = [
    api.onAppNotice((notice) => store.setState({ notices: [...s().notices, notice] })),
    api.onAppCommand(({ command }) => {
      if (runAppCommand(command)) return;
      // No Sources view yet (no connection): the commands that need none still work.
      if (command === 'addConnection') s().openDialog({ kind: 'add' });
      else if (command === 'settings') s().openDialog({ kind: 'settings' });
      else if (command === 'showTransfers') s().setTransfersOpen(true);
    }),
    api.onSettingsChanged((settings) => {
      store.setState({ settings });
      // The language may follow from the new settings (or from --lang / the system when set back).
      void api.appInfo().then((info) => {
        if (!info.ok) return;
        store.setState({ info: info.value });
        void setLanguage(info.value.language);
      });
    }),
    api.onConnectionsChanged((connections) => store.setState({ connections })),
    api.onConnectionsProgress((progress) => s().onProgress(progress)),
    api.onSourcesRootsChanged((roots) => s().setRoots(roots)),
    api.onSourcesPage((page) => s().applyPage(page)),
    api.onTransfersChanged((changes) => s().applyTransferChanges(changes)),
    api.onTransfersConflicts((conflicts) => s().setConflicts(conflicts)),
    api.onDragStates((states) => s().applyDragStates(states)),
  ];
  return () => offs.forEach((off) => off());
}
