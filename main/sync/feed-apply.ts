/**
 * One change of a feed (activities or `listing/continue`) applied to the snapshot kept from the
 * last run. Returns false when the change cannot be applied exactly (a folder restored or moved
 * in with contents the feed does not list, an unknown action, an object missing): the run then
 * relists, which is always correct. Applying a change twice is harmless.
 */
import type { DriveFile } from '../sources/kdrive-schemas';
import { remoteEntryOf } from '../sources/kdrive-subtree';
import type { RemoteEntry } from './types';

export interface FeedChange {
  action: string;
  id: number | undefined;
  /** The file as the feed sent it (after the change); needed for everything but removals. */
  file: DriveFile | null | undefined;
}

export function applyChange(entries: Map<string, RemoteEntry>, root: number, c: FeedChange): boolean {
  if (c.id === undefined) return false;
  const key = String(c.id);
  switch (c.action) {
    case 'file_trash':
    case 'file_delete':
    case 'file_move_out':
      removeWithDescendants(entries, key);
      return true;
    case 'file_create':
    case 'file_update':
    case 'file_rename':
    case 'file_move':
    case 'file_restore': {
      const file = c.file;
      if (!file || file.parent_id === undefined) return false;
      const inside = file.parent_id === root || entries.get(String(file.parent_id))?.type === 'dir';
      if (!inside || file.status === 'trashed') {
        removeWithDescendants(entries, key);
        return true;
      }
      // A folder that arrives with content (restored, moved in) has descendants the feed does not list.
      if (file.type === 'dir' && !entries.has(key) && c.action !== 'file_create') return false;
      entries.set(key, remoteEntryOf(file, root));
      return true;
    }
    default:
      return false;
  }
}

function removeWithDescendants(entries: Map<string, RemoteEntry>, id: string): void {
  if (!entries.delete(id)) return;
  const gone = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of entries.values()) {
      if (e.parent !== null && gone.has(e.parent)) {
        gone.add(e.id);
        entries.delete(e.id);
        grew = true;
      }
    }
  }
}
