/**
 * A kDrive folder (or drive) as sync needs it (`SourceAdapter.subtree`): the complete subtree from
 * the recursive listing (`walkSubtree`), as entries keyed by file id; the download item of an entry
 * (the one kDrive item builder, kdrive-download.ts); the folder as one archive.
 */
import type { InfomaniakApi } from '../infomaniak/types';
import { driveFileItem, folderArchive } from './kdrive-download';
import type { DriveFile } from './kdrive-schemas';
import { walkSubtree } from './kdrive-walk';
import type { RemoteEntry, RemoteListing, Subtree, Unread } from './types';

export interface KdriveTarget {
  driveId: number;
  /** The folder below which everything is listed; 1 for a whole drive. */
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
async function listKdrive(
  client: InfomaniakApi,
  target: KdriveTarget,
  signal: AbortSignal,
  log?: (line: string) => void,
): Promise<RemoteListing> {
  const entries: RemoteListing = new Map<string, RemoteEntry>();
  // Records that did not decode, and entries whose folder never came: unknown, never "deleted".
  const unread: Unread = { ids: new Set(), all: false };
  const walk = walkSubtree(client, target.driveId, target.folderId, {
    signal,
    onSkipped: (file, reason) => {
      log?.(`sync: remote item ${file.id} left as it is: ${reason}`);
      unread.ids.add(String(file.id));
    },
    onUnread: (ids, all) => {
      log?.(`sync: ${all ? 'records' : `${ids.length} record(s)`} of the listing could not be read`);
      for (const id of ids) unread.ids.add(id);
      unread.all ||= all;
    },
    onTruncated: (folder, n) =>
      log?.(`sync: the listing of folder ${folder} stopped at ${n} entries: listing the rest folder by folder`),
  });
  for await (const page of walk) {
    for (const { file } of page) {
      if (file.status === 'trashed') continue;
      entries.set(String(file.id), remoteEntryOf(file, target.folderId));
    }
  }
  if (unread.all || unread.ids.size > 0) entries.unread = unread;
  return entries;
}

export function kdriveSubtree(client: InfomaniakApi, target: KdriveTarget, log?: (line: string) => void): Subtree {
  return {
    list: (signal) => listKdrive(client, target, signal, log),
    itemFor: (entry) =>
      driveFileItem(client, target.driveId, { id: entry.id, size: entry.size, modifiedAt: entry.mtime }, [entry.name]),
    archive: folderArchive(client, target.driveId, target.folderId),
  };
}
