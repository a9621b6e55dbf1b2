/**
 * What a kDrive file offers beyond its bytes (issue 24.2, 24.3): its earlier versions and a picture
 * of it. Declared once here for main and the renderer.
 */

/** One earlier version of a file, as Details lists it. */
export interface FileVersionInfo {
  /** A node id main remembers: `sources:downloadVersion` takes it. */
  nodeId: string;
  /** When this version was made (unix ms), when known. */
  modifiedAt: number | null;
  size: number | null;
  /** Who made it ("Sara Meier"), when the answer says. */
  by: string | null;
  /** The name it is saved under: "Report (version 2026-11-03 14.05).pdf". */
  fileName: string;
  /** The same time and size as the file itself: this is the current content. */
  current: boolean;
}

export const PREVIEW_SIZES = ['small', 'large'] as const;
/** `small`: the Details pane; `large`: the larger preview (Space). */
export type PreviewSize = (typeof PREVIEW_SIZES)[number];

/** Raster formats a preview may have (sniffed from the bytes by main, never taken from the server). */
export const PREVIEW_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** A picture of a file: its bytes, base64, for a `data:` URL the renderer makes (the CSP allows data: images). */
export interface PreviewImage {
  mime: (typeof PREVIEW_MIME_TYPES)[number];
  base64: string;
}

/** Kinds of files that have a preview (the node's `fileType`, from kDrive's `extension_type`). */
export const PREVIEW_FILE_TYPES: ReadonlySet<string> = new Set(['image', 'pdf', 'video']);
