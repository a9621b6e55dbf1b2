/**
 * Transfers: the record the renderer shows, the change batches main pushes, and what
 * `transfers.json` stores. One zod schema per shape; the types come from `z.infer`.
 */
import { z } from 'zod';
import { appErrorSchema } from './error-schema';
import { renameReasonSchema } from './existing';

const count = z.number().int().min(0);
const bytes = z.number().min(0);

/** The error a failed transfer shows (an AppError, as data: the one schema). */
export const transferErrorSchema = appErrorSchema;

/**
 * `skipped`: finished without writing anything, every file was skipped (the user chose Skip, or the
 * same file was already there); not `done`, which says something was downloaded.
 */
export const transferStateSchema = z.enum(['queued', 'running', 'done', 'skipped', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof transferStateSchema>;

/** `selection`: many selected items as one transfer (a big selection is never thousands of transfers). */
export const transferKindSchema = z.enum(['file', 'folder', 'zip', 'export', 'selection']);
export type TransferKind = z.infer<typeof transferKindSchema>;

/** At most this many renamed pairs travel with a transfer; `renamedCount` has the full count. */
export const MAX_RENAMED_SHOWN = 20;

export const transferSchema = z.object({
  id: z.string().min(1).max(512),
  /** What the user asked for (file, folder, calendar, "120 items"…), for the list. */
  name: z.string().max(4096),
  kind: transferKindSchema,
  /** How many selected items the transfer downloads (more than 1 only for a `selection`). */
  items: count.default(1),
  state: transferStateSchema,
  bytesDone: bytes,
  /** Null while unknown (no Content-Length, folder still being listed). */
  bytesTotal: bytes.nullable(),
  filesDone: count,
  filesTotal: count.nullable(),
  /** Bytes per second, smoothed. */
  speed: bytes,
  /** Seconds left, when known. */
  etaSeconds: z.number().min(0).nullable(),
  /** Where the result is (file or folder), once known. */
  targetPath: z.string().max(8192).nullable(),
  /**
   * Names written differently: [original, written as, why]; the first MAX_RENAMED_SHOWN. Why:
   * `unsafe` (made safe on disk; also when absent, as in older records) or `exists` (the name was
   * taken, both kept: `name (1).ext`).
   */
  renamed: z.array(z.tuple([z.string().max(8192), z.string().max(8192), renameReasonSchema.optional()])).max(1000),
  /** How many names were changed in all. */
  renamedCount: count.default(0),
  /** Of those, how many because the name was taken (both kept). */
  keptBoth: count.default(0),
  /** Files not downloaded because one of that name was there and the user chose Skip. */
  skipped: count.default(0),
  /**
   * Files not downloaded because the same file was already there (same size and modification time,
   * or the same content hash where it is known): not asked about.
   */
  alreadyThere: count.default(0),
  /** Files that were there and went to the trash to be replaced (the user chose Replace). */
  replaced: count.default(0),
  /** A file of this transfer waits for the user's answer: skip, keep both or replace. */
  waitingForDecision: z.boolean().default(false),
  /** How many times a dropped connection was resumed. */
  resumes: count,
  /**
   * How the finished files were checked: `size` (size, and the validator on resume), or
   * `size+hash` (also a plain content hash). Null until a file is written.
   */
  verified: z.enum(['size', 'size+hash']).nullable().default(null),
  /** How a folder came down: file by file, or as one archive unpacked locally. Null for others. */
  route: z.enum(['files', 'archive']).nullable().default(null),
  /** While the transfer waits for the token's request budget: when it expects to go on (unix ms). */
  waitingUntil: z.number().nullable().default(null),
  /**
   * While a download waits to try again after a failed attempt (server error, stalled or dropped
   * connection): when the next attempt starts (unix ms). Null once bytes flow again.
   */
  retryingAt: z.number().nullable().default(null),
  /**
   * A job bound by the token's request budget (more requests left than one window allows): the
   * requests it still has to send and how long they take at the budget (`limit` per `windowMs`;
   * Infomaniak: 60 a minute), one per slot. `complete` is false while the files are still being
   * counted: it takes at least this long. Null or absent when the budget does not bind it.
   */
  estimate: z
    .object({
      requests: count,
      seconds: z.number().min(0),
      limit: count,
      windowMs: z.number().min(1),
      complete: z.boolean(),
    })
    .nullable()
    .optional(),
  error: transferErrorSchema.optional(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
});
export type Transfer = z.infer<typeof transferSchema>;

/**
 * One batch of changes, pushed as `transfers:changed` at most once per notification interval
 * (≤ 10 a second): the transfers that changed since the last batch (each at most once, whole) and
 * the ids of removed ones. The full list is `transfers:list`, asked once at start.
 */
export interface TransferChanges {
  changed: Transfer[];
  removed: string[];
}

/** The list after one batch of changes; untouched records keep their identity (no needless re-render). */
export function mergeTransferChanges(list: Transfer[], changes: TransferChanges): Transfer[] {
  if (changes.changed.length === 0 && changes.removed.length === 0) return list;
  const removed = new Set(changes.removed);
  const changed = new Map(changes.changed.map((t) => [t.id, t]));
  const next: Transfer[] = [];
  for (const t of list) {
    if (removed.has(t.id)) continue;
    const update = changed.get(t.id);
    next.push(update ?? t);
    changed.delete(t.id);
  }
  for (const t of changed.values()) if (!removed.has(t.id)) next.push(t);
  return next;
}

export type DownloadMode = 'files' | 'zip';

/** A selected node as a transfer remembers it: its kind and name, so a restart never guesses them. */
export const storedNodeSchema = z.object({
  id: z.string().min(1).max(512),
  /** `file` or `folder` when known at start (from the listing the user saw); null when unknown. */
  kind: z.enum(['file', 'folder']).nullable().default(null),
  name: z.string().max(4096).nullable().default(null),
  /** The node id of its folder in the tree, when known at start (a file of a selection). */
  parent: z.string().min(1).max(512).nullable().optional(),
});
export type StoredNode = z.infer<typeof storedNodeSchema>;

/** One record of `transfers.json`. Records of version 1 had a single `nodeId`. */
export const storedTransferSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    if (record.nodes === undefined && typeof record.nodeId === 'string') {
      const { nodeId, ...rest } = record;
      return { ...rest, nodes: [{ id: nodeId }] };
    }
    return value;
  },
  z.object({
    transfer: transferSchema,
    nodes: z.array(storedNodeSchema).min(1).max(10_000),
    folderMode: z.enum(['files', 'zip']),
    targetDir: z.string().min(1).max(8192),
  }),
);
export type StoredTransfer = z.infer<typeof storedTransferSchema>;

/** `transfers.json`: records are checked one by one, so one bad record never loses the others. */
export const transfersFileSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  transfers: z.array(z.unknown()).max(100_000),
});
