/**
 * How kDrive bytes are fetched, built once for browsing, downloads, drag and sync: the download
 * item of one file (with the origin its Mark-of-the-Web names, its size, hash and time) and a
 * folder as one archive (docs/infomaniak-api.md, "Archives").
 */
import { failWith } from '../../shared/model/errors';
import type { InfomaniakApi } from '../infomaniak/types';
import type { ArchiveGroup, ArchiveSource, DownloadItem } from '../localfs/types';

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

/** What an archive holds: files of one folder (`file_ids`), or a folder's children but some. */
type ArchiveBody = { file_ids: number[] } | { parent_id: number; except_file_ids?: number[] };

/**
 * Creates a zip (docs/infomaniak-api.md, "Archives") and returns its download: 2 requests. The
 * files must share one folder, at most ARCHIVE_BATCH of them.
 */
export async function createArchive(
  client: InfomaniakApi,
  driveId: number,
  body: ArchiveBody,
  signal: AbortSignal,
): Promise<NonNullable<DownloadItem['fetch']>> {
  const created = await client.post<{ uuid?: unknown }>('api', `/3/drive/${driveId}/files/archives`, body, { signal });
  const uuid = typeof created.data?.uuid === 'string' ? created.data.uuid : null;
  if (!uuid) throw failWith('api_error', 'no_archive', 'Infomaniak did not return an archive to download.');
  return (req) => client.download('api', `/2/drive/${driveId}/files/archives/${encodeURIComponent(uuid)}`, req);
}

/** One folder (or a whole drive: "all children of 1", as the root cannot be a file of an archive). */
export function folderBody(folderId: number): ArchiveBody {
  return folderId === 1 ? { parent_id: 1 } : { file_ids: [folderId] };
}

/**
 * A folder (or a whole drive) as one archive: many small files in 2 requests instead of one each.
 * Its items' segments are [folder name, …path below it]: a direct child the user chose to skip is
 * left out of the archive (`except_file_ids`; the entries are then the folder's children).
 */
export function folderArchive(client: InfomaniakApi, driveId: number, folderId: number): ArchiveSource {
  return {
    rooted: folderId !== 1,
    create: (signal) => createArchive(client, driveId, folderBody(folderId), signal),
    without: (items) => {
      const except = items.filter((item) => item.segments.length === 2).map((item) => Number(item.key));
      if (!except.some((id) => Number.isSafeInteger(id) && id > 0)) return undefined;
      const body = { parent_id: folderId, except_file_ids: except.filter((id) => Number.isSafeInteger(id)) };
      return { rooted: false, create: (signal) => createArchive(client, driveId, body, signal) };
    },
  };
}

/**
 * The archives a selected file of folder `parentId` may come in with the others selected there
 * (`file_ids`, entries named by the files' names): one per batch of files instead of one request each.
 */
export function selectionGroup(client: InfomaniakApi, driveId: number, parentId: number, fileId: number): ArchiveGroup {
  return {
    key: `${driveId}:${parentId}`,
    id: fileId,
    archive: (ids) => ({
      rooted: false,
      create: (signal) => createArchive(client, driveId, { file_ids: ids }, signal),
    }),
  };
}
