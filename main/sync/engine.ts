/**
 * One run of one pair: check the folder, learn the remote state completely (a listing that fails
 * half-way throws here and nothing local changes), read the manifest and the local tree, plan,
 * then act (or, for a Preview, return the plan).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { failWith } from '../../shared/model/errors';
import type { SyncCounts, SyncPlanItem, SyncPlanSummary, SyncActionKind } from '../../shared/model/sync';
import { MAX_PREVIEW_ACTIONS } from '../../shared/model/sync';
import { inside } from '../localfs/paths';
import type { Subtree } from '../sources/types';
import { execute } from './executor';
import type { ExecuteResult } from './executor';
import { scanLocal } from './local';
import type { TrustedFiles } from './local';
import { Manifest } from './manifest';
import { foldPath } from './names';
import { changedRemotely, plan } from './planner';
import type { Action, Fold, Plan, RemoteEntry } from './types';

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
  trash: (absolutePath: string) => Promise<void>;
  concurrency: number;
  signal: AbortSignal;
  now: () => number;
  onPhase?: (phase: 'listing' | 'planning' | 'applying') => void;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number }) => void;
  log?: (line: string) => void;
}

export interface RunOutcome extends ExecuteResult {
  via: 'listing' | 'feed';
  plan: Plan;
}

/** The pair's folder must exist and be writable: it is never recreated somewhere else. */
export async function checkFolder(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info || !info.isDirectory()) {
    throw failWith(
      'io',
      'sync_folder_missing',
      `The sync folder "${root}" is missing. Reconnect the disk it is on, or remove this pair and create it again.`,
      { path: root },
    );
  }
  try {
    await access(root, constants.W_OK);
  } catch {
    throw failWith(
      'io',
      'sync_folder_readonly',
      `The sync folder "${root}" cannot be written to. Check its permissions.`,
      { path: root },
    );
  }
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

async function prepare(
  o: RunOptions,
): Promise<{ manifest: Manifest; plan: Plan; entries: Map<string, RemoteEntry>; via: 'listing' | 'feed' }> {
  await checkFolder(o.root);
  o.onPhase?.('listing');
  const entries = await o.source.list(o.signal);
  const via = o.source.via ?? 'listing';
  o.onPhase?.('planning');
  const manifest = await Manifest.open(o.stateDir, o.log);
  try {
    const local = await scanLocal(o.root, o.fold, trustedFiles(manifest, entries, o.fold));
    const day = new Date(o.now()).toISOString().slice(0, 10);
    const planned = plan({
      remote: entries,
      manifest: manifest.entries,
      local,
      fold: o.fold,
      ignoreLocalDeletes: o.ignoreLocalDeletes,
      day,
    });
    return { manifest, plan: planned, entries, via };
  } catch (error) {
    await manifest.close();
    throw error;
  }
}

export async function runPair(o: RunOptions): Promise<RunOutcome> {
  const { manifest, plan: planned, entries, via } = await prepare(o);
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
      signal: o.signal,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    await o.source.commit?.();
    return { ...result, via, plan: planned };
  } finally {
    if (manifest.journalLines > 0) await manifest.compact().catch(() => undefined);
    await manifest.close();
  }
}

/** A Preview: the plan, nothing changed on disk. */
export async function previewPair(o: RunOptions, pairId: string): Promise<SyncPlanSummary> {
  const { manifest, plan: planned, entries } = await prepare(o);
  await manifest.close();
  return summarize(pairId, planned, entries);
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
