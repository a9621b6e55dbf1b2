/**
 * The change feed: `GET /3/drive/{drive}/files/{file}/activities?depth=unlimited&from_date=&actions[]=&cursor=&limit=`
 * [seen in the apps: `from_date` (unix seconds), `actions[]` (only these actions), `depth`;
 * whether a personal token may call it is unknown]. Activities come from the remote changes made
 * through the simulator's control (model/mutations.ts). Switchable per scenario
 * (`settings.feeds.activities`) and at run time (`setFeeds`), so clients are tested with a feed
 * and without one.
 */
import { ApiError, errors } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import { DriveChanges } from '../model/mutations';
import type { Activity } from '../model/mutations';
import type { SimState } from '../state';
import { driveFor, fileFor, fileJson, intQuery, listQuery, nowSeconds } from './common';
import type { SimCtx } from './common';

export interface FeedSettings {
  activities: boolean;
  /** The cursor feed (routes/listing-feed.ts) and its start route. */
  listing: boolean;
  /** The drive-wide `listing/continue` (routes/drive-feed.ts); false: 403 while cursors are still handed out. */
  continue: boolean;
  /** The notify origin's long-poll (routes/notify.ts); false: the token is refused (401). */
  longpoll: boolean;
  /** Longest a long-poll waits for a change before answering `{changes: false}` (tests shorten it). */
  longpollWaitMs: number;
}

interface FeedState {
  settings: FeedSettings;
  changes: Map<number, DriveChanges>;
  /** Bumped by `expireFeedCursors`: older `listing/continue` cursors are refused. */
  cursorEpoch: number;
}

const states = new WeakMap<SimState, FeedState>();

export function feedState(sim: SimState): FeedState {
  let s = states.get(sim);
  if (!s) {
    const f = sim.scenario.settings.feeds;
    s = {
      settings: {
        activities: f.activities,
        listing: f.listing,
        continue: f.continue,
        longpoll: f.longpoll,
        longpollWaitMs: 50_000,
      },
      changes: new Map(),
      cursorEpoch: 0,
    };
    states.set(sim, s);
  }
  return s;
}

/** The change log (and mutation control) of one drive. */
export function changesOf(sim: SimState, driveId: number): DriveChanges {
  const state = feedState(sim);
  let c = state.changes.get(driveId);
  if (!c) {
    const drive = sim.drives.get(driveId);
    if (!drive) throw new Error(`simulator: no drive ${driveId}`);
    c = new DriveChanges(drive, () => nowSeconds(sim));
    state.changes.set(driveId, c);
  }
  return c;
}

function within(path: string | null, folder: string, recursive: boolean): boolean {
  if (path === null) return false;
  const prefix = folder === '/' ? '/' : `${folder}/`;
  if (!path.startsWith(prefix)) return false;
  return recursive || !path.slice(prefix.length).includes('/');
}

function decodeOffset(raw: string | null): number {
  if (!raw) return 0;
  try {
    const o = (JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw errors.validation('cursor', 'validation_rule_cursor', 'The cursor is invalid.');
}

async function activityJson(ctx: SimCtx, a: Activity): Promise<Record<string, unknown>> {
  const drive = ctx.sim.drives.get(a.file.driveId)!;
  // [seen] fields: id, created_at, action, file_id, new_path, old_path, file
  return {
    id: a.id,
    created_at: a.createdAt,
    action: a.action,
    file_id: a.fileId,
    new_path: a.newPath,
    old_path: a.oldPath,
    file: { ...(await fileJson(ctx.sim, drive, a.file, new Set())), path: a.newPath ?? a.oldPath },
  };
}

async function listActivities(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  const folder = fileFor(ctx, drive);
  if (!feedState(ctx.sim).settings.activities) {
    // [guess] how the API refuses the feed to a personal token
    throw new ApiError(403, 'forbidden_error', 'This route is not available with this token', { model: 'Activity' });
  }
  if (folder.type !== 'dir') throw errors.notADirectory();
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  // [seen] the apps send `from_date`; [guess] `from` (in an older reading of the spec) is ignored
  // like any parameter the route does not know: everything since the start comes back.
  const from = intQuery(ctx, 'from_date', 0, 0, Number.MAX_SAFE_INTEGER);
  const only = new Set(listQuery(ctx, 'actions'));
  const recursive = ctx.query.get('depth') === 'unlimited';
  const path = drive.path(folder.id);
  const all = changesOf(ctx.sim, drive.id).activities.filter(
    (a) =>
      a.createdAt >= from &&
      (only.size === 0 || only.has(a.action)) &&
      (within(a.oldPath, path, recursive) || within(a.newPath, path, recursive)),
  );
  const offset = decodeOffset(ctx.query.get('cursor'));
  const page = all.slice(offset, offset + limit);
  const data = await Promise.all(page.map((a) => activityJson(ctx, a)));
  const hasMore = offset + limit < all.length;
  sendJson(ctx, 200, {
    result: 'success',
    data,
    response_at: nowSeconds(ctx.sim),
    cursor: hasMore ? Buffer.from(JSON.stringify({ o: offset + limit })).toString('base64url') : null,
    has_more: hasMore,
  });
}

export function registerActivityRoutes(r: Router<SimState>): void {
  r.get('/3/drive/{drive}/files/{file}/activities', listActivities);
}
