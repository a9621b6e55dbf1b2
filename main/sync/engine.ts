/**
 * One run of one pair: check the folder, learn the remote state completely (a listing that fails
 * half-way, or comes in a shape that is not the expected one, throws here and nothing local
 * changes; a record that cannot be read is unknown, never deleted), read the manifest and the local
 * tree, plan, hold back what the mass-delete guard asks about (guard.ts), then act (or, for a
 * Preview, return the plan).
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir } from 'node:fs/promises';
import { failWith } from '../../shared/model/errors';
import type { AppError } from '../../shared/model/errors';
import type { SyncCounts, SyncPlanItem, SyncPlanSummary, SyncActionKind } from '../../shared/model/sync';
import { MAX_PREVIEW_ACTIONS } from '../../shared/model/sync';
import { inside, linkRefused } from '../localfs/paths';
import { unreadOf } from '../sources/types';
import type { Subtree, Unread } from '../sources/types';
import { estimateRequests } from './estimate';
import { execute } from './executor';
import { guardPlan, question } from './guard';
import type { GuardLimits, HeldRecord } from './guard';
import type { ExecuteResult } from './executor';
import { hashLocalCandidates } from './content-hash';
import { scanLocal } from './local';
import type { TrustedFiles } from './local';
import { Manifest } from './manifest';
import { foldPath } from './names';
import { changedRemotely, plan } from './planner';
import type { Action, Fold, Plan, RemoteEntry } from './types';

const DEFAULT_LIMITS: GuardLimits = { maxFiles: 50, maxPercent: 30 };

/**
 * What a run reads of the remote: the adapter's subtree of the pair's node (main/sources/types.ts:
 * complete listing, download item per entry, the archive), maybe behind a change feed (feed.ts),
 * which adds how the last listing was learned and a position to keep after the run.
 */
export interface RunSource extends Subtree {
  /** How the last `list` learned the state (default `listing`). */
  readonly via?: 'listing' | 'feed';
  /** Called after a run applied the listing (a feed remembers its position here). */
  commit?(): Promise<void>;
}

export interface RunOptions {
  root: string;
  /** Folder of this pair's manifest (in the app's data folder). */
  stateDir: string;
  source: RunSource;
  fold: Fold;
  ignoreLocalDeletes: boolean;
  /** Moves a file (its way already checked) to the trash. */
  trash: (absolutePath: string) => Promise<unknown>;
  concurrency: number;
  signal: AbortSignal;
  now: () => number;
  /** The mass-delete guard: limits (default 50 files / 30 %) and an earlier question the user confirmed. */
  guard?: { limits: GuardLimits; confirmed: HeldRecord | null };
  onPhase?: (phase: 'listing' | 'planning' | 'applying') => void;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number }) => void;
  log?: (line: string) => void;
}

export interface RunOutcome extends ExecuteResult {
  via: 'listing' | 'feed';
  plan: Plan;
  /** What the run held back and asks about (guard.ts), or null. */
  held: HeldRecord | null;
}

/**
 * The pair's folder: a real folder (not a link or a junction: a pair's folder that became one is
 * refused, `unsafe_path`) that can be written to; `missing` when it is gone (an unmounted disk):
 * it is never recreated without asking (guard.ts).
 */
export async function checkFolder(root: string): Promise<'ok' | 'missing'> {
  const info = await lstat(root).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (!info) return 'missing';
  if (info.isSymbolicLink()) throw linkRefused(root);
  if (!info.isDirectory()) {
    throw failWith('io', 'sync_folder_not_folder', `The sync folder "${root}" is not a folder.`, { path: root });
  }
  try {
    await access(root, constants.W_OK);
  } catch {
    throw failWith('io', 'sync_folder_readonly', `The sync folder "${root}" cannot be written to.`, { path: root });
  }
  return 'ok';
}

/** Files whose remote version is the one recorded: the plan does not compare them, the scan need not stat them. */
function trustedFiles(manifest: Manifest, remote: Map<string, RemoteEntry>, fold: Fold): TrustedFiles {
  const out = new Map<string, { size: number; mtime: number }>();
  for (const m of manifest.entries.values()) {
    if (m.type !== 'file') continue;
    const r = remote.get(m.id);
    if (r && r.type === 'file' && !changedRemotely(r, m))
      out.set(foldPath(fold, m.path), { size: m.size, mtime: m.mtime });
  }
  return out;
}

function fileCount(manifest: Manifest): number {
  let files = 0;
  for (const m of manifest.entries.values()) if (m.type === 'file') files++;
  return files;
}

interface Prepared {
  manifest: Manifest;
  plan: Plan;
  entries: Map<string, RemoteEntry>;
  via: 'listing' | 'feed';
  held: HeldRecord | null;
  unread: Unread | undefined;
  leftovers: string[];
}

const NOTHING: Plan = { actions: [], movedPaths: new Map() };

