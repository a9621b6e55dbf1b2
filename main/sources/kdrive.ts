/**
 * kDrive: every drive the token reaches (discovery in kdrive-drives.ts, once per browse session),
 * folders and files in v3 cursor pages of 1000, downloads (files, folders walked with the recursive
 * listing of kdrive-walk.ts, or one zip).
 */
import { failWith } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi } from '../infomaniak/types';
import type { DownloadJob } from '../transfers/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { createArchive, driveFileItem, folderArchive, folderBody, selectionGroup } from './kdrive-download';
import type { DriveFileFacts } from './kdrive-download';
import { kdriveSubtree } from './kdrive-subtree';
import { childId, parseId, segment } from './ids';
import type { ParsedId } from './ids';
import { fileSchema } from './kdrive-schemas';
import { listFolder, walkSubtree } from './kdrive-walk';
import { once } from './jobs';
import { accountChildren, loadDriveUnion, serviceChildren } from './kdrive-drives';
import type { DriveUnion } from './kdrive-drives';
import type { DriveFile } from './kdrive-schemas';
import type { AdapterContext, ChildPage, SourceAdapter, Subtree, SubtreeOptions } from './types';
import { SHARED_FOLDER_NAME, SHARED_SEGMENT, findShared, sharedChildren, sharedWithMeNode } from './kdrive-shared';
import { VERSION_SEGMENT, versionJob } from './kdrive-versions';

export { PAGE_LIMIT, listFolder } from './kdrive-walk';
export { ACCOUNT_CONCURRENCY } from './kdrive-drives';

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

/** What the download item of a listed file is made of. */
function driveFacts(file: DriveFile): DriveFileFacts {
  return { id: file.id, size: file.size, hash: file.hash, modifiedAt: seconds(file.last_modified_at) };
}

export function fileTypeOf(file: DriveFile): string | undefined {
  if (file.type === 'dir') return undefined;
  return file.extension_type ?? undefined;
}

export class KdriveAdapter implements SourceAdapter {
  readonly service = 'kdrive' as const;
  #unions = new Map<string, Promise<DriveUnion>>();

  reset(connectionId: string): void {
    this.#unions.delete(connectionId);
  }

  /** The union of drives (kdrive-drives.ts); computed once per browse session. */
  union(ctx: AdapterContext): Promise<DriveUnion> {
    let cached = this.#unions.get(ctx.connectionId);
    if (!cached) {
      cached = loadDriveUnion(ctx.client, ctx.signal);
      this.#unions.set(ctx.connectionId, cached);
      cached.catch(() => this.#unions.delete(ctx.connectionId));
    }
    return cached;
  }

  async *list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage> {
    const last = parent.path.at(-1);
    if (!last) {
      // The drives, then "Shared with me" (issue 24.1: kdrive-shared.ts).
      yield { nodes: [...serviceChildren(await this.union(ctx), parentId), sharedWithMeNode(parentId)] };
      return;
    }
    if (last.type === SHARED_SEGMENT) {
      const nodes = await sharedChildren(ctx.client, await this.union(ctx), parentId, ctx.signal, fileNode);
      yield { nodes, total: nodes.length };
      return;
    }
    if (last.type === 'acct') {
      const nodes = accountChildren(await this.union(ctx), Number(last.value), parentId);
      yield { nodes, total: nodes.length };
      return;
    }
    const driveId = segment(parent, 'drive');
    if (!driveId) throw failWith('not_found', 'node_unknown', 'This item is not part of a drive.');
    const fileId = last.type === 'f' ? last.value : '1';
    const driveNodeId =
      parentId.slice(0, parentId.indexOf(`/drive:${encodeURIComponent(driveId)}`)) +
      `/drive:${encodeURIComponent(driveId)}`;
    const parentPath = ctx.lookup(parentId)?.details?.path ?? (last.type === 'drive' ? '/' : undefined);
    const driveName = ctx.lookup(driveNodeId)?.name;
    for await (const page of listFolder(ctx.client, Number(driveId), Number(fileId), ctx.signal)) {
      yield {
        nodes: page.files.map((file) => fileNode(file, parentId, driveNodeId, parentPath, driveName)),
        ...(page.total !== undefined ? { total: page.total } : {}),
      };
    }
  }

