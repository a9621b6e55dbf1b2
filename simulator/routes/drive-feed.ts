/**
 * The drive-wide cursor feed of desktop-kDrive (docs/infomaniak-api.md, "Change feeds"; with a
 * personal token: unknown):
 *   GET /2/drive/{d}/files/listing/continue?cursor=&with=files.capabilities&limit=
 *     → data {cursor, has_more, actions[]}                                               [seen]
 * Each action carries the file's own fields: `action, file_id, parent_id, path` (`destination`
 * on moves), `created_at, last_modified_at, file_type, size, symbolic_link` and, with
 * `with=files.capabilities`, `capabilities.can_write` [seen]; there is no separate file list.
 * The cursor comes from the start route of routes/listing-feed.ts (`/2/drive/{d}/files/listing`).
 * Every action of the drive comes, not only those below the folder the cursor was started for
 * [guess: the route is drive-wide]; `note` changes (file_access, shares, comments…) come too.
 */
import { ApiError } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import type { Activity } from '../model/mutations';
import type { SimState } from '../state';
import { changesOf, feedState } from './activities';
import { driveFor, intQuery, listQuery, nowSeconds } from './common';
import type { SimCtx } from './common';
import { decode, encode, refuseIfOff } from './listing-feed';

const MOVES = new Set(['file_move', 'file_move_out']);

/** One action as the desktop app reads it. */
function actionJson(a: Activity, withCapabilities: boolean): Record<string, unknown> {
  const f = a.file;
  const move = MOVES.has(a.action);
  const out: Record<string, unknown> = {
    action: a.action,
    file_id: a.fileId,
    parent_id: f.parentId,
    // [guess] `path` is where the file was (moves: before; `destination` after), drive-absolute
    path: move ? a.oldPath : (a.newPath ?? a.oldPath),
    created_at: f.createdAt,
    last_modified_at: f.modifiedAt,
    file_type: f.type, // [guess] `file` or `dir` (the desktop reads anything but `file` as a folder)
    symbolic_link: null, // [guess] null for an ordinary file
  };
  if (move) out.destination = a.newPath;
  if (f.type === 'file') out.size = f.size;
  if (withCapabilities) out.capabilities = { can_write: f.status !== 'locked' };
  return out;
}

async function continueDrive(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  refuseIfOff(ctx.sim);
  if (!feedState(ctx.sim).settings.continue)
    // [guess] the desktop app reads a 403 here as "access to the directory is forbidden"
    throw new ApiError(403, 'forbidden_error', 'Access to this listing is forbidden', { model: 'Listing' });
  const at = decode(ctx.sim, ctx.query.get('cursor'), drive.id, null);
  const limit = intQuery(ctx, 'limit', 1000, 5, 1000); // [guess] default and bounds
  const withCapabilities = listQuery(ctx, 'with').includes('files.capabilities');
  const log = changesOf(ctx.sim, drive.id).activities;
  const end = Math.min(log.length, at.o + limit);
  const actions = log.slice(at.o, end).map((a) => actionJson(a, withCapabilities));
  sendJson(ctx, 200, {
    result: 'success',
    data: { cursor: encode(ctx.sim, { ...at, o: end }), has_more: end < log.length, actions },
    response_at: nowSeconds(ctx.sim),
  });
}

export function registerDriveFeedRoutes(r: Router<SimState>): void {
  r.get('/2/drive/{drive}/files/listing/continue', continueDrive);
}
