/**
 * Dragging items out of the Sources tree. The renderer names nodes only; main stages files in its
 * own cache and answers with states (and, in the browser host, one-time links). No path ever
 * crosses from the renderer to main.
 */
import { z } from 'zod';
import { appErrorSchema } from './error-schema';

const nodeId = z.string().min(1).max(512);

/** At most this many nodes per drag or per prepare call. */
export const MAX_DRAG_NODES = 1000;

export const dragNodeIdsSchema = z.array(nodeId).min(1).max(MAX_DRAG_NODES);

/**
 * - `preparing`: being staged (bytes so far of the total, when known);
 * - `ready`: on disk (downloaded and unchanged, or staged): a drag starts at once;
 * - `saveTo`: too large (or a folder too big) to stage: offer "Save to…";
 * - `failed`: staging failed; `error` says why;
 * - `idle`: nothing staged (any more): the row shows nothing.
 */
export const dragStateSchema = z.object({
  nodeId,
  state: z.enum(['idle', 'preparing', 'ready', 'saveTo', 'failed']),
  bytesDone: z.number().int().min(0),
  bytesTotal: z.number().int().min(0).nullable(),
  error: appErrorSchema.optional(),
});
export type DragState = z.infer<typeof dragStateSchema>;

/** `drag:states` event payload: the changed states, batched. */
export const dragStatesSchema = z.array(dragStateSchema).max(MAX_DRAG_NODES);

/** `dragId` names one press of the mouse button, so that its release can stop a waiting drag. */
export const dragStartSchema = z.object({ nodeIds: dragNodeIdsSchema, dragId: z.string().min(1).max(64) }).strict();

export const dragReleaseSchema = z.object({ dragId: z.string().min(1).max(64) }).strict();

/**
 * How a `drag:start` ended: `started` (the OS drag runs), `released` (the button went up before the
 * files were ready; they now say "Ready to drag"), `saveTo` (too large to stage: use "Save to…").
 */
export const dragOutcomeSchema = z.object({ outcome: z.enum(['started', 'released', 'saveTo']) });
export type DragOutcome = z.infer<typeof dragOutcomeSchema>;

export const dragLinkRequestSchema = z.object({ nodeId }).strict();

/** Browser host: Chromium's `DownloadURL` drag data (`mime:filename:url`) for one file. */
export const dragLinkSchema = z.object({
  downloadUrl: z.string().max(4096),
  /** Unix ms after which the link answers 403. */
  expiresAt: z.number().int(),
});
export type DragLink = z.infer<typeof dragLinkSchema>;