  async job(ctx: AdapterContext, node: ParsedId, nodeId: string, folderMode: 'files' | 'zip'): Promise<DownloadJob> {
    const type = node.path.at(-1)?.type;
    if (type === VERSION_SEGMENT) return versionJob(ctx, node, nodeId); // issue 24.2
    if (type === SHARED_SEGMENT) return sharedJob(ctx, await this.union(ctx)); // issue 24.1
    const driveId = Number(segment(node, 'drive'));
    if (!Number.isSafeInteger(driveId))
      throw failWith('not_found', 'not_downloadable', 'Only drives, folders and files can be downloaded here.');
    const last = node.path.at(-1);
    const known = ctx.lookup(nodeId);
    const fileId = last?.type === 'f' ? Number(last.value) : 1;
    // Kind and name: from the listing, else as the transfer remembered them, else asked for. Never
    // guessed from the id (a folder's id looks like a file's; after a restart the cache is empty).
    const remembered = ctx.hint;
    let name = known?.name ?? remembered?.name ?? null;
    let isDir = known ? known.kind !== 'file' : remembered?.kind ? remembered.kind === 'folder' : null;
    if (name === null || isDir === null) {
      const details = await fetchDetails(ctx.client, driveId, fileId, ctx.signal);
      name ??= details.name;
      isDir ??= details.isDir;
    }
    const client = ctx.client;
    const budget = client.pacer ? { budget: { limit: client.pacer.limit, windowMs: client.pacer.windowMs } } : {};
    if (!isDir) {
      const size = known?.size ?? null;
      const item = driveFileItem(client, driveId, { id: fileId, size, modifiedAt: known?.modifiedAt }, [name]);
      // Selected with others of its folder: they may come as archives (transfers/selection-route.ts);
      // its folder as listed, else as the transfer remembered it (a restart: the cache is empty).
      const parentId = folderOf(known ? known.parentId : (remembered?.parent ?? null));
      const group = parentId === null ? {} : { group: selectionGroup(client, driveId, parentId, fileId) };
      return { name, kind: 'file', items: once(item), filesTotal: 1, bytesTotal: size, ...group, ...budget };
    }
    if (folderMode === 'zip') {
      const fetch = await createArchive(client, driveId, folderBody(fileId), ctx.signal);
      const zipItem: DownloadItem = { segments: [`${name}.zip`], size: null, fetch };
      return { name: `${name}.zip`, kind: 'zip', items: once(zipItem), filesTotal: 1, bytesTotal: null };
    }
    return {
      name,
      kind: 'folder',
      items: walkFolder(client, driveId, fileId, name, ctx.signal),
      filesTotal: null,
      bytesTotal: null,
      // Many small files: one archive instead of one request per file (transfers/archive-route.ts).
      archive: folderArchive(client, driveId, fileId),
      ...budget,
    };
  }

