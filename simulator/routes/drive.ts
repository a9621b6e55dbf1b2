/** api origin: /1/accounts, /2/drive, folder listings (v3 cursor, v2 page), file info and hash. */
import { reachesAccount } from '../core/auth';
import { ApiError, errors, success } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import { unixSeconds, parseTimeSpec } from '../core/time';
import { parseSize } from '../core/units';
import { compareDefault, listView } from '../model/drive';
import type { ChildView, DriveModel, FileNode } from '../model/drive';
import type { SimState } from '../state';
import { canReachDrive, driveFor, fileFor, fileJson, hashOf, intQuery, listQuery, nowSeconds } from './common';
import type { SimCtx } from './common';
import { isRecursive, listSubtree } from './drive-subtree';

function driveJson(sim: SimState, d: DriveModel): Record<string, unknown> {
  const s = d.spec;
  const anchor = sim.clock.base;
  const created = s.created !== undefined ? parseTimeSpec(s.created, anchor) : anchor - 2 * 365 * 86_400_000;
  const updated = s.updated !== undefined ? parseTimeSpec(s.updated, anchor) : anchor - 86_400_000;
  return {
    id: s.id,
    name: s.name,
    size: parseSize(s.size),
    used_size: s.used_size !== undefined ? parseSize(s.used_size) : d.usedSize(),
    account_id: s.account_id,
    in_maintenance: s.in_maintenance,
    maintenance_reason: s.maintenance_reason,
    is_locked: s.is_locked,
    role: s.role,
    created_at: unixSeconds(created),
    updated_at: unixSeconds(updated),
    preferences: { color: s.color, hide: false, default_page: 'files' },
    pack: { ...s.pack },
  };
}

// ---------------------------------------------------------------------------------------------
// Listings

const ORDER_KEYS = new Set(['name', 'added_at', 'last_modified_at', 'size', 'type', 'created_at', 'updated_at']);

function compareBy(key: string, a: FileNode, b: FileNode): number {
  switch (key) {
    case 'name':
      return a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0;
    case 'added_at':
      return a.addedAt - b.addedAt;
    case 'created_at':
      return (a.createdAt ?? 0) - (b.createdAt ?? 0);
    case 'last_modified_at':
    case 'updated_at':
      return a.modifiedAt - b.modifiedAt;
    case 'size':
      return a.size - b.size;
    case 'type':
      return a.type === b.type ? 0 : a.type === 'dir' ? -1 : 1;
    default:
      return 0;
  }
}

/** Sorted listings materialise one folder's children (never the drive); the last few are kept. */
const sortedCache = new WeakMap<DriveModel, Map<string, number[]>>();

interface Listing {
  view: ChildView;
  /** Identifies the ordering, so a cursor cannot be replayed against another one. */
  signature: string;
}

function listingFor(ctx: SimCtx, drive: DriveModel, folder: FileNode): Listing {
  const orderBy = listQuery(ctx, 'order_by');
  for (const k of orderBy) {
    if (!ORDER_KEYS.has(k)) throw errors.validation('order_by', 'validation_rule_in', `Unknown order_by ${k}.`);
  }
  const orderRaw = ctx.query.get('order') ?? 'asc';
  if (orderRaw !== 'asc' && orderRaw !== 'desc') {
    throw errors.validation('order', 'validation_rule_in', 'The order must be asc or desc.');
  }
  const types = new Set(listQuery(ctx, 'type'));
  for (const t of types) {
    if (t !== 'dir' && t !== 'file')
      throw errors.validation('type', 'validation_rule_in', 'The type must be dir or file.');
  }
  const only = types.size === 1 ? ([...types][0] as 'dir' | 'file') : null;
  const signature = `${orderBy.join(',')}|${orderRaw}|${only ?? ''}`;
  if (orderBy.length === 0 && orderRaw === 'asc') {
    const view = only ? drive.childrenOfType(folder.id, only) : drive.children(folder.id);
    if (!view) throw errors.notADirectory();
    return { view, signature };
  }
  let cache = sortedCache.get(drive);
  if (!cache) {
    cache = new Map();
    sortedCache.set(drive, cache);
  }
  const key = `${folder.id}|${signature}`;
  let ids = cache.get(key);
  if (!ids) {
    const base = only ? drive.childrenOfType(folder.id, only) : drive.children(folder.id);
    if (!base) throw errors.notADirectory();
    const nodes: FileNode[] = [];
    for (let i = 0; i < base.count; i++) {
      const n = drive.node(base.at(i));
      if (n) nodes.push(n);
    }
    const dir = orderRaw === 'desc' ? -1 : 1;
    nodes.sort((a, b) => {
      for (const k of orderBy) {
        const c = compareBy(k, a, b);
        if (c !== 0) return c * dir;
      }
      return orderBy.length === 0 ? compareDefault(a, b) * dir : (a.id - b.id) * dir;
    });
    ids = nodes.map((n) => n.id);
    cache.set(key, ids);
    if (cache.size > 4) cache.delete(cache.keys().next().value!);
  }
  return { view: listView(ids), signature };
}

