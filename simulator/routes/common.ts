/** Helpers shared by the route modules: parameters, drive access, file JSON, hashes. */
import { reachesAccount } from '../core/auth';
import type { TokenRecord } from '../core/auth';
import { ApiError, errors } from '../core/envelope';
import type { Ctx } from '../core/router';
import { xxh3ChunkedOf, xxh3Of } from '../model/content';
import { parseSize } from '../core/units';
import type { HashStyle } from '../scenario/schema';
import type { DriveModel, FileNode } from '../model/drive';
import type { SimState } from '../state';

export type SimCtx = Ctx<SimState>;

/** A positive integer path parameter; anything else is "not found" for `model`. */
export function idParam(ctx: SimCtx, name: string, model: string): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw errors.notFound(model);
  return Number(raw);
}

/** An optional integer query parameter within [min, max]; 422 validation_failed otherwise. */
export function intQuery(ctx: SimCtx, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw errors.validation(name, 'validation_rule_integer', `The ${name} must be an integer.`);
  if (n < min) throw errors.validation(name, 'validation_rule_min', `The ${name} must be at least ${min}.`);
  if (n > max) throw errors.validation(name, 'validation_rule_max', `The ${name} may not be greater than ${max}.`);
  return n;
}

/** Values of a list query: "a,b", "x[]=a&x[]=b" and "x=a&x=b" all work. */
export function listQuery(ctx: SimCtx, name: string): string[] {
  return [...ctx.query.getAll(name), ...ctx.query.getAll(`${name}[]`)]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function canReachDrive(sim: SimState, token: TokenRecord, drive: DriveModel): boolean {
  if (drive.spec.shared_with_user) return true;
  const ids = [drive.spec.account_id, ...drive.spec.extra_account_ids];
  return ids.some((a) => reachesAccount(token, a) && sim.accounts.some((acc) => acc.id === a));
}

/** Ids of the items of a drive shared with the user (the scenario's `shared_with_me` paths). */
const sharedRoots = new WeakMap<DriveModel, Map<number, number>>();
export function sharedItems(drive: DriveModel): Map<number, number> {
  let roots = sharedRoots.get(drive);
  if (!roots) {
    roots = new Map();
    for (const share of drive.spec.shared_with_me) {
      const node = drive.byPath(share.path);
      if (node) roots.set(node.id, share.by);
    }
    sharedRoots.set(drive, roots);
  }
  return roots;
}

/** Whether `id` is an item shared with the user, or inside one. */
export function insideShare(drive: DriveModel, id: number): boolean {
  const roots = sharedItems(drive);
  if (roots.size === 0) return false;
  for (let node = drive.node(id); node; node = node.parentId === null ? null : drive.node(node.parentId)) {
    if (roots.has(node.id)) return true;
  }
  return false;
}

/**
 * Auth + scope "drive" + the drive from the path. An unknown drive, or one the token cannot reach,
 * is 404 object_not_found {model: Drive} [seen sample; same answer for "not yours" is a guess]. A
 * drive the token does not reach still answers for an item shared with the user and what is inside
 * it [guess: how the real API checks a share is not known]. A drive in maintenance answers 503 to
 * file routes [seen].
 */
export function driveFor(ctx: SimCtx, opts: { allowMaintenance?: boolean } = {}): DriveModel {
  const token = ctx.sim.tokens.require(ctx.req, 'drive');
  const drive = ctx.sim.drives.get(idParam(ctx, 'drive', 'Drive'));
  const file = ctx.params.file;
  const shared = drive !== undefined && file !== undefined && /^\d+$/.test(file) && insideShare(drive, Number(file));
  if (!drive || !(canReachDrive(ctx.sim, token, drive) || shared)) throw errors.notFound('Drive');
  if (drive.spec.in_maintenance && !opts.allowMaintenance) throw errors.maintenance(drive.spec.maintenance_reason);
  return drive;
}

export function fileFor(ctx: SimCtx, drive: DriveModel, param = 'file'): FileNode {
  const node = drive.node(idParam(ctx, param, 'File'));
  if (!node) throw errors.notFound('File');
  // [guess] a locked vault's contents are refused like a folder the user may not read
  if (node.vault && ctx.route !== 'GET /3/drive/{drive}/files/{file}') throw errors.accessDenied('File');
  return node;
}

export function etagOf(node: FileNode): string {
  return `"${node.driveId}-${node.id}-${node.modifiedAt}-${node.size}"`;
}

/**
 * The `hash` the API shows for a file, computed once per version and cached: "xxh3:<16 hex>" of the
 * bytes, or for a chunked upload the hash over the chunk hashes, as "xxh3:<hex>" or "N:xxh3:<hex>".
 */
export function hashOf(sim: SimState, node: FileNode): Promise<string> {
  const key = `${node.driveId}:${node.id}:${node.modifiedAt}`;
  let p = sim.hashes.get(key);
  if (!p) {
    if (sim.hashes.size >= 200_000) sim.hashes.clear();
    const how = hashStyleOf(sim, node);
    p =
      how.style === 'plain'
        ? xxh3Of(node.content)
        : xxh3ChunkedOf(node.content, how.chunkSize).then(({ hex, chunks }) =>
            how.style === 'counted_chunks' ? `${chunks}:xxh3:${hex}` : `xxh3:${hex}`,
          );
    sim.hashes.set(key, p);
  }
  return p;
}

function hashStyleOf(sim: SimState, node: FileNode): { style: HashStyle; chunkSize: number } {
  if (node.hashStyle) return node.hashStyle;
  const from = sim.drives.get(node.driveId)?.spec.chunked_hash_from;
  if (from !== undefined && node.size >= parseSize(from)) return { style: 'chunks', chunkSize: CHUNK_SIZE };
  return { style: 'plain', chunkSize: CHUNK_SIZE };
}

/** Chunk size of the apps' uploads [seen: Android chunks from 1 MiB]. */
const CHUNK_SIZE = 1024 * 1024;

const CAPABILITIES_DIR = {
  can_read: true,
  can_write: true,
  can_share: true,
  can_leave: false,
  can_delete: true,
  can_rename: true,
  can_move: true,
  can_create_directory: true,
  can_create_file: true,
  can_upload: true,
  can_use_favorite: true,
  can_become_sharelink: true,
  can_use_team: true,
};

/** A file as the API shows it: default fields [seen live], plus the `with=` extras. */
export async function fileJson(
  sim: SimState,
  drive: DriveModel,
  node: FileNode,
  withFields: ReadonlySet<string>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    id: node.id,
    name: node.name,
    type: node.vault ? 'vault' : node.type, // [seen] a type `vault` exists
    status: node.status,
    visibility: node.visibility,
    drive_id: node.driveId,
    depth: node.depth,
    parent_id: node.parentId, // [guess] null for the root
    created_by: drive.createdBy,
    created_at: node.createdAt,
    added_at: node.addedAt,
    last_modified_at: node.modifiedAt,
    revised_at: node.modifiedAt,
    updated_at: node.modifiedAt,
  };
  if (node.type === 'file') {
    out.size = node.size;
    out.mime_type = node.mimeType;
    out.extension_type = node.extensionType;
  } else {
    out.color = node.color;
  }
  if (withFields.has('path')) out.path = drive.path(node.id);
  if (withFields.has('capabilities')) {
    const locked = node.status === 'locked';
    out.capabilities =
      node.type === 'dir'
        ? { ...CAPABILITIES_DIR, can_write: !locked }
        : {
            ...CAPABILITIES_DIR,
            can_create_directory: false,
            can_create_file: false,
            can_upload: false,
            can_write: !locked,
          };
  }
  if (node.type === 'file') {
    if (withFields.has('hash')) out.hash = await hashOf(sim, node);
    if (withFields.has('etag')) out.etag = etagOf(node);
  }
  return out;
}

export function nowSeconds(sim: SimState): number {
  return Math.floor(sim.clock.now() / 1000);
}

/** Reads a small JSON request body (at most 1 MiB). */
export async function readJsonBody(ctx: SimCtx): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > 1024 * 1024) throw errors.badRequest('Request body too large');
    chunks.push(b);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request_error', 'The request body is not valid JSON');
  }
}
