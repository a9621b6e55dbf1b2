/**
 * The cursor change feed of desktop-kDrive (docs/infomaniak-api.md, "change feed"; whether a
 * personal token may use it is unknown):
 *   GET /2/drive/{d}/files/listing?directory_id={F}&recursive=true&limit=
 *       → data {cursor, files[]}: the first `limit` descendants and a cursor at "now" [seen in the
 *         desktop app's tests: `data.cursor`, `data.files`]
 *   GET /3/drive/{d}/files/{F}/listing/continue?cursor=&limit=
 *       → data {actions[{action, file_id, parent_id, path}], actions_files[]}, top-level `cursor`,
 *         `has_more`, `response_at`; a cursor the server no longer knows: `invalid_cursor_error`.
 * Actions come from the remote changes made through the simulator's control (model/mutations.ts),
 * seen from folder F: a change inside stays what it was, a move out of F is `file_move_out`, a
 * move into F is `file_move`. Switchable per scenario (`settings.feeds.listing`) and at run time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError, errors } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import type { DriveModel, FileNode } from '../model/drive';
import type { Activity } from '../model/mutations';
import { subtreePage } from '../model/subtree';
import type { SimState } from '../state';
import { changesOf, feedState } from './activities';
import { driveFor, fileJson, intQuery, nowSeconds } from './common';
import type { SimCtx } from './common';

export interface Position {
  d: number;
  f: number;
  /** Index into the drive's change log. */
  o: number;
  /** Cursors of an older epoch are refused (`expireCursors`). */
  e: number;
}

function mac(sim: SimState, body: string): Buffer {
  return createHmac('sha256', sim.secret).update(`listing:${body}`).digest();
}

export function encode(sim: SimState, p: Position): string {
  const body = Buffer.from(JSON.stringify(p)).toString('base64url');
  return `${body}.${mac(sim, body).toString('base64url')}`;
}

// [guess] status 400; the code is the one the apps handle by listing again from scratch
const invalidCursor = (): ApiError =>
  new ApiError(400, 'invalid_cursor_error', 'The cursor is invalid or expired', { model: 'Listing' });

/** A cursor of this drive (and, unless `folderId` is null, of this folder); `invalid_cursor_error` otherwise. */
export function decode(sim: SimState, raw: string | null, driveId: number, folderId: number | null): Position {
  if (!raw) throw errors.validation('cursor', 'validation_rule_required', 'The cursor field is required.');
  const [body, sig] = raw.split('.');
  if (!body || !sig) throw invalidCursor();
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(sim, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Position;
  if (p.d !== driveId || (folderId !== null && p.f !== folderId) || p.e !== feedState(sim).cursorEpoch)
    throw invalidCursor();
  return p;
}

export function refuseIfOff(sim: SimState): void {
  // [guess] how the API refuses the feed to a personal token (as for activities)
  if (!feedState(sim).settings.listing)
    throw new ApiError(403, 'forbidden_error', 'This route is not available with this token', { model: 'Listing' });
}

function inside(path: string | null, folder: string): boolean {
  if (path === null) return false;
  return path.startsWith(folder === '/' ? '/' : `${folder}/`);
}

/** How folder `path` sees one change, or null when it happened elsewhere. */
function actionFor(a: Activity, folder: string): { action: string; path: string } | null {
  const was = inside(a.oldPath, folder);
  const is = inside(a.newPath, folder);
  if (was && is) return { action: a.action, path: a.newPath! };
  if (was) return { action: a.action === 'file_move' ? 'file_move_out' : a.action, path: a.oldPath! };
  if (is) return { action: a.action, path: a.newPath! };
  return null;
}

async function initListing(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  refuseIfOff(ctx.sim);
  const folderId = intQuery(ctx, 'directory_id', 1, 1, Number.MAX_SAFE_INTEGER);
  const folder = drive.node(folderId);
  if (!folder) throw errors.notFound('File');
  if (folder.type !== 'dir') throw errors.notADirectory();
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  const recursive = ctx.query.get('recursive') === 'true';
  const ids = recursive ? (subtreePage(drive, folder.id, null, limit)?.ids ?? []) : childIds(drive, folder.id, limit);
  const files = await Promise.all(ids.map((id) => jsonOf(ctx, drive, drive.node(id))));
  const position: Position = {
    d: drive.id,
    f: folder.id,
    o: changesOf(ctx.sim, drive.id).activities.length,
    e: feedState(ctx.sim).cursorEpoch,
  };
  // [guess] only the first `limit` files: how the rest of a large folder is paged is unknown
  sendJson(ctx, 200, {
    result: 'success',
    data: { cursor: encode(ctx.sim, position), files: files.filter(Boolean) },
    response_at: nowSeconds(ctx.sim),
  });
}

/** Whether node `id` is (still) a descendant of `folderId`: every parent up to it still holds it. */
function within(drive: DriveModel, id: number, folderId: number): boolean {
  const nodes = drive.writable().nodes;
  let cur = id;
  for (let hops = 0; hops < 10_000 && cur !== folderId; hops++) {
    const parentId = drive.node(cur)?.parentId ?? null;
    if (parentId === null) return false;
    const parent = nodes.get(parentId);
    if (parent && !parent.children.includes(cur)) return false;
    cur = parentId;
  }
  return cur === folderId;
}

function childIds(drive: DriveModel, folderId: number, limit: number): number[] {
  const view = drive.children(folderId);
  const ids: number[] = [];
  for (let i = 0; view && i < Math.min(view.count, limit); i++) ids.push(view.at(i));
  return ids;
}

async function jsonOf(ctx: SimCtx, drive: DriveModel, node: FileNode | null): Promise<Record<string, unknown> | null> {
  if (!node) return null;
  return { ...(await fileJson(ctx.sim, drive, node, new Set())), path: drive.path(node.id) };
}

async function continueListing(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  refuseIfOff(ctx.sim);
  const folderId = Number(ctx.params.file);
  const folder = drive.node(folderId);
  if (!folder) throw errors.notFound('File');
  const at = decode(ctx.sim, ctx.query.get('cursor'), drive.id, folder.id);
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  const log = changesOf(ctx.sim, drive.id).activities;
  const folderPath = drive.path(folder.id);
  const actions: Array<Record<string, unknown>> = [];
  const live = new Set<number>();
  let o = at.o;
  for (; o < log.length && actions.length < limit; o++) {
    const a = log[o]!;
    const seen = actionFor(a, folderPath);
    if (!seen) continue;
    actions.push({ action: seen.action, file_id: a.fileId, parent_id: a.file.parentId, path: seen.path });
    if (inside(a.newPath, folderPath)) live.add(a.fileId);
  }
  // The objects as they are now, of files still in the folder (a file changed twice is sent once)
  // [guess: the apps read them by id].
  const still = [...live].filter((id) => within(drive, id, folder.id));
  const files = await Promise.all(still.map((id) => jsonOf(ctx, drive, drive.node(id))));
  const hasMore = o < log.length;
  sendJson(ctx, 200, {
    result: 'success',
    data: { actions, actions_files: files.filter(Boolean) },
    response_at: nowSeconds(ctx.sim),
    cursor: encode(ctx.sim, { ...at, o }),
    has_more: hasMore,
  });
}

export function registerListingFeedRoutes(r: Router<SimState>): void {
  r.get('/2/drive/{drive}/files/listing', initListing);
  r.get('/3/drive/{drive}/files/{file}/listing/continue', continueListing);
}
