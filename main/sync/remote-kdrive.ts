/**
 * The remote side of a kDrive pair: the complete subtree below the pair's folder (or drive), from
 * the recursive listing (`walkSubtree` in main/sources), as a snapshot keyed by file id. Bytes are
 * fetched with the client's resumable download, through the transfer writer.
 */
import type { InfomaniakApi } from '../infomaniak/types';
import type { DriveFile } from '../sources/kdrive-schemas';
import { walkSubtree } from '../sources/kdrive-walk';
import type { DownloadItem } from '../localfs/types';
import type { RemoteEntry } from './types';

export interface KdriveTarget {
  driveId: number;
  /** The folder kept in sync; 1 for a whole drive. */
  folderId: number;
}

export function remoteEntryOf(file: DriveFile, folderId: number): RemoteEntry {
  const parent = file.parent_id === undefined || file.parent_id === folderId ? null : String(file.parent_id);
  return {
    id: String(file.id),
    parent,
    name: file.name,
    type: file.type === 'dir' ? 'dir' : 'file',
    size: file.type === 'dir' ? 0 : (file.size ?? 0),
    mtime: (file.last_modified_at ?? file.updated_at ?? 0) * 1000,
  };
}

/** Every entry below the folder; throws (changing nothing) if the listing cannot complete. */
export async function listKdrive(
  client: InfomaniakApi,
  target: KdriveTarget,
  signal: AbortSignal,
  log?: (line: string) => void,
): Promise<Map<string, RemoteEntry>> {
  const entries = new Map<string, RemoteEntry>();
  const walk = walkSubtree(client, target.driveId, target.folderId, {
    signal,
    onSkipped: (file, reason) => log?.(`sync: skipped remote item ${file.id}: ${reason}`),
  });
  for await (const page of walk) {
    for (const { file } of page) {
      if (file.status === 'trashed') continue;
      entries.set(String(file.id), remoteEntryOf(file, target.folderId));
    }
  }
  return entries;
}

export function kdriveItem(client: InfomaniakApi, driveId: number, entry: RemoteEntry): DownloadItem {
  const item: DownloadItem = {
    segments: [entry.name],
    size: entry.size,
    fetch: (req) => client.download('api', `/2/drive/${driveId}/files/${encodeURIComponent(entry.id)}/download`, req),
  };
  if (entry.mtime !== null) item.modifiedAt = entry.mtime;
  return item;
}
