/**
 * Actions on one node from the context menu: Copy path and Open in the Infomaniak web app.
 * Copying goes through main in Electron (its permission handler denies the page's clipboard) and
 * through navigator.clipboard in the browser host. The web app URL always comes from main, built
 * from the node id; Electron opens it in the user's browser itself, the browser host offers it as
 * a link (the host note) and only when it is an allowlisted Infomaniak web app address.
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
      if (!result || result.opened || !isWebAppUrl(result.url)) return;
      // The browser host: a tab opened now (after the call) may be blocked as a pop-up, and would
      // say nothing; the note offers the link to open (a click of the user's) or to copy (23.8).
      const name = get().tree.getNode(nodeId)?.name ?? '';
      get().showHostNote({ kind: 'page', name, url: result.url });
    },
  };
}
