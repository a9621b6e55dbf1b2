/**
 * The mass-delete guard (issue 21.2; as Nextcloud and Dropbox ask, rclone's `--max-delete`,
 * Syncthing's folder marker). A surprising answer must not trash a pair: when one run would move
 * more files to the trash than the Settings allow, it acts on no deletion (trash, forget, rmdir),
 * does the rest and asks. The same when the pair's folder is empty while files were synced into it
 * (an unmounted disk: never re-download everything into it without asking) or missing.
 *
 * A question is kept in `<pair state>/held.json` with the ids it held. "Confirm" marks it
 * confirmed: the next run may act on those ids (only those still planned: gone remotely and, as
 * the planner and executor check, unchanged locally); deletions it did not hold are guarded again.
 * "Keep" (main/sync/service.ts) pauses the pair and the manifest forgets the held files: they stay
 * on disk as the user's own (a file that comes back remotely with the same size and time is then
 * adopted, not downloaded again).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppError } from '../../shared/model/errors';
import type { SyncCounts, SyncHeld, SyncRunResult, SyncState } from '../../shared/model/sync';
import { classifyAppError } from '../errors/classify';
import { writeFileAtomic } from '../localfs/atomic';
import { inside } from '../localfs/paths';
import { readBack } from '../localfs/read-back';
import { Manifest } from './manifest';
import type { Action, Plan } from './types';

const HELD_FILE = 'held.json';

/** Below this many files, the percentage alone never asks (deleting 1 of 3 files is not surprising). */
export const MIN_PERCENT_FILES = 5;

export interface GuardLimits {
  maxFiles: number;
  maxPercent: number;
}

/** A held question as kept on disk: what was held, and whether the user confirmed it. */
export interface HeldRecord extends SyncHeld {
  ids: string[];
  confirmed: boolean;
}

const heldSchema = z.object({
  reason: z.enum(['mass', 'empty', 'missing']),
  count: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  confirmed: z.boolean(),
});

/** The held question from disk; a file that is damaged or of another shape counts as none (the next run asks again), logged. */
export async function readHeld(
  stateDir: string,
  log: (line: string) => void = () => undefined,
): Promise<HeldRecord | null> {
  return readBack(join(stateDir, HELD_FILE), heldSchema, log);
}

export async function writeHeld(stateDir: string, held: HeldRecord | null): Promise<void> {
  if (held === null) await rm(join(stateDir, HELD_FILE), { force: true });
  else await writeFileAtomic(inside(stateDir, HELD_FILE), JSON.stringify(held));
}

/** "Keep them": the manifest forgets the held files (they stay on disk, the user's own from now on). */
export async function forgetHeld(stateDir: string, ids: readonly string[]): Promise<void> {
  const manifest = await Manifest.open(stateDir);
  try {
    await Promise.all(ids.map((id) => manifest.remove(id)));
    await manifest.compact();
  } finally {
    await manifest.close();
  }
}

/** The question without its ids (what crosses IPC). */
export function question(held: HeldRecord): SyncHeld {
  return { reason: held.reason, count: held.count, total: held.total };
}

const REMOVALS: ReadonlySet<Action['kind']> = new Set(['trash', 'forget', 'rmdir']);

/** Whether moving `count` of `total` files to the trash in one run is more than the limits allow. */
export function tooMany(count: number, total: number, limits: GuardLimits): boolean {
  if (count > limits.maxFiles) return true;
  if (count >= MIN_PERCENT_FILES && count * 100 > limits.maxPercent * total) return true;
  // Every file of the pair at once (2 or more): the signature of a listing that came back empty.
  return count >= 2 && count >= total;
}

export interface GuardInput {
  plan: Plan;
  /** Files in the manifest (synced into the pair's folder). */
  files: number;
  /** Nothing at all in the pair's folder (its trash aside). */
  localEmpty: boolean;
  limits: GuardLimits;
  /** The confirmed question of an earlier run, if any. */
  confirmed: HeldRecord | null;
}

/** The plan the run may act on, and what it holds back (null: nothing). */
export function guardPlan(input: GuardInput): { plan: Plan; held: HeldRecord | null } {
  const { plan, files, limits, confirmed } = input;
  const emptyConfirmed = confirmed?.reason === 'empty' || confirmed?.reason === 'missing';
  if (files > 0 && input.localEmpty && !emptyConfirmed) {
    const held: HeldRecord = { reason: 'empty', count: files, total: files, ids: [], confirmed: false };
    return { plan: { actions: [], movedPaths: new Map() }, held };
  }
  const allowed = new Set(confirmed?.reason === 'mass' ? confirmed.ids : []);
  const removals = plan.actions.filter((a) => REMOVALS.has(a.kind) && !allowed.has(a.id));
  const trashes = removals.filter((a) => a.kind === 'trash').length;
  if (!tooMany(trashes, files, limits)) return { plan, held: null };
  const held: HeldRecord = {
    reason: 'mass',
    count: trashes,
    total: files,
    ids: removals.map((a) => a.id),
    confirmed: false,
  };
  const kept = new Set(removals);
  return { plan: { ...plan, actions: plan.actions.filter((a) => !kept.has(a)) }, held };
}

/**
 * A run that ended (with its item errors, maybe a held question): its result, and the pair's
 * state: `attention` when it holds a question or an item needs the user (a link on the way).
 */
export function endedRun(
  outcome: { counts: SyncCounts; errors: AppError[]; via: 'listing' | 'feed'; held: HeldRecord | null },
  run: { startedAt: number; finishedAt: number; requests: number; paused: boolean },
): { result: SyncRunResult; state: SyncState; failure: AppError | null } {
  const needsUser = outcome.errors.find((e) => classifyAppError(e).attention) ?? null;
  const attention = outcome.held !== null || needsUser !== null;
  const result: SyncRunResult = {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    ok: outcome.errors.length === 0 && outcome.held === null,
    counts: outcome.counts,
    via: outcome.via,
    requests: run.requests,
    ...(outcome.errors[0] ? { error: outcome.errors[0], errors: outcome.errors } : {}),
    ...(outcome.held ? { held: question(outcome.held) } : {}),
    ...(attention ? { attention: true } : {}),
  };
  return { result, state: run.paused ? 'paused' : attention ? 'attention' : 'idle', failure: needsUser };
}
