/** Which nodes Details offers a preview and versions for (kDrive files; issue 24.2, 24.3). */
import { PREVIEW_FILE_TYPES } from '../../../../shared/model/file-extras';
import type { SourceNode } from '../../../../shared/model/sources';

/**
 * Milliseconds the selection must rest on a file before its preview or versions are asked for:
 * held-down arrows (about 30 a second) and quick taps (up to about 3 a second) cost nothing.
 */
export const SETTLE_MS = 300;

/** A kDrive file (its id ends in a file segment): it has versions. */
export function isKdriveFile(node: SourceNode | null | undefined): node is SourceNode {
  return !!node && node.kind === 'file' && node.service === 'kdrive' && /\/f:[^/]+$/.test(node.id);
}

/** An image, PDF or video in kDrive: it has a preview. */
export function isPreviewable(node: SourceNode | null | undefined): node is SourceNode {
  return isKdriveFile(node) && node.fileType !== undefined && PREVIEW_FILE_TYPES.has(node.fileType);
}