/** Opaque cursors [seen: opaque strings]: base64url of where the next page starts. */
function encodeCursor(folderId: number, offset: number, signature: string): string {
  return Buffer.from(JSON.stringify({ f: folderId, o: offset, s: signature })).toString('base64url');
}

function decodeCursor(raw: string, folderId: number, signature: string): number {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { f?: unknown; o?: unknown; s?: unknown };
    if (c.f === folderId && c.s === signature && typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0) {
      return c.o;
    }
  } catch {
    // fall through
  }
  // [guess] a bad or foreign cursor is a validation error
  throw errors.validation('cursor', 'validation_rule_cursor', 'The cursor is invalid.');
}

function withFields(ctx: SimCtx): Set<string> {
  return new Set(listQuery(ctx, 'with'));
}

async function pageJson(ctx: SimCtx, drive: DriveModel, view: ChildView, from: number, to: number): Promise<unknown[]> {
  const fields = withFields(ctx);
  const data: unknown[] = [];
  for (let i = from; i < to; i++) {
    const node = drive.node(view.at(i));
    if (node) data.push(await fileJson(ctx.sim, drive, node, fields));
  }
  return data;
}

/** GET /3/drive/{drive}/files/{file}/files: cursor pagination [seen]; `depth=unlimited`: drive-subtree.ts. */
async function listV3(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  const folder = fileFor(ctx, drive);
  if (isRecursive(ctx)) return listSubtree(ctx, drive, folder);
  if (folder.type !== 'dir') throw errors.notADirectory();
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  const { view, signature } = listingFor(ctx, drive, folder);
  const cursorRaw = ctx.query.get('cursor');
  const offset = cursorRaw ? decodeCursor(cursorRaw, folder.id, signature) : 0;
  const end = Math.min(view.count, offset + limit);
  const data = await pageJson(ctx, drive, view, Math.min(offset, view.count), end);
  const hasMore = end < view.count;
  sendJson(ctx, 200, {
    result: 'success',
    data,
    response_at: nowSeconds(ctx.sim),
    cursor: hasMore ? encodeCursor(folder.id, end, signature) : null, // [guess] null on the last page
    has_more: hasMore,
  });
}

/** Page pagination body [seen]: total, page, pages, items_per_page. */
function pageEnvelope(data: unknown[], total: number, page: number, perPage: number, sim: SimState): unknown {
  return success(data, {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / perPage)),
    items_per_page: perPage,
    response_at: nowSeconds(sim),
  });
}