async function prepare(o: RunOptions): Promise<Prepared> {
  const confirmed = o.guard?.confirmed ?? null;
  let folder = await checkFolder(o.root);
  if (folder === 'missing' && (confirmed?.reason === 'missing' || confirmed?.reason === 'empty')) {
    await mkdir(o.root, { recursive: true });
    folder = await checkFolder(o.root);
  }
  if (folder === 'missing') {
    // Gone (an unmounted disk?): nothing listed, nothing written; the pair asks (guard.ts).
    const manifest = await Manifest.open(o.stateDir, o.log);
    const files = fileCount(manifest);
    const held: HeldRecord = { reason: 'missing', count: files, total: files, ids: [], confirmed: false };
    return { manifest, plan: NOTHING, entries: new Map(), via: 'listing', held, unread: undefined, leftovers: [] };
  }
  o.onPhase?.('listing');
  const entries = await o.source.list(o.signal);
  const unread = unreadOf(entries);
  const via = o.source.via ?? 'listing';
  o.onPhase?.('planning');
  const manifest = await Manifest.open(o.stateDir, o.log);
  try {
    const local = await scanLocal(o.root, o.fold, trustedFiles(manifest, entries, o.fold));
    await hashLocalCandidates(o.root, local.values(), entries);
    const day = new Date(o.now()).toISOString().slice(0, 10);
    const planned = plan({
      remote: entries,
      ...(unread ? { unread } : {}),
      manifest: manifest.entries,
      local,
      fold: o.fold,
      ignoreLocalDeletes: o.ignoreLocalDeletes,
      day,
    });
    const limits = o.guard?.limits ?? DEFAULT_LIMITS;
    const guarded = guardPlan({
      plan: planned,
      files: fileCount(manifest),
      localEmpty: local.size === 0,
      limits,
      confirmed,
    });
    return { manifest, plan: guarded.plan, entries, via, held: guarded.held, unread, leftovers: local.leftovers };
  } catch (error) {
    await manifest.close();
    throw error;
  }
}

/** The run's note about records that could not be read (their local files were left as they are). */
function unreadError(unread: Unread): AppError {
  const what = unread.all ? 'Some records' : `${unread.ids.size} record${unread.ids.size === 1 ? '' : 's'}`;
  return {
    code: 'api_error',
    message: `${what} of Infomaniak's listing could not be read; their local files were left as they are.`,
  };
}

export async function runPair(o: RunOptions): Promise<RunOutcome> {
  const { manifest, plan: planned, entries, via, held, unread, leftovers } = await prepare(o);
  try {
    o.onPhase?.('applying');
    const result = await execute({
      root: o.root,
      plan: planned,
      remote: entries,
      manifest,
      itemFor: (entry) => o.source.itemFor(entry),
      ...(o.source.archive
        ? { archive: { source: o.source.archive, target: inside(o.stateDir, 'first-run.zip') } }
        : {}),
      trash: o.trash,
      concurrency: o.concurrency,
      day: new Date(o.now()).toISOString().slice(0, 10),
      leftovers,
      signal: o.signal,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    // A listing with unread records is not kept as the feed's starting point (its gaps are unknown).
    if (unread) result.errors.unshift(unreadError(unread));
    else if (held?.reason !== 'missing') await o.source.commit?.();
    return { ...result, via, plan: planned, held };
  } finally {
    if (manifest.journalLines > 0) await manifest.compact().catch(() => undefined);
    await manifest.close();
  }
}

/** A Preview: the plan, nothing changed on disk. */
export async function previewPair(o: RunOptions, pairId: string): Promise<SyncPlanSummary> {
  const { manifest, plan: planned, entries, held } = await prepare(o);
  await manifest.close();
  const summary = { ...summarize(pairId, planned, entries), requests: estimateRequests(planned, entries, o.source) };
  return held ? { ...summary, held: question(held) } : summary;
}

const KINDS: Record<Action['kind'], SyncActionKind> = {
  mkdir: 'mkdir',
  moveDir: 'move',
  move: 'move',
  download: 'download',
  update: 'update',
  conflict: 'conflict',
  adopt: 'adopt',
  trash: 'trash',
  forget: 'forget',
  rmdir: 'rmdir',
};

export function summarize(pairId: string, p: Plan, remote: Map<string, RemoteEntry>): SyncPlanSummary {
  const counts = Object.fromEntries(Object.values(KINDS).map((k) => [k, 0])) as Record<SyncActionKind, number>;
  counts.keep = 0;
  let bytes = 0;
  const items: SyncPlanItem[] = [];
  for (const a of p.actions) {
    const kind = a.kind === 'forget' && a.kept ? 'keep' : KINDS[a.kind];
    counts[kind]++;
    const size = remote.get(a.id)?.size ?? 0;
    if (a.kind === 'download' || a.kind === 'update' || a.kind === 'conflict') bytes += size;
    if (items.length >= MAX_PREVIEW_ACTIONS) continue;
    const item: SyncPlanItem = { kind, path: 'path' in a ? a.path : a.from };
    if ('to' in a) item.to = a.to;
    if (a.kind === 'download' || a.kind === 'update' || a.kind === 'conflict') item.size = size;
    items.push(item);
  }
  return { pairId, counts, bytes, items, truncated: items.length < p.actions.length };
}

export function countsLine(c: SyncCounts): string {
  return `${c.added} new, ${c.updated} updated, ${c.moved} moved, ${c.trashed} trashed, ${c.conflicts} conflicts, ${c.failed} failed`;
}