  /** Sync: a drive's or folder's whole subtree (kdrive-subtree.ts). */
  async subtree(ctx: AdapterContext, node: ParsedId, _nodeId: string, options: SubtreeOptions): Promise<Subtree> {
    const driveId = Number(segment(node, 'drive'));
    const last = node.path.at(-1);
    if (!Number.isSafeInteger(driveId))
      throw failWith('not_found', 'not_syncable', 'Only drives and folders can be synced.');
    return kdriveSubtree(ctx.client, { driveId, folderId: last?.type === 'f' ? Number(last.value) : 1 }, options.log);
  }
}

/** The kDrive folder a listed node lies in, from its parent's node id (`…/drive:D/f:P`; a drive's root is 1). */
function folderOf(parentNodeId: string | null): number | null {
  const parent = parentNodeId === null ? null : parseId(parentNodeId)?.path.at(-1);
  if (parent?.type === 'drive') return 1;
  const id = parent?.type === 'f' ? Number(parent.value) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** "Shared with me" as a folder: every shared item, each from its own drive (no archive: several drives). */
async function sharedJob(ctx: AdapterContext, union: DriveUnion): Promise<DownloadJob> {
  const root = SHARED_FOLDER_NAME[ctx.language];
  const files = await findShared(ctx.client, union, ctx.signal);
  const client = ctx.client;
  async function* items(): AsyncIterable<DownloadItem | DownloadFolder> {
    yield { segments: [root] };
    for (const file of files) {
      if (file.type === 'file') {
        yield driveFileItem(client, file.drive_id, driveFacts(file), [root, file.name], String(file.id));
      } else if (file.type === 'dir') {
        for await (const item of walkFolder(client, file.drive_id, file.id, file.name, ctx.signal)) {
          yield { ...item, segments: [root, ...item.segments] };
        }
      }
    }
  }
  return { name: root, kind: 'folder', items: items(), filesTotal: null, bytesTotal: null };
}

async function fetchDetails(
  client: InfomaniakApi,
  driveId: number,
  fileId: number,
  signal: AbortSignal,
): Promise<{ name: string; isDir: boolean }> {
  if (fileId === 1) return { name: `Drive ${driveId}`, isDir: true };
  // [guess] v3 file details route; used only when neither the listing nor the transfer knows the node.
  const answer = await client.get('api', `/3/drive/${driveId}/files/${fileId}`, { signal });
  const parsed = fileSchema.safeParse(answer.data);
  if (!parsed.success) throw failWith('api_error', 'unknown_shape', 'Infomaniak did not describe this file.');
  return { name: parsed.data.name, isDir: parsed.data.type === 'dir' };
}

/** A folder download: one recursive listing per ~1,000 entries, no per-file requests. */
async function* walkFolder(
  client: InfomaniakApi,
  driveId: number,
  rootId: number,
  rootName: string,
  signal: AbortSignal,
): AsyncIterable<DownloadItem | DownloadFolder> {
  yield { segments: [rootName] };
  for await (const entries of walkSubtree(client, driveId, rootId, { signal })) {
    for (const { file, segments } of entries) {
      const path = [rootName, ...segments];
      if (file.type === 'dir') yield { segments: path };
      else if (file.type === 'file') yield driveFileItem(client, driveId, driveFacts(file), path, String(file.id));
      // a vault is neither: it stays locked
    }
  }
}

export function fileNode(
  file: DriveFile,
  parentId: string,
  driveNodeId: string,
  parentPath: string | undefined,
  driveName: string | undefined,
): SourceNode {
  const id = childId(driveNodeId, 'f', file.id);
  const path = parentPath !== undefined ? `${parentPath === '/' ? '' : parentPath}/${file.name}` : file.path;
  const isDir = file.type === 'dir';
  const vault = file.type === 'vault';
  const node: SourceNode = {
    id,
    parentId,
    kind: isDir || vault ? 'folder' : 'file',
    service: 'kdrive',
    name: file.name,
    expandable: isDir,
    downloadable: !vault,
    details: {
      ...(path ? { path } : {}),
      ...(driveName ? { drive: driveName } : {}),
      id: String(file.id),
      ...(file.status ? { status: file.status } : {}),
    },
  };
  if (!isDir && file.size !== undefined) node.size = file.size;
  const modified = seconds(file.last_modified_at ?? file.updated_at);
  if (modified !== undefined) node.modifiedAt = modified;
  const created = seconds(file.created_at ?? file.added_at);
  if (created !== undefined) node.createdAt = created;
  if (file.mime_type) node.mimeType = file.mime_type;
  const type = fileTypeOf(file);
  if (type) node.fileType = type;
  if (vault) node.state = { kind: 'locked', reason: 'This is a secure vault: open it in kDrive.' };
  else if (file.status === 'locked')
    node.state = { kind: 'locked', reason: 'This file is locked (being edited elsewhere).' };
  return node;
}
