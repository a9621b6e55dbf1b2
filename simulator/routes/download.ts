/**
 * Downloads [seen: bytes as application/octet-stream, a folder as a zip, "may respond a 302"], the
 * zip of a selection (archives), and the storage origin the 302 points to. The storage origin serves
 * pre-signed paths and refuses any request carrying an Authorization header [guess: built so tests
 * prove the client never sends its token to another origin].
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ApiError, errors, success } from '../core/envelope';
import { serveContent } from '../core/body';
import type { ServedFile } from '../core/body';
import { contentDisposition, redirect, sendJson, writeHead } from '../core/respond';
import type { Router } from '../core/router';
import type { DriveModel, FileNode } from '../model/drive';
import { serveZip, zipComponent } from '../model/zip';
import type { ZipItem } from '../model/zip';
import { craftZip } from '../model/raw-zip';
import type { CraftedEntry } from '../model/raw-zip';
import type { SimState } from '../state';
import { driveFor, etagOf, fileFor, readJsonBody } from './common';
import type { SimCtx } from './common';

const URL_TTL_MS = 60 * 60 * 1000;

interface StoragePayload {
  /** f: one node (a file, or a folder as a zip), a: an archive. */
  k: 'f' | 'a';
  d: number;
  i?: number;
  u?: string;
  e: number;
}

function sign(sim: SimState, payload: StoragePayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const mac = createHmac('sha256', sim.secret).update(body).digest('base64url');
  return `${body}.${mac}`;
}

function verify(sim: SimState, token: string): StoragePayload | null {
  const [body, mac] = token.split('.');
  if (!body || !mac) return null;
  const expected = createHmac('sha256', sim.secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StoragePayload;
  } catch {
    return null;
  }
}

export function storageUrl(sim: SimState, payload: Omit<StoragePayload, 'e'>, name: string): string {
  const token = sign(sim, { ...payload, e: sim.clock.now() + URL_TTL_MS });
  return `${sim.urls.storage}/dl/${token}/${encodeURIComponent(name)}`;
}

function servedFile(drive: DriveModel, node: FileNode): ServedFile {
  return {
    content: node.content,
    name: node.name,
    // [seen] downloads answer application/octet-stream
    mimeType: 'application/octet-stream',
    etag: etagOf(node),
    modifiedAt: node.modifiedAt,
    faultTarget: {
      driveId: drive.id,
      id: node.id,
      size: node.size,
      path: () => drive.path(node.id),
      scenarioFault: node.fault,
    },
  };
}

function folderItems(drive: DriveModel, folder: FileNode): Iterable<ZipItem> {
  return drive.walk(folder.id);
}

function* selectionItems(drive: DriveModel, ids: number[]): Iterable<ZipItem> {
  for (const id of ids) {
    const node = drive.node(id);
    if (!node) continue;
    yield { node, rel: [node.name] };
    if (node.type === 'dir') yield* drive.walk(node.id, [node.name]);
  }
}

async function serveNode(ctx: SimCtx, drive: DriveModel, node: FileNode): Promise<void> {
  const opts = { faults: ctx.sim.faults, contentLength: ctx.sim.downloads.contentLength };
  if (node.type === 'file') await serveContent(ctx, servedFile(drive, node), opts);
  else await serveZip(ctx, `${node.name || drive.spec.name}.zip`, folderItems(drive, node));
}

function countFiles(drive: DriveModel, ids: number[], cap: number): number {
  let n = 0;
  for (const { node } of selectionItems(drive, ids)) {
    if (node.type === 'file' && ++n > cap) break;
  }
  return n;
}

/** `file_ids`, or [seen] `parent_id` (all its children) minus `except_file_ids`. */
function archiveSelection(
  drive: DriveModel,
  body: { file_ids?: unknown; parent_id?: unknown; except_file_ids?: unknown },
): unknown {
  if (body.parent_id === undefined) return body.file_ids;
  if (!Number.isInteger(body.parent_id))
    throw errors.validation('parent_id', 'validation_rule_integer', 'The parent_id must be an integer.');
  const view = drive.children(body.parent_id as number);
  if (!view) throw errors.notFound('File');
  const except = new Set(Array.isArray(body.except_file_ids) ? body.except_file_ids : []);
  const ids: number[] = [];
  for (let i = 0; i < view.count; i++) if (!except.has(view.at(i))) ids.push(view.at(i));
  return ids;
}

/** The real archive's entries, contents read whole (for `archiveTamper`). */
async function realEntries(drive: DriveModel, fileIds: number[]): Promise<CraftedEntry[]> {
  const entries: CraftedEntry[] = [];
  for (const { node, rel } of selectionItems(drive, fileIds)) {
    const name = rel.map(zipComponent).join('/');
    if (node.type === 'dir') {
      entries.push({ name: `${name}/` });
      continue;
    }
    const chunks: Uint8Array[] = [];
    for (const chunk of node.content.chunks(0, node.content.size)) chunks.push(chunk);
    entries.push({ name, content: Buffer.concat(chunks) });
  }
  return entries;
}

