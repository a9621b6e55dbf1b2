/**
 * What Details offers for a kDrive file beyond its bytes (issue 24.2, 24.3): its earlier versions
 * (listed, and one saved beside the current file through the normal transfers) and a picture of it
 * (cached on disk, preview-cache.ts). Every request is in the interactive lane: the user is looking.
 *
 * Pictures (docs/infomaniak-api.md, "Thumbnails and previews"): images use
 * `GET /2/drive/{d}/files/{F}/preview?width=&height=&quality=80` (640×480 in Details, 1600×1200
 * for the larger preview); PDFs and videos the thumbnail (`…/thumbnail?width=400&height=400`) in
 * Details and `…/preview` for the larger one when it answers with a picture (else the thumbnail).
 * Only a raster picture (PNG, JPEG, GIF, WebP, recognised by its bytes, never by what the server
 * says) of at most 8 MiB reaches the renderer, as base64 for a `data:` URL (the CSP allows data:
 * images): no path, no URL, no token.
 */
import { dirname } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import { PREVIEW_FILE_TYPES } from '../../shared/model/file-extras';
import type { FileVersionInfo, PreviewImage, PreviewSize } from '../../shared/model/file-extras';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi, RequestLane } from '../infomaniak/types';
import { parseId, segment } from './ids';
import { listVersions, versionsOf } from './kdrive-versions';
import { previewKey } from './preview-cache';
import type { PreviewCache } from './preview-cache';

const MAX_PICTURE_BYTES = 8 * 1024 * 1024;

export interface FileExtrasDeps {
  /** A node listed before (the Sources service's cache). */
  node(id: string): SourceNode | undefined;
  /** Remembers nodes (version nodes, for their downloads). */
  remember(nodes: SourceNode[]): void;
  /** The connection's client, spending in `lane`. */
  client(connectionId: string, lane: RequestLane): Promise<InfomaniakApi>;
  /** Starts a download of nodes into a folder (the transfer manager); resolves with the transfer ids. */
  download(nodeIds: string[], targetDir: string): Promise<string[]>;
  /** Where a node's last completed download is, if it is still there. */
  downloadedPath(nodeId: string): string | null;
  downloadsDir(): string;
  cache: PreviewCache;
}

interface KdriveFile {
  node: SourceNode;
  connectionId: string;
  driveId: number;
  fileId: number;
}

export class FileExtras {
  #d: FileExtrasDeps;
  #inFlight = new Map<string, Promise<Uint8Array | null>>();

  constructor(deps: FileExtrasDeps) {
    this.#d = deps;
  }

  /** A kDrive file's earlier versions, newest first (one request per 100). */
  async versions(nodeId: string): Promise<FileVersionInfo[]> {
    const file = this.#file(nodeId);
    const client = await this.#d.client(file.connectionId, 'interactive');
    const records = await listVersions(client, file.driveId, file.fileId, new AbortController().signal);
    const { infos, nodes } = versionsOf(file.node, records);
    this.#d.remember(nodes);
    return infos;
  }

  /** Saves a version (a node `versions()` returned) beside the file's last download, else in the downloads folder. */
  async downloadVersion(versionNodeId: string): Promise<string[]> {
    const version = this.#d.node(versionNodeId);
    const parsed = parseId(versionNodeId);
    if (!version || !parsed || parsed.path.at(-1)?.type !== 'ver' || !version.parentId)
      throw failWith('not_found', 'version_unknown', 'This version is not known. Show the versions again.');
    const current = this.#d.downloadedPath(version.parentId);
    return this.#d.download([versionNodeId], current ? dirname(current) : this.#d.downloadsDir());
  }

  /** A picture of an image, PDF or video file; null when it has none. */
  async preview(nodeId: string, size: PreviewSize): Promise<PreviewImage | null> {
    const file = this.#file(nodeId);
    const type = file.node.fileType;
    if (!type || !PREVIEW_FILE_TYPES.has(type)) return null;
    const bytes = await this.#cached(file, type, size);
    return bytes ? asImage(bytes) : null;
  }

  /** From the disk cache, else fetched once (concurrent asks share the request) and cached. */
  #cached(file: KdriveFile, type: string, size: PreviewSize): Promise<Uint8Array | null> {
    const { node, connectionId, driveId, fileId } = file;
    const key = previewKey([connectionId, driveId, fileId, node.modifiedAt, node.size, size]);
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const cached = await this.#d.cache.get(key);
        if (cached && asImage(cached)) return cached;
        const bytes = await this.#fetch(file, type, size);
        if (bytes) void this.#d.cache.put(key, bytes).catch(() => undefined);
        return bytes;
      })().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #fetch(file: KdriveFile, type: string, size: PreviewSize): Promise<Uint8Array | null> {
    const client = await this.#d.client(file.connectionId, 'interactive');
    const base = `/2/drive/${file.driveId}/files/${file.fileId}`;
    if (type === 'image') {
      const box = size === 'small' ? { width: 640, height: 480 } : { width: 1600, height: 1200 };
      return fetchPicture(client, `${base}/preview`, { ...box, quality: 80 });
    }
    if (size === 'small') return fetchPicture(client, `${base}/thumbnail`, { width: 400, height: 400 });
    const large = await fetchPicture(client, `${base}/preview`, { width: 1600, height: 1200, quality: 80 });
    return large ?? this.#cached(file, type, 'small');
  }

  #file(nodeId: string): KdriveFile {
    const node = this.#d.node(nodeId);
    const parsed = parseId(nodeId);
    const driveId = parsed ? Number(segment(parsed, 'drive')) : NaN;
    const last = parsed?.path.at(-1);
    if (!node || !parsed || parsed.service !== 'kdrive' || node.kind !== 'file' || last?.type !== 'f')
      throw failWith('unavailable', 'kdrive_only', 'Versions and previews are there for kDrive files.');
    if (!Number.isSafeInteger(driveId))
      throw failWith('not_found', 'node_unknown', 'This file is not part of a drive.');
    return { node, connectionId: parsed.connectionId, driveId, fileId: Number(last.value) };
  }
}

/** One picture route; null when the server has none for this file (404) or sends no raster picture. */
async function fetchPicture(
  client: InfomaniakApi,
  path: string,
  searchParams: Record<string, number>,
): Promise<Uint8Array | null> {
  let response;
  try {
    response = await client.download('api', path, { searchParams, lane: 'interactive' });
  } catch (error) {
    if (appErrorFrom(error).code === 'not_found') return null;
    throw error;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > MAX_PICTURE_BYTES) {
        response.cancel();
        return null;
      }
      chunks.push(Uint8Array.from(chunk));
    }
  } catch (error) {
    response.cancel();
    throw error;
  }
  const bytes = Buffer.concat(chunks);
  return asImage(bytes) ? bytes : null;
}

/** The picture as the renderer gets it, when its bytes are a raster format we allow. */
export function asImage(bytes: Uint8Array): PreviewImage | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let mime: PreviewImage['mime'] | null = null;
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    mime = 'image/png';
  } else if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) mime = 'image/jpeg';
  else if (b.length > 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) mime = 'image/gif';
  else if (
    b.length > 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    mime = 'image/webp';
  }
  return mime ? { mime, base64: b.toString('base64') } : null;
}
