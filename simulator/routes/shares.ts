/**
 * Items other people shared with the user (docs/infomaniak-api.md, "Shared with me"):
 * - `GET /3/drive/files/shared_with_me` [seen: ios-kDrive, android-kDrive]: drive-independent, every
 *   item shared with the user, each with its own `drive_id`; `settings.shares_route: "missing"`
 *   makes it a route the server does not have (404);
 * - `GET /3/drive/{drive}/files/shared_with_me` [seen: mcp-server-kdrive; OpenAPI copy]: the items of
 *   one drive the token reaches;
 * - `GET /2/drive/users?user_ids[]=` [seen: OpenAPI copy only]: people by id (who shared).
 * Items carry the file fields and `shared_by` (a user id) [seen: OpenAPI copy "Shared File"].
 * Cursor pagination (`limit` 5..1000, default 10) [seen]; order: folders first, then by name [guess].
 */
import { errors, success } from '../core/envelope';
import { sendJson } from '../core/respond';
import type { Router } from '../core/router';
import { compareDefault } from '../model/drive';
import type { DriveModel, FileNode } from '../model/drive';
import type { SimState } from '../state';
import { canReachDrive, driveFor, fileJson, intQuery, listQuery, nowSeconds, sharedItems } from './common';
import type { SimCtx } from './common';

interface Shared {
  drive: DriveModel;
  node: FileNode;
  by: number;
}

function sharesOf(drive: DriveModel): Shared[] {
  const out: Shared[] = [];
  for (const [id, by] of sharedItems(drive)) {
    const node = drive.node(id);
    if (node) out.push({ drive, node, by });
  }
  return out;
}

function cursorOf(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url');
}

function offsetOf(raw: string | null, scope: string): number {
  if (!raw) return 0;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (c.s === scope && typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0) return c.o;
  } catch {
    // fall through
  }
  throw errors.validation('cursor', 'validation_rule_cursor', 'The cursor is invalid.'); // [guess]
}

async function sendShares(ctx: SimCtx, items: Shared[], scope: string): Promise<void> {
  const limit = intQuery(ctx, 'limit', 10, 5, 1000);
  items.sort((a, b) => compareDefault(a.node, b.node) || a.drive.id - b.drive.id);
  const offset = offsetOf(ctx.query.get('cursor'), scope);
  const end = Math.min(items.length, offset + limit);
  const fields = new Set(listQuery(ctx, 'with'));
  const data: unknown[] = [];
  for (const { drive, node, by } of items.slice(offset, end)) {
    data.push({ ...(await fileJson(ctx.sim, drive, node, fields)), shared_by: by });
  }
  const hasMore = end < items.length;
  sendJson(ctx, 200, {
    result: 'success',
    data,
    response_at: nowSeconds(ctx.sim),
    cursor: hasMore ? cursorOf(end, scope) : null,
    has_more: hasMore,
  });
}

function personJson(sim: SimState, id: number): Record<string, unknown> | null {
  const p = sim.scenario.people.find((person) => person.id === id);
  if (!p) return null;
  const [first = p.display_name, ...rest] = p.display_name.split(' ');
  return {
    id: p.id,
    display_name: p.display_name,
    first_name: p.first_name ?? first,
    last_name: p.last_name ?? rest.join(' '),
    email: p.email,
    is_sso: false,
    avatar: null,
    deleted_at: null,
  };
}

export function registerShareRoutes(r: Router<SimState>): void {
  r.get('/3/drive/files/shared_with_me', async (ctx) => {
    ctx.sim.tokens.require(ctx.req, 'drive');
    if (ctx.sim.scenario.settings.shares_route === 'missing') throw errors.routeNotFound();
    const items = [...ctx.sim.drives.values()].flatMap(sharesOf);
    await sendShares(ctx, items, 'all');
  });

  // Registered before `/3/drive/{drive}/files/{file}`, which would take "shared_with_me" as a file id.
  r.get('/3/drive/{drive}/files/shared_with_me', async (ctx) => {
    const drive = driveFor(ctx);
    await sendShares(ctx, sharesOf(drive), `drive:${drive.id}`);
  });

  r.get('/2/drive/users', (ctx) => {
    const token = ctx.sim.tokens.require(ctx.req, 'drive');
    const ids = listQuery(ctx, 'user_ids').map(Number);
    const perPage = intQuery(ctx, 'per_page', 10, 1, 1000);
    const people = ids.length > 0 ? ids : ctx.sim.scenario.people.map((p) => p.id);
    const reachable = [...ctx.sim.drives.values()].some((d) => canReachDrive(ctx.sim, token, d));
    const data = reachable ? people.flatMap((id) => personJson(ctx.sim, id) ?? []).slice(0, perPage) : [];
    sendJson(ctx, 200, success(data, { total: data.length, page: 1, pages: 1, items_per_page: perPage }));
  });
}
