/**
 * `GET /3/drive/{drive}/files/{file}/files?depth=unlimited&limit=1000&with=path&cursor=` [seen]:
 * every descendant of a folder, each with `parent_id` (and `path` with `with=path`), in cursor
 * pages. Refused on the root folder (id 1) [seen: "cannot be used on file_id 1"].
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError, errors } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { DriveModel, FileNode } from '../model/drive';
import { subtreePage } from '../model/subtree';
import type { SubtreeStack } from '../model/subtree';
import { fileJson, intQuery, listQuery, nowSeconds } from './common';
import type { SimCtx } from './common';

/** Values of `depth` the simulator accepts [guess: only `unlimited` is seen; `1` is the plain listing]. */
export function isRecursive(ctx: SimCtx): boolean {
  const depth = ctx.query.get('depth');
  if (depth === null || depth === '' || depth === '1') return false;
  if (depth === 'unlimited') return true;
  throw errors.validation('depth', 'validation_rule_in', 'The depth must be 1 or unlimited.');
}

function sign(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Where a walk stands: the stack, and how many entries it has returned so far (`n`, for the cap). */
interface WalkPosition {
  stack: SubtreeStack;
  served: number;
}

/** Cursor: base64url(JSON) + "." + HMAC, so a forged position is refused, not followed. */
function encodeCursor(secret: Buffer, folderId: number, signature: string, at: WalkPosition): string {
  const body = Buffer.from(JSON.stringify({ f: folderId, s: signature, k: at.stack, n: at.served })).toString(
    'base64url',
  );
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

function decodeCursor(secret: Buffer, raw: string, folderId: number, signature: string): WalkPosition {
  const [body, mac] = raw.split('.');
  if (body && mac) {
    const given = Buffer.from(mac, 'base64url');
    const expected = sign(secret, body);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
          f?: unknown;
          s?: unknown;
          k?: unknown;
          n?: unknown;
        };
        if (c.f === folderId && c.s === signature && Array.isArray(c.k))
          return { stack: c.k as SubtreeStack, served: typeof c.n === 'number' ? c.n : 0 };
      } catch {
        // fall through
      }
    }
  }
  // [guess] like the plain listing: a bad or foreign cursor is a validation error
  throw errors.validation('cursor', 'validation_rule_cursor', 'The cursor is invalid.');
}

export async function listSubtree(ctx: SimCtx, drive: DriveModel, folder: FileNode): Promise<void> {
  if (folder.id === 1) {
    // [guess] status and code; the text is what the doc quotes
    throw new ApiError(400, 'bad_request_error', 'The depth parameter cannot be used on file_id 1', {
      model: 'File',
      file_id: 1,
    });
  }
  if (folder.type !== 'dir') throw errors.notADirectory();
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  // [guess] order_by is ignored in a recursive listing (pre-order, default order in each folder)
  const types = new Set(listQuery(ctx, 'type'));
  for (const t of types) {
    if (t !== 'dir' && t !== 'file')
      throw errors.validation('type', 'validation_rule_in', 'The type must be dir or file.');
  }
  const only = types.size === 1 ? [...types][0] : null;
  const signature = `unlimited|${only ?? ''}`;
  const cursorRaw = ctx.query.get('cursor');
  const from = cursorRaw ? decodeCursor(ctx.sim.secret, cursorRaw, folder.id, signature) : null;
  // [guess] a capped walk (settings.listing_cap) ends after the cap as if it were complete: the
  // client has to notice (a third-party client measured a 10,000-element cap on a listing route).
  const served = from?.served ?? 0;
  const cap = ctx.sim.listingCap;
  const room = cap === null ? limit : Math.max(0, Math.min(limit, cap - served));
  const page =
    room === 0
      ? { ids: [], next: null }
      : subtreePage(drive, folder.id, from?.stack ?? null, room, (_id, isDir) => !only || (only === 'dir') === isDir);
  // The tree changed under the cursor (a folder of the stack is gone): the client must list again.
  if (!page) throw errors.validation('cursor', 'validation_rule_cursor', 'The cursor is invalid.');
  const next = cap !== null && served + page.ids.length >= cap ? null : page.next;
  const fields = new Set(listQuery(ctx, 'with'));
  const withPath = fields.delete('path');
  // Paths from the parent's path where the page already has it (pre-order), not from the root up.
  const paths = new Map<number, string>();
  const data: unknown[] = [];
  for (const id of page.ids) {
    const node = drive.node(id);
    if (!node) continue;
    const json = await fileJson(ctx.sim, drive, node, fields);
    if (withPath) {
      const parentId = node.parentId ?? 1;
      let parent = paths.get(parentId);
      if (parent === undefined) {
        parent = drive.path(parentId);
        paths.set(parentId, parent);
      }
      const path = `${parent === '/' ? '' : parent}/${node.name}`;
      if (node.type === 'dir') paths.set(id, path);
      json.path = path;
    }
    data.push(json);
  }
  sendJson(ctx, 200, {
    result: 'success',
    data,
    response_at: nowSeconds(ctx.sim),
    cursor: next
      ? encodeCursor(ctx.sim.secret, folder.id, signature, { stack: next, served: served + page.ids.length })
      : null,
    has_more: next !== null,
  });
}
