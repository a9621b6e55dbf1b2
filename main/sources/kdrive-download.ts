/**
 * How kDrive bytes are fetched, built once for browsing, downloads, drag and sync: the download
 * item of one file (with the origin its Mark-of-the-Web names, its size, hash and time) and a
 * folder as one archive (docs/infomaniak-api.md, "Archives").
 */
import { failWith } from '../../shared/model/errors';
import type { InfomaniakApi } from '../infomaniak/types';
import type { ArchiveSource, DownloadItem } from '../localfs/types';

/** What the item of one kDrive file is made of. */
export interface DriveFileFacts {
  id: number | string;
  size?: number | null | undefined;
  /** The API's content hash (`xxh3:<hex>`), when known. */
  hash?: string | null | undefined;
  /** Modification time, unix ms. */
  modifiedAt?: number | null | undefined;
}

/**
 * The download item of one kDrive file: one request (`/2/drive/{d}/files/{id}/download`). No
 * `/hash` request: a hash is only comparable when the file was uploaded in one piece (below 1 MiB,
 * localfs/placement.ts), and for such a file a second request would double its cost against the
 * budget; size (and the validator on resume) checks it. `key` gives the file its own slot (two
 * files of the same name in one folder are two files).
 */
export function driveFileItem(
  client: InfomaniakApi,
  driveId: number,
  file: DriveFileFacts,
  segments: string[],
  key?: string,
): DownloadItem {
  const path = `/2/drive/${driveId}/files/${encodeURIComponent(String(file.id))}/download`;
  const item: DownloadItem = {
    segments,
    size: file.size ?? null,
    fetch: (req) => client.download('api', path, req),
    origin: client.endpoints.api,
  };
  if (key !== undefined) item.key = key;
  if (file.hash) item.hash = file.hash;
  if (file.modifiedAt !== undefined && file.modifiedAt !== null) item.modifiedAt = file.modifiedAt;
  return item;
}

/**
 * Creates a zip of one folder (or of a whole drive: "all children of 1", as the root cannot be a
 * file of an archive) and returns its download: 2 requests.
 */
export async function createArchive(
  client: InfomaniakApi,
  driveId: number,
  fileId: number,
  signal: AbortSignal,
): Promise<NonNullable<DownloadItem['fetch']>> {
  const created = await client.post<{ uuid?: unknown }>(
    'api',
    `/3/drive/${driveId}/files/archives`,
    fileId === 1 ? { parent_id: 1 } : { file_ids: [fileId] },
    { signal },
  );
  const uuid = typeof created.data?.uuid === 'string' ? created.data.uuid : null;
  if (!uuid) throw failWith('api_error', 'no_archive', 'Infomaniak did not return an archive to download.');
  return (req) => client.download('api', `/2/drive/${driveId}/files/archives/${encodeURIComponent(uuid)}`, req);
}

/** A folder (or a whole drive) as one archive: many small files in 2 requests instead of one each. */
export function folderArchive(client: InfomaniakApi, driveId: number, folderId: number): ArchiveSource {
  return { rooted: folderId !== 1, create: (signal) => createArchive(client, driveId, folderId, signal) };
}
