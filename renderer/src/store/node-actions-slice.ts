/**
 * Actions on one node from the context menu: Copy path and Open in the Infomaniak web app.
 * Copying goes through main in Electron (its permission handler denies the page's clipboard) and
 * through navigator.clipboard in the browser host. The web app URL always comes from main, built
 * from the node id; the page opens it in a new tab only in the browser host (Electron opens it in
 * the user's browser itself) and only when it is an allowlisted Infomaniak web app address.
 */
import { isWebAppUrl } from '../../../shared/model/web-app';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface NodeActionsSliceActions {
  /** Puts text on the clipboard; false (and an error banner) when that failed. */
  copyText(text: string): Promise<boolean>;
  openWebApp(nodeId: string): Promise<void>;
}

export function createNodeActionsSlice(set: SetStore, get: GetStore, call: Call): NodeActionsSliceActions {
  return {
    async copyText(text) {
      if (get().info?.host === 'electron') return (await call((api) => api.appCopyText({ text }))) !== null;
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        set({
          actionError: {
            code: 'unavailable',
            message: 'The clipboard could not be written. Allow clipboard access for this page and try again.',
          },
        });
        return false;
      }
    },
    async openWebApp(nodeId) {
      const result = await call((api) => api.sourcesOpenWebApp({ nodeId }));
      if (!result || result.opened) return;
      if (isWebAppUrl(result.url)) window.open(result.url, '_blank', 'noopener,noreferrer');
    },
  };
}
