/**
 * What Details shows of a kDrive file beyond its facts (issue 24.2, 24.3): its versions (listed on
 * demand, one saved through the transfers) and its preview, small in the pane and large in a dialog
 * (`previewOpen`: the node whose large preview is open). A preview that cannot be had is simply not
 * shown (null), never an error banner: the user did not ask for it.
 */
import type { FileVersionInfo, PreviewImage, PreviewSize } from '../../../shared/model/file-extras';
import type { Result } from '../../../shared/model/errors';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface DetailsSliceState {
  /** The file whose larger preview is open (Space, or the pane's button); null: closed. */
  previewOpen: string | null;
}

export interface DetailsSliceActions {
  /** The file's earlier versions, or the failure (shown in the pane). */
  loadVersions(nodeId: string): Promise<Result<FileVersionInfo[]>>;
  /** Saves a version beside the file's last download; progress shows in Transfers. */
  downloadVersion(versionNodeId: string): Promise<void>;
  /** A picture of the file as a `data:` URL, or null (none, or it could not be had). */
  loadPreview(nodeId: string, size: PreviewSize): Promise<string | null>;
  openPreview(nodeId: string): void;
  closePreview(): void;
}

export function previewUrl(image: PreviewImage): string {
  return `data:${image.mime};base64,${image.base64}`;
}

export function createDetailsSlice(set: SetStore, get: GetStore, call: Call): DetailsSliceState & DetailsSliceActions {
  return {
    previewOpen: null,
    async loadVersions(nodeId) {
      const api = get().api;
      if (!api) return { ok: false, error: { code: 'unavailable', message: 'No connection to the app.' } };
      return api.sourcesVersions({ nodeId });
    },
    async downloadVersion(versionNodeId) {
      await call((api) => api.sourcesDownloadVersion({ nodeId: versionNodeId }));
    },
    async loadPreview(nodeId, size) {
      const result = await get().api?.sourcesPreview({ nodeId, size });
      return result?.ok && result.value ? previewUrl(result.value) : null;
    },
    openPreview(nodeId) {
      set({ previewOpen: nodeId });
    },
    closePreview() {
      set({ previewOpen: null });
    },
  };
}
