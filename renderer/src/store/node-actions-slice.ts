/**
 * Actions on one node from the context menu: Copy path and Open in the Infomaniak web app.
 * Copying goes through main in Electron (its permission handler denies the page's clipboard) and
 * through navigator.clipboard in the browser host. The web app URL always comes from main, built
 * from the node id; the page opens it in a new tab only in the browser host (Electron opens it in
 * the user's browser itself) and only when it is an allowlisted Infomaniak web app address.
 */
import { isWebAppUrl } from '../../../shared/model/web-app';
import type { AppError } from '../../../shared/model/errors';
import type { Call, GetStore, SetStore } from './slice-tools';

/** Whether text reached the clipboard; no `error`: the browser refused this page the clipboard. */
export type CopyResult = { ok: true } | { ok: false; error?: AppError };

export interface NodeActionsSliceActions {
  /** Puts text on the clipboard; the caller says how it went (the tree's feedback line), no banner. */
  copyText(text: string): Promise<CopyResult>;
  openWebApp(nodeId: string): Promise<void>;
}

export function createNodeActionsSlice(_set: SetStore, get: GetStore, call: Call): NodeActionsSliceActions {
  return {
    async copyText(text) {
      const api = get().api;
      if (api && get().info?.host === 'electron') {
        const result = await api.appCopyText({ text });
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      }
      try {
        await navigator.clipboard.writeText(text);
        return { ok: true };
      } catch {
        return { ok: false };
      }
    },
    async openWebApp(nodeId) {
      const result = await call((api) => api.sourcesOpenWebApp({ nodeId }));
      if (!result || result.opened) return;
      if (isWebAppUrl(result.url)) window.open(result.url, '_blank', 'noopener,noreferrer');
    },
  };
}