/** GET /2/drive/{drive}/files/{file}/files?page=&per_page= [seen]. */
async function listV2(ctx: SimCtx): Promise<void> {
  const drive = driveFor(ctx);
  const folder = fileFor(ctx, drive);
  if (folder.type !== 'dir') throw errors.notADirectory();
  const perPage = intQuery(ctx, 'per_page', 10, 1, 1000); // [guess] default 10
  const page = intQuery(ctx, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const { view } = listingFor(ctx, drive, folder);
  const from = Math.min(view.count, (page - 1) * perPage);
  const data = await pageJson(ctx, drive, view, from, Math.min(view.count, from + perPage));
  sendJson(ctx, 200, pageEnvelope(data, view.count, page, perPage, ctx.sim));
}

/**
 * GET /2/drive/init?with=drives [seen in the apps; answered for a drive-only token]: every drive the
 * user reaches, also those shared from an organisation outside the token's accounts, and those with
 * `role: "none"` (the apps hide them). Other keys of `data` are a [guess] (only `drives` is served).
 */
function driveInit(ctx: SimCtx): void {
  const token = ctx.sim.tokens.require(ctx.req, 'drive');
  const drives = [...ctx.sim.drives.values()]
    .filter((d) => canReachDrive(ctx.sim, token, d))
    .sort((a, b) => a.id - b.id)
    .map((d) => driveJson(ctx.sim, d));
  const fields = new Set(listQuery(ctx, 'with'));
  sendJson(ctx, 200, success(fields.has('drives') ? { drives } : {}));
}

// ---------------------------------------------------------------------------------------------

export function registerDriveRoutes(r: Router<SimState>): void {
  r.get('/1/accounts', (ctx) => {
    const token = ctx.sim.tokens.require(ctx.req, 'accounts');
    const data = ctx.sim.accounts.filter((a) => reachesAccount(token, a.id)).map((a) => a.json);
    sendJson(ctx, 200, success(data));
  });

  r.get('/2/drive', (ctx) => {
    const token = ctx.sim.tokens.require(ctx.req, 'drive');
    const raw = ctx.query.get('account_id');
    if (raw === null || raw === '') {
      throw errors.validation('account_id', 'validation_rule_required', 'The account_id field is required.');
    }
    if (!/^\d+$/.test(raw)) {
      throw errors.validation('account_id', 'validation_rule_integer', 'The account_id must be an integer.');
    }
    const accountId = Number(raw);
    const account = ctx.sim.accounts.find((a) => a.id === accountId);
    // [guess] an account the token cannot see looks like one that does not exist
    if (!account || !reachesAccount(token, accountId)) throw errors.notFound('Account');
    const fail = account.driveListingError;
    if (fail) throw new ApiError(fail.status, fail.code, fail.description, { account_id: accountId });
    const perPage = intQuery(ctx, 'per_page', 10, 1, 1000); // [guess] default 10
    const page = intQuery(ctx, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const drives = [...ctx.sim.drives.values()]
      .filter((d) => d.spec.account_id === accountId || d.spec.extra_account_ids.includes(accountId))
      .sort((a, b) => a.id - b.id);
    const slice = drives.slice((page - 1) * perPage, page * perPage).map((d) => driveJson(ctx.sim, d));
    sendJson(ctx, 200, pageEnvelope(slice, drives.length, page, perPage, ctx.sim));
  });

  r.get('/2/drive/init', driveInit);
  r.get('/3/drive/{drive}/files/{file}/files', listV3);
  r.get('/2/drive/{drive}/files/{file}/files', listV2);

  // [guess] one file's metadata, v3 like the listings
  r.get('/3/drive/{drive}/files/{file}', async (ctx) => {
    const drive = driveFor(ctx);
    const node = fileFor(ctx, drive);
    sendJson(ctx, 200, success(await fileJson(ctx.sim, drive, node, withFields(ctx))));
  });

  r.get('/2/drive/{drive}/files/{file}/hash', async (ctx) => {
    const drive = driveFor(ctx);
    const node = fileFor(ctx, drive);
    // [guess] a folder has no hash
    if (node.type !== 'file') throw errors.badRequest('A folder has no hash', { model: 'File' });
    sendJson(ctx, 200, success({ hash: await hashOf(ctx.sim, node) }));
  });
}
