/**
 * One change of a feed applied to the snapshot kept from the last run: an action of the drive-wide
 * `listing/continue` (feed-listing.ts: the action carries the file's own fields) or an activity
 * (feed.ts: the activity carries the file object). Anything that cannot be applied exactly (a
 * folder restored or moved in with contents the feed does not list, an unknown action, a field
 * missing) makes the run relist, which is always correct. Applying a change twice is harmless.
 *
 * Actions that change nothing a copy of the files needs are ignored, never a reason to relist
 * (the desktop app ignores them too): someone opening a file (`file_access`), shares and share
 * links, rights (`acl_*`), comments, favourites, categories and colours.
 */
import { z } from 'zod';
import type { DriveFile } from '../sources/kdrive-schemas';
import { remoteEntryOf } from '../sources/kdrive-subtree';
import type { RemoteEntry } from './types';

const IGNORED = new Set([
  'file_access',
  'file_share_create',
  'file_share_update',
  'file_share_delete',
  'share_link_create',
  'share_link_update',
  'share_link_delete',
  'share_link_show',
  'file_favorite_create',
  'file_favorite_remove',
  'file_categorize',
  'file_uncategorize',
  'file_color_update',
  'file_color_delete',
]);
const IGNORED_PREFIXES = ['acl_', 'comment_', 'collaborative_folder_'];

/** An action that changes nothing in the files (see above). */
export function ignoredAction(action: string): boolean {
  return IGNORED.has(action) || IGNORED_PREFIXES.some((p) => action.startsWith(p));
}

/** The actions that change files: what the activities feed is asked for (`actions[]`). */
export const FILE_ACTIONS = [
  'file_create',
  'file_update',
  'file_rename',
  'file_move',
  'file_move_out',
  'file_trash',
  'file_restore',
  'file_delete',
] as const;

const REMOVALS = new Set(['file_trash', 'file_delete', 'file_move_out']);
const PLACINGS = new Set(['file_create', 'file_update', 'file_rename', 'file_move', 'file_restore']);

const absent = (v: unknown): boolean => v === null || v === undefined;
const optInt = z.preprocess((v) => (absent(v) ? undefined : v), z.coerce.number().int().optional());
const optNum = z.preprocess((v) => (absent(v) ? undefined : v), z.coerce.number().optional());
const optStr = z.preprocess((v) => (absent(v) ? undefined : v), z.string().optional());

/**
 * One action of the drive-wide feed [seen in the desktop app: `action, file_id, parent_id, path`,
 * `destination` on moves, `created_at, last_modified_at, file_type, size, symbolic_link`]. The
 * action and the id must be there; what else a change needs is checked where it is applied.
 */
export const driveActionSchema = z
  .object({
    action: z.string().min(1),
    file_id: z.coerce.number().int().positive(),
    parent_id: optInt,
    path: optStr,
    destination: optStr,
    last_modified_at: optNum,
    file_type: optStr,
    size: optNum,
  })
  .loose();
export type DriveAction = z.infer<typeof driveActionSchema>;

export type ActionOutcome = 'applied' | 'ignored' | { relist: string };

/**
 * Items moved out whose move in has not come (yet): removed at the end of the feed
 * (`settleMovedOut`). A move may come as `file_move_out` and `file_move` of one id, in either
 * order [seen: the desktop app pairs them]; both halves cancel out.
 */
export type MoveHalves = Map<string, 'in' | 'out'>;

/** One drive-wide action applied to the pair's snapshot (`root`: the pair's folder id). */
export function applyAction(
  entries: Map<string, RemoteEntry>,
  root: number,
  a: DriveAction,
  moves: MoveHalves,
): ActionOutcome {
  if (ignoredAction(a.action)) return 'ignored';
  const key = String(a.file_id);
  if (a.file_id === root) {
    // The pair's own folder: renamed or moved it is still the pair; gone, the full listing says what is true.
    if (REMOVALS.has(a.action)) return { relist: 'the folder of the pair itself was removed' };
    return PLACINGS.has(a.action) ? 'applied' : { relist: `unknown action ${a.action}` };
  }
  if (a.action === 'file_move_out') {
    if (moves.get(key) === 'in') moves.delete(key);
    else if (entries.has(key)) moves.set(key, 'out');
    return 'applied';
  }
  if (REMOVALS.has(a.action)) {
    removeWithDescendants(entries, key);
    moves.delete(key);
    return 'applied';
  }
  if (!PLACINGS.has(a.action)) return { relist: `unknown action ${a.action}` };
  return place(entries, root, a, moves);
}

function place(entries: Map<string, RemoteEntry>, root: number, a: DriveAction, moves: MoveHalves): ActionOutcome {
  const key = String(a.file_id);
  if (a.parent_id === undefined) return { relist: `${a.action} without a parent` };
  const inside = a.parent_id === root || entries.get(String(a.parent_id))?.type === 'dir';
  const existing = entries.get(key);
  if (!inside) {
    // Elsewhere in the drive: nothing of the pair, or it left the pair.
    if (existing) removeWithDescendants(entries, key);
    moves.delete(key);
    return 'applied';
  }
  const type = a.file_type === 'file' ? 'file' : a.file_type === 'dir' ? 'dir' : null;
  if (type === null) return { relist: `unknown file type ${a.file_type ?? '(none)'}` };
  // A folder that arrives with content (restored, moved in) has descendants the feed does not list.
  if (type === 'dir' && existing?.type !== 'dir' && a.action !== 'file_create')
    return { relist: 'a folder arrived with its contents' };
  const name = (a.destination ?? a.path ?? '').split('/').pop() ?? '';
  if (name === '') return { relist: `${a.action} without a name` };
  if (type === 'file' && (a.size === undefined || a.last_modified_at === undefined))
    return { relist: `${a.action} without size or time` };
  entries.set(key, {
    id: key,
    parent: a.parent_id === root ? null : String(a.parent_id),
    name,
    type,
    size: type === 'file' ? a.size! : 0,
    mtime: a.last_modified_at !== undefined ? a.last_modified_at * 1000 : (existing?.mtime ?? 0),
  });
  if (a.action === 'file_move') {
    if (moves.get(key) === 'out') moves.delete(key);
    else moves.set(key, 'in');
  } else moves.delete(key);
  return 'applied';
}

/** At the end of a feed: what moved out and never came back in is gone from the pair. */
export function settleMovedOut(entries: Map<string, RemoteEntry>, moves: MoveHalves): void {
  for (const [key, half] of moves) if (half === 'out') removeWithDescendants(entries, key);
  moves.clear();
}

export interface FeedChange {
  action: string;
  id: number | undefined;
  /** The file as the feed sent it (after the change); needed for everything but removals. */
  file: DriveFile | null | undefined;
}

/** One activity applied (the activities feed); false when the run must relist. */
export function applyChange(entries: Map<string, RemoteEntry>, root: number, c: FeedChange): boolean {
  if (ignoredAction(c.action)) return true;
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
