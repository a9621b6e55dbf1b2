/**
 * A file's versions and pictures of it (docs/infomaniak-api.md, "Versions", "Thumbnails and previews"):
 * - `GET /3/drive/{d}/files/{F}/versions` [seen: ios-kDrive `Endpoint+Files.swift`; OpenAPI copy
 *   "File Version": id, keep_forever, mime_type, extension_type, size, updated_by, created_at,
 *   updated_at, last_modified_at; page pagination]: the file's earlier versions, newest first
 *   [guess: the order, and that the current content is not among them];
 * - `GET /2/drive/{d}/files/{F}/versions/{V}/download` [seen: OpenAPI copy]: that version's bytes
 *   (always direct here; the API "may respond a 302");
 * - `GET /2/drive/{d}/files/{F}/thumbnail?width=&height=` (10..400) and `…/preview?width=&height=
 *   &quality=` (10..10000, quality 1..100) [seen: the apps; OpenAPI copy: `image/*`]: for images,
 *   PDFs and videos a PNG that fits the box (a landscape drawn from the file's id and version, not
 *   the file's own pixels) [guess: the format and the default sizes]; for other files 404
 *   `object_not_found` [guess].
 */
import { errors, success } from '../core/envelope';
import { serveContent } from '../core/body';
import { writeHead, sendJson } from '../core/respond';
import type { Router } from '../core/router';
import { pngLandscape } from '../model/media';
import type { DriveModel, FileNode, FileVersion } from '../model/drive';
import type { SimState } from '../state';
import { driveFor, fileFor, idParam, intQuery } from './common';
import type { SimCtx } from './common';

const PICTURED = new Set(['image', 'pdf', 'video']);

function userJson(sim: SimState, id: number | null): Record<string, unknown> | null {
  const p = id === null ? undefined : sim.scenario.people.find((person) => person.id === id);
  if (!p) return sim.scenario.user ? { id: sim.scenario.user.id, display_name: sim.scenario.user.display_name } : null;
  return { id: p.id, display_name: p.display_name, email: p.email };
}

function versionJson(sim: SimState, node: FileNode, v: FileVersion): Record<string, unknown> {
  return {
    id: v.id,
    keep_forever: v.keepForever,
    mime_type: node.mimeType,
    extension_type: node.extensionType,
    size: v.content.size,
    updated_by: userJson(sim, v.by),
    created_at: v.modifiedAt,
    updated_at: v.modifiedAt,
    last_modified_at: v.modifiedAt,
  };
}

function fileOf(ctx: SimCtx): { drive: DriveModel; node: FileNode } {
  const drive = driveFor(ctx);
  const node = fileFor(ctx, drive);
  // [guess] a folder has neither versions nor pictures
  if (node.type !== 'file') throw errors.badRequest('This is not a file', { model: 'File' });
  return { drive, node };
}

/** The picture of a file in a box (media.ts keeps what it drew: drawing costs CPU, a copy does not). */
function picture(drive: DriveModel, node: FileNode, width: number, height: number): Buffer {
  // The box keeps a 4:3 landscape inside it.
  const w = Math.max(10, Math.min(width, Math.round((height * 4) / 3)));
  const h = Math.max(10, Math.min(height, Math.round((w * 3) / 4)));
  const key = `${drive.id}:${node.id}:${node.modifiedAt}:${w}x${h}`;
  return pngLandscape(w, h, key);
}

function sendPicture(ctx: SimCtx, max: number, fallback: [number, number]): void {
  const { drive, node } = fileOf(ctx);
  if (!PICTURED.has(node.extensionType)) throw errors.notFound('Thumbnail');
  const width = intQuery(ctx, 'width', fallback[0], 10, max);
  const height = intQuery(ctx, 'height', fallback[1], 10, max);
  if (ctx.query.has('quality')) intQuery(ctx, 'quality', 80, 1, 100);
  const png = picture(drive, node, width, height);
  writeHead(ctx, 200, {
    'content-type': 'image/png',
    'content-length': String(png.length),
    'cache-control': 'private, max-age=3600',
  });
  ctx.res.end(ctx.head ? undefined : png);
}

export function registerFileExtraRoutes(r: Router<SimState>): void {
  r.get('/3/drive/{drive}/files/{file}/versions', (ctx) => {
    const { node } = fileOf(ctx);
    const perPage = intQuery(ctx, 'per_page', 10, 1, 1000); // [guess] default 10, as other page lists
    const page = intQuery(ctx, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const all = [...(node.versions ?? [])].reverse().map((v) => versionJson(ctx.sim, node, v));
    const data = all.slice((page - 1) * perPage, page * perPage);
    sendJson(
      ctx,
      200,
      success(data, {
        total: all.length,
        page,
        pages: Math.max(1, Math.ceil(all.length / perPage)),
        items_per_page: perPage,
      }),
    );
  });

  r.get('/2/drive/{drive}/files/{file}/versions/{version}/download', async (ctx) => {
    const { drive, node } = fileOf(ctx);
    const id = idParam(ctx, 'version', 'FileVersion');
    const version = node.versions?.find((v) => v.id === id);
    if (!version) throw errors.notFound('FileVersion');
    await serveContent(
      ctx,
      {
        content: version.content,
        name: node.name,
        mimeType: 'application/octet-stream',
        etag: `"${drive.id}-${node.id}-v${version.id}-${version.content.size}"`,
        modifiedAt: version.modifiedAt,
      },
      { faults: ctx.sim.faults, contentLength: ctx.sim.downloads.contentLength },
    );
  });

  r.get('/2/drive/{drive}/files/{file}/thumbnail', (ctx) => sendPicture(ctx, 400, [200, 150]));
  r.get('/2/drive/{drive}/files/{file}/preview', (ctx) => sendPicture(ctx, 10_000, [1024, 768]));
}