/**
 * An archive's zip, or the crafted one a test asked for (setDownloads({ craftedArchive })), or the
 * real one tampered with (setDownloads({ archiveTamper })).
 */
async function serveArchive(ctx: SimCtx, drive: DriveModel, fileIds: number[]): Promise<void> {
  const { craftedArchive: crafted, archiveTamper: tamper } = ctx.sim.downloads;
  if (!crafted && !tamper) return serveZip(ctx, 'Archive.zip', selectionItems(drive, fileIds));
  const bytes = craftZip(crafted ?? tamper!(await realEntries(drive, fileIds)));
  writeHead(ctx, 200, {
    'content-type': 'application/zip',
    'content-length': String(bytes.length),
    'content-disposition': contentDisposition('Archive.zip'),
  });
  ctx.res.end(ctx.head ? undefined : bytes);
}

export function registerDownloadRoutes(r: Router<SimState>): void {
  r.get('/2/drive/{drive}/files/{file}/download', async (ctx) => {
    const drive = driveFor(ctx);
    const node = fileFor(ctx, drive);
    if (ctx.sim.downloads.mode === 'redirect') {
      const name = node.type === 'dir' ? `${node.name || drive.spec.name}.zip` : node.name;
      redirect(ctx, 302, storageUrl(ctx.sim, { k: 'f', d: drive.id, i: node.id }, name));
      return;
    }
    await serveNode(ctx, drive, node);
  });

  r.post('/3/drive/{drive}/files/archives', async (ctx) => {
    const drive = driveFor(ctx);
    if (ctx.sim.downloads.archives === 'forbidden') throw errors.accessDenied('Archive');
    if (ctx.sim.downloads.archives === 'missing') throw errors.routeNotFound();
    const body = (await readJsonBody(ctx)) as { file_ids?: unknown; parent_id?: unknown; except_file_ids?: unknown };
    const ids = archiveSelection(drive, body);
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => Number.isInteger(i) && i > 0)) {
      throw errors.validation('file_ids', 'validation_rule_required', 'The file_ids must be a list of file ids.');
    }
    // [seen] the root cannot be listed as a file of an archive; [guess] the answer
    if (ids.includes(1))
      throw errors.badRequest('The root folder cannot be archived as a file; use parent_id', { model: 'File' });
    const nodes = (ids as number[]).map((id) => drive.node(id));
    if (nodes.some((n) => n === null)) throw errors.notFound('File');
    const parents = new Set(nodes.map((n) => n!.parentId));
    // [seen] same parent; [guess] the error code
    if (parents.size > 1) throw errors.badRequest('All files must share the same parent', { model: 'File' });
    // [seen] at most 20,000 files (setDownloads({ archiveMaxFiles }) lowers it), `too_many_files_error`
    const max = ctx.sim.downloads.archiveMaxFiles;
    if (countFiles(drive, ids as number[], max) > max) throw errors.tooManyFiles(max);
    const uuid = randomUUID();
    ctx.sim.archives.set(uuid, { driveId: drive.id, fileIds: ids as number[], createdAt: ctx.sim.clock.now() });
    sendJson(ctx, 201, success({ uuid }));
  });

  r.get('/2/drive/{drive}/files/archives/{uuid}', async (ctx) => {
    const drive = driveFor(ctx);
    const archive = ctx.sim.archives.get(ctx.params.uuid ?? '');
    if (!archive || archive.driveId !== drive.id) throw errors.notFound('Archive');
    if (ctx.sim.downloads.mode === 'redirect') {
      redirect(ctx, 302, storageUrl(ctx.sim, { k: 'a', d: drive.id, u: ctx.params.uuid ?? '' }, 'Archive.zip'));
      return;
    }
    await serveArchive(ctx, drive, archive.fileIds);
  });
}

/** The storage origin: GET /dl/{signed}/{name}. */
export function registerStorageRoutes(r: Router<SimState>): void {
  r.get('/dl/{token}/{name}', async (ctx) => {
    if (ctx.req.headers.authorization !== undefined) {
      throw new ApiError(
        400,
        'authorization_not_allowed',
        'This pre-signed storage URL does not accept an Authorization header',
      );
    }
    const payload = verify(ctx.sim, ctx.params.token ?? '');
    if (!payload) throw new ApiError(403, 'invalid_signature', 'The signature of this URL is invalid');
    if (payload.e < ctx.sim.clock.now()) throw new ApiError(403, 'expired_url', 'This URL has expired');
    const drive = ctx.sim.drives.get(payload.d);
    if (!drive) throw errors.notFound('Drive');
    if (payload.k === 'f') {
      const node = drive.node(payload.i ?? 0);
      if (!node) throw errors.notFound('File');
      await serveNode(ctx, drive, node);
      return;
    }
    const archive = ctx.sim.archives.get(payload.u ?? '');
    if (!archive) throw errors.notFound('Archive');
    await serveArchive(ctx, drive, archive.fileIds);
  });

  r.get('/', (ctx) => {
    writeHead(ctx, 200, { 'content-type': 'text/plain; charset=utf-8' });
    ctx.res.end('PowerOn Sources simulator: storage origin\n');
  });
}
