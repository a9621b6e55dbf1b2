/**
 * Quick sync: pairs of a source node and a local folder, kept one way (cloud → local, "receive
 * only"). What is stored (pairs.json) and what crosses IPC is declared here once, as zod schemas.
 */
import { z } from 'zod';
import { appErrorSchema } from './error-schema';
import type { AppError } from './errors';

export const MAX_PAIRS = 200;
/** Actions shown in a Preview; the counts always cover the whole plan. */
export const MAX_PREVIEW_ACTIONS = 500;

/** kDrive folder or drive → folder tree; calendar → .ics; address book → .vcf; mail folder or mailbox → Maildir. */
export const syncKindSchema = z.enum(['kdrive', 'calendar', 'addressbook', 'mail']);
export type SyncKind = z.infer<typeof syncKindSchema>;

/**
 * tree: kDrive folders; file: one .ics/.vcf per collection; vdir: one file per event/contact (khal,
 * khard, vdirsyncer); maildir: one Maildir (`cur/`, `new/`, `tmp/`) per mail folder, nested.
 */
export const syncLayoutSchema = z.enum(['tree', 'file', 'vdir', 'maildir']);
export type SyncLayout = z.infer<typeof syncLayoutSchema>;

export const syncPairSchema = z
  .object({
    id: z.string().min(1).max(64),
    connectionId: z.string().min(1).max(512),
    /** The Sources node id (conn:<cid>/kdrive/drive:1/f:2). */
    nodeId: z.string().min(1).max(2048),
    kind: syncKindSchema,
    layout: syncLayoutSchema,
    /** Shown in lists: the node's name. */
    name: z.string().max(1024),
    /** Absolute local folder. */
    localPath: z.string().min(1).max(4096),
    /** A file the user deleted locally stays deleted (otherwise it is downloaded again). */
    ignoreLocalDeletes: z.boolean(),
    paused: z.boolean(),
    createdAt: z.number().int().nonnegative(),
    /**
     * Created and not started yet (Create → Preview → Start): nothing runs it (no schedule, no Sync
     * all, no `--sync-now`) until the user starts it. Absent on pairs made before this existed.
     */
    pending: z.boolean().optional(),
    /**
     * Where the node lies, for "a folder already in a pair": its scope (`kdrive:<drive>`,
     * `mail:<mailbox>`, `calendar:<id>`…) and the folder names down to it, as known when the pair
     * was made. Absent on pairs made before this existed.
     */
    remote: z
      .object({ scope: z.string().min(1).max(1024), path: z.array(z.string().max(1024)).max(256) })
      .strict()
      .optional(),
  })
  .strict();
export type SyncPair = z.infer<typeof syncPairSchema>;

export const pairsFileSchema = z.object({ version: z.literal(1), pairs: z.array(syncPairSchema).max(MAX_PAIRS) });
export type PairsFile = z.infer<typeof pairsFileSchema>;

export const syncCountsSchema = z.object({
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  trashed: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Bytes received over the network in this run. */
  bytes: z.number().int().nonnegative(),
});
export type SyncCounts = z.infer<typeof syncCountsSchema>;

export const EMPTY_COUNTS: SyncCounts = {
  added: 0,
  updated: 0,
  moved: 0,
  trashed: 0,
  conflicts: 0,
  failed: 0,
  bytes: 0,
};

export type SyncState = 'idle' | 'syncing' | 'paused' | 'error' | 'attention';

/**
 * Deletions (or a whole re-download) a run held back and asks about (issue 21.2, main/sync/guard.ts):
 * `mass` — more files reported removed than the Settings allow (`count` files of `total`);
 * `empty` — the pair's folder is empty while `total` files were synced into it (an unmounted disk?);
 * `missing` — the pair's folder is gone. Nothing was trashed, nothing downloaded into an empty folder.
 */
export const syncHeldSchema = z.object({
  reason: z.enum(['mass', 'empty', 'missing']),
  count: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type SyncHeld = z.infer<typeof syncHeldSchema>;

/** The answer to a held run: `confirm` (trash them / download again) or `keep` (keep the files, pause the pair). */
export const syncDecisionSchema = z.enum(['confirm', 'keep']);
export type SyncDecision = z.infer<typeof syncDecisionSchema>;

/** A pair's last run, as pushed and as kept in `<data>/sync/<pair>/last-run.json` (read back through this schema). */
export const syncRunResultSchema = z.object({
  startedAt: z.number(),
  finishedAt: z.number(),
  ok: z.boolean(),
  counts: syncCountsSchema,
  /** How the remote state was learnt: full listing or a change feed. */
  via: z.enum(['listing', 'feed']),
  requests: z.number().int().nonnegative(),
  error: appErrorSchema.optional(),
  /** Items skipped with their reasons (`details.path` names each), at most 20. */
  errors: z.array(appErrorSchema).max(100).optional(),
  /** What this run held back and asks about. */
  held: syncHeldSchema.optional(),
  /** The run ended needing the user (a held question, a link on the way, the token…). */
  attention: z.boolean().optional(),
});
export type SyncRunResult = z.infer<typeof syncRunResultSchema>;

export interface SyncProgress {
  phase: 'listing' | 'planning' | 'applying';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
}

/** One pair as the Sync view and the tray see it. */
export interface SyncPairStatus {
  pair: SyncPair;
  state: SyncState;
  progress: SyncProgress | null;
  lastRun: SyncRunResult | null;
  /** Unix ms of the next scheduled run, or null (no schedule). */
  nextRunAt: number | null;
  error: AppError | null;
  /** The question of a held run, until answered (`sync:decide`). */
  held: SyncHeld | null;
}

export type SyncActionKind =
  'mkdir' | 'download' | 'update' | 'conflict' | 'adopt' | 'move' | 'trash' | 'forget' | 'rmdir' | 'keep';

/** A planned step as a Preview shows it (relative paths with `/`). */
export interface SyncPlanItem {
  kind: SyncActionKind;
  path: string;
  /** Where a move goes, or where a conflict copy lands. */
  to?: string;
  size?: number;
}

export interface SyncPlanSummary {
  pairId: string;
  counts: Record<SyncActionKind, number>;
  /** Bytes the plan would download. */
  bytes: number;
  /**
   * Requests to Infomaniak the plan's downloads would send (at least; listings not counted): one
   * per file, one archive for a first run of many small kDrive files, one per message of a mail
   * pair plus its attachments where it must be assembled. Every request spends the token's 60 a minute.
   */
  requests?: number;
  items: SyncPlanItem[];
  truncated: boolean;
  /** What the run would hold back and ask about instead of doing (the counts leave it out). */
  held?: SyncHeld;
}

/**
 * One line of a pair's manifest (snapshot `manifest.jsonl` or journal `manifest.journal`): an entry
 * put, or `{d: id}` for an entry removed. Short keys: the manifest holds up to 100,000 lines.
 */
export const manifestPutSchema = z
  .object({
    i: z.string().min(1).max(512),
    t: z.enum(['d', 'f']),
    p: z.string().min(1).max(16_384),
    s: z.number().int().nonnegative(),
    m: z.number().nonnegative(),
    rs: z.number().int().nonnegative(),
    rt: z.number().nullable(),
    rh: z.string().max(256).nullable().optional(),
  })
  .strict();
export const manifestLineSchema = z.union([manifestPutSchema, z.object({ d: z.string().min(1).max(512) }).strict()]);
export type ManifestLine = z.infer<typeof manifestLineSchema>;
