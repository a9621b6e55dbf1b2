/**
 * The executor's renames (executor.ts): a folder moved or renamed as one rename, a file moved in
 * two phases (to a temporary name, then to its target, so that two names can be swapped), free
 * names beside a taken one. Every rename goes through localfs (`renameInside`: both ends checked,
 * no link followed, nothing replaced); the manifest follows each step at once.
 */
import type { SyncCounts } from '../../shared/model/sync';
import { exists, mkdirInside, resolveTarget } from '../localfs/paths';
import type { LocalTarget } from '../localfs/paths';
import { renameInside } from '../localfs/placement';
import { withCounter } from '../localfs/safe-name';
import type { Manifest } from './manifest';
import { baseName, joinPath, parentPath } from './names';
import type { Action } from './types';

export interface MoveContext {
  /** A path of the pair as a localfs target. */
  at(path: string): LocalTarget;
  manifest: Manifest;
  counts: SyncCounts;
  /** Folders made or found by `mkdirParent` in this run. */
  made?: Set<string>;
  log?: (line: string) => void;
}

const MOVE_SUFFIX = '.poweron-move';

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The temporary name of a moving file or folder, beside where it was. */
function movingName(id: string, from: string): string {
  return joinPath(parentPath(from), `.${fnv1a(id)}${MOVE_SUFFIX}`);
}

/**
 * Creates the folders on the way to `path` (checked: a link or a file in the way is refused). A
 * folder made or found in this run is not walked again for each of its files (`made`): each write
 * checks its whole way itself (resolveTarget), this only saves making it twice.
 */
export async function mkdirParent(ctx: MoveContext, path: string): Promise<void> {
  const parent = parentPath(path);
  if (parent === '' || ctx.made?.has(parent)) return;
  await mkdirInside(ctx.at(parent));
  ctx.made?.add(parent);
}

/** `path`, or the first free `name (n).ext` beside it. */
export async function freePath(ctx: MoveContext, path: string): Promise<string> {
  let candidate = path;
  for (let n = 1; await exists(await resolveTarget(ctx.at(candidate))); n++) {
    candidate = joinPath(parentPath(path), withCounter(baseName(path), n));
  }
  return candidate;
}

async function rewriteBelow(ctx: MoveContext, from: string, to: string): Promise<void> {
  const prefix = `${from}/`;
  const puts: Array<Promise<void>> = [];
  for (const m of [...ctx.manifest.entries.values()]) {
    if (m.path === from) puts.push(ctx.manifest.put({ ...m, path: to }));
    else if (m.path.startsWith(prefix)) puts.push(ctx.manifest.put({ ...m, path: to + m.path.slice(from.length) }));
  }
  await Promise.all(puts);
}

export async function moveDir(ctx: MoveContext, id: string, from: string, to: string): Promise<void> {
  await mkdirParent(ctx, to);
  if (from.toLowerCase() === to.toLowerCase() || (await exists(await resolveTarget(ctx.at(to))))) {
    // A case-only rename (or a target that is in the way) goes through a temporary name.
    const tmp = movingName(id, from);
    await renameInside(ctx.at(from), ctx.at(tmp));
    await rewriteBelow(ctx, from, tmp);
    if (await exists(await resolveTarget(ctx.at(to)))) {
      ctx.log?.(`sync: "${to}" is in the way; the folder stays at "${tmp}"`);
      return;
    }
    await renameInside(ctx.at(tmp), ctx.at(to));
    await rewriteBelow(ctx, tmp, to);
  } else {
    await renameInside(ctx.at(from), ctx.at(to));
    await rewriteBelow(ctx, from, to);
  }
  ctx.counts.moved++;
}

/** First phase of a file move: to its temporary name (null when it is gone or not in the manifest). */
export async function stageMove(ctx: MoveContext, a: Extract<Action, { kind: 'move' }>): Promise<string | null> {
  const m = ctx.manifest.get(a.id);
  if (!m) return null;
  const tmp = movingName(a.id, a.from);
  try {
    await renameInside(ctx.at(a.from), ctx.at(tmp));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  await ctx.manifest.put({ ...m, path: tmp });
  return tmp;
}

/** Second phase: from the temporary name to the target (or the first free name beside it). */
export async function finishMove(ctx: MoveContext, a: Extract<Action, { kind: 'move' }>, tmp: string): Promise<void> {
  await mkdirParent(ctx, a.to);
  const to = await freePath(ctx, a.to);
  await renameInside(ctx.at(tmp), ctx.at(to));
  await ctx.manifest.put({ ...ctx.manifest.get(a.id)!, path: to });
  ctx.counts.moved++;
}
