/**
 * The one place pushed events reach the store: each main → renderer event is applied here (no
 * slice or component subscribes to the API's events itself).
 */
import type { PowerOnApi } from '../../../shared/ipc/api';
import { setLanguage } from '../i18n';
import type { AppStore } from './index';

export function connectBridge(api: PowerOnApi, store: AppStore): () => void {
  const s = () => store.getState();
  const offs = [
    api.onAppNotice((notice) => store.setState({ notices: [...s().notices, notice] })),
    api.onAppCommand(({ command }) => s().runCommand(command)),
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
    api.onTransfersExisting((questions) => s().setExistingQuestions(questions)),
    api.onDragStates((states) => s().applyDragStates(states)),
    api.onSyncChanged((pairs) => s().setSyncPairs(pairs)),
  ];
  return () => offs.forEach((off) => off());
}
