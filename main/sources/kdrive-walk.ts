/**
 * kDrive listings: one folder's children (v3 cursor pages) and the subtree walk, which lists every
 * descendant of a folder with the recursive listing (docs/infomaniak-api.md, "Recursive listing"):
 *   GET /3/drive/{d}/files/{F}/files?depth=unlimited&limit=1000&with=path&cursor=
 * about one request per 1,000 entries instead of one (or more) per folder. The recursive listing is
 * refused on the root folder (id 1), so a walk of a whole drive lists the root's children first and
 * then walks each child folder. Used by folder downloads, sync and search.
 *
 * A recursive listing may be capped (a third-party client measured a 10,000-element cap on a
 * listing route; whether `depth=unlimited` has one is unknown): a walk that returned `LISTING_CAP`
 * entries or more, that ends with `has_more` but no cursor, or that is refused after its first
 * page is not trusted to be complete. The rest is then listed folder by folder: the folder's own
 * children by the plain listing, each child folder by its own (smaller) walk, which splits again
 * if it is capped too. Entries already handed out are not handed out again. A missing file would
 * be trashed locally by sync; a split costs a few requests more.
 */
import { appErrorFrom } from '../errors/app-error';
import type { InfomaniakApi } from '../infomaniak/types';
import { fileSchema } from './kdrive-schemas';
import type { DriveFile } from './kdrive-schemas';
import { decodeList, expectList } from './pim/schemas';

export const PAGE_LIMIT = 1000;
export const ROOT_FILE_ID = 1;
/** Entries after which one recursive listing may have been cut short (see above). */
export const LISTING_CAP = 10_000;

/** One descendant of the walked folder. */
export interface WalkEntry {
  file: DriveFile;
  /** Names from the walked folder (exclusive) down to this entry (inclusive). */
  segments: string[];
}

export interface WalkOptions {
  signal: AbortSignal;
  /** Told about an entry that could not be placed in the tree (its parent never came). */
  onSkipped?: (file: DriveFile, reason: string) => void;
  /** Page size (5..1000); default 1000. */
  limit?: number;
  /** Told when a recursive listing looked cut short (folder id, entries it gave) and is split. */
  onTruncated?: (folderId: number, entries: number) => void;
  /**
   * Told about records of a page that did not decode (their ids; `all` when one had no readable
   * id): they are unknown, not absent (a sync must not read them as deleted).
   */
  onUnread?: Unread;
}

type Unread = (ids: string[], all: boolean) => void;

/**
 * The files of one page. Parse loudly: a page that holds no list is `api_error` (never "no files":
 * to a sync that would mean every file was deleted); records that do not decode are told `onUnread`.
 */
function decodeFiles(raw: unknown, onUnread?: Unread): DriveFile[] {
  const decoded = expectList(decodeList(fileSchema, raw), "a folder's contents");
  if (decoded.unread) onUnread?.(decoded.unread.ids, decoded.unread.all);
  return decoded.items;
}

/** One folder's children in v3 cursor pages (folders first, then by name). */
export async function* listFolder(
  client: InfomaniakApi,
  driveId: number,
  fileId: number,
  signal: AbortSignal,
  limit = PAGE_LIMIT,
  onUnread?: Unread,
): AsyncIterable<{ files: DriveFile[]; total?: number }> {
  let cursor: string | null | undefined;
  for (;;) {
    const answer = await client.get('api', `/3/drive/${driveId}/files/${fileId}/files`, {
      searchParams: { limit, cursor: cursor ?? undefined, 'order_by[]': ['type', 'name'], order: 'asc' },
      signal,
    });
    const items = decodeFiles(answer.data, onUnread);
    yield answer.total !== undefined ? { files: items, total: answer.total } : { files: items };
    cursor = answer.cursor;
    if (!answer.hasMore || !cursor) return;
  }
}

/**
 * Every descendant of folder `folderId`, page by page (one yielded array per answer). A folder is
 * yielded before its contents whenever the server lists it first; entries whose parent comes later
 * are held back until it does. Throws the client's typed errors (the caller decides on retries).
 */
export async function* walkSubtree(
  client: InfomaniakApi,
  driveId: number,
  folderId: number,
  options: WalkOptions,
): AsyncIterable<WalkEntry[]> {
  if (folderId !== ROOT_FILE_ID) {
    yield* walkBelow(client, driveId, folderId, [], options);
    return;
  }
  const folders: WalkEntry[] = [];
  for await (const page of listFolder(client, driveId, ROOT_FILE_ID, options.signal, options.limit, options.onUnread)) {
    const entries = page.files.map((file) => ({ file, segments: [file.name] }));
    folders.push(...entries.filter((e) => e.file.type === 'dir'));
    if (entries.length > 0) yield entries;
  }
  for (const folder of folders) yield* walkBelow(client, driveId, folder.file.id, folder.segments, options);
}

/**
 * The recursive listing below one folder (never the root); folder by folder if it is refused,
 * split (`splitWalk`) if it looks cut short. `seen`: ids already handed out (not again).
 */
async function* walkBelow(
  client: InfomaniakApi,
  driveId: number,
  folderId: number,
  prefix: string[],
  options: WalkOptions,
  seen: Set<number> = new Set(),
): AsyncIterable<WalkEntry[]> {
  const placer = new Placer(folderId, prefix);
  let cursor: string | null | undefined;
  let first = true;
  let received = 0;
  let cut = false;
  for (;;) {
    let answer;
    try {
      answer = await client.get('api', `/3/drive/${driveId}/files/${folderId}/files`, {
        searchParams: {
          depth: 'unlimited',
          limit: options.limit ?? PAGE_LIMIT,
          with: 'path',
          cursor: cursor ?? undefined,
        },
        signal: options.signal,
      });
    } catch (error) {
      if (refusedRecursion(error) && first) {
        yield* walkFolderByFolder(client, driveId, folderId, prefix, options, seen);
        return;
      }
      if (!refusedRecursion(error)) throw error;
      cut = true; // refused after some pages: the walk went as far as the server lets it
      break;
    }
    first = false;
    const files = decodeFiles(answer.data, options.onUnread);
    received += files.length;
    const placed = unseen(placer.add(files), seen);
    if (placed.length > 0) yield placed;
    cursor = answer.cursor;
    if (answer.hasMore && !cursor) cut = true;
    if (!answer.hasMore || !cursor) break;
  }
  if (cut || received >= LISTING_CAP) {
    options.onTruncated?.(folderId, received);
    yield* splitWalk(client, driveId, folderId, prefix, options, seen);
    return;
  }
  const late = unseen(placer.finish(options.onSkipped), seen);
  if (late.length > 0) yield late;
}

/** The entries not handed out yet (and now marked as handed out). */
function unseen(entries: WalkEntry[], seen: Set<number>): WalkEntry[] {
  const out = entries.filter((e) => !seen.has(e.file.id));
  for (const e of out) seen.add(e.file.id);
  return out;
}

/** After a walk cut short: the folder's own children, then each child folder by its own walk. */
async function* splitWalk(
  client: InfomaniakApi,
  driveId: number,
  folderId: number,
  prefix: string[],
  options: WalkOptions,
  seen: Set<number>,
): AsyncIterable<WalkEntry[]> {
  const folders: WalkEntry[] = [];
  for await (const page of listFolder(client, driveId, folderId, options.signal, options.limit)) {
    const entries = page.files.map((file) => ({ file, segments: [...prefix, file.name] }));
    folders.push(...entries.filter((e) => e.file.type === 'dir'));
    const fresh = unseen(entries, seen);
    if (fresh.length > 0) yield fresh;
  }
  for (const folder of folders) yield* walkBelow(client, driveId, folder.file.id, folder.segments, options, seen);
}

/** A 400/422 on the first recursive page (other than "not a folder"): the server will not recurse. */
function refusedRecursion(error: unknown): boolean {
  const details = appErrorFrom(error).details;
  return (details?.status === 400 || details?.status === 422) && details.apiCode !== 'destination_not_a_directory';
}

/** The fallback: one listing (or more) per folder, breadth first. */
async function* walkFolderByFolder(
  client: InfomaniakApi,
  driveId: number,
  folderId: number,
  prefix: string[],
  options: WalkOptions,
  seen: Set<number>,
): AsyncIterable<WalkEntry[]> {
  const pending: Array<{ id: number; segments: string[] }> = [{ id: folderId, segments: prefix }];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    for await (const page of listFolder(client, driveId, dir.id, options.signal, options.limit, options.onUnread)) {
      const entries = page.files.map((file) => ({ file, segments: [...dir.segments, file.name] }));
      for (const e of entries) if (e.file.type === 'dir') pending.push({ id: e.file.id, segments: e.segments });
      const fresh = unseen(entries, seen);
      if (fresh.length > 0) yield fresh;
    }
  }
}

/**
 * Places entries in the tree by `parent_id`. An entry whose parent has not come yet waits for it;
 * at the end, what still waits is placed by its `path` relative to the walked folder, or skipped.
 */
class Placer {
  #folders = new Map<number, string[]>();
  #waiting = new Map<number, DriveFile[]>();
  #rootPath: string | null = null;

  constructor(
    private readonly rootId: number,
    prefix: string[],
  ) {
    this.#folders.set(rootId, prefix);
  }

  add(files: DriveFile[]): WalkEntry[] {
    const out: WalkEntry[] = [];
    for (const file of files) {
      if (file.id === this.rootId) continue;
      const parent = file.parent_id === undefined ? undefined : this.#folders.get(file.parent_id);
      if (parent === undefined) {
        const list = this.#waiting.get(file.parent_id ?? -1) ?? [];
        list.push(file);
        this.#waiting.set(file.parent_id ?? -1, list);
        continue;
      }
      this.#place(file, [...parent, file.name], out);
    }
    return out;
  }

  #place(file: DriveFile, segments: string[], out: WalkEntry[]): void {
    out.push({ file, segments });
    if (this.#rootPath === null && file.path !== undefined) {
      const tail = `/${segments.slice(this.#folders.get(this.rootId)!.length).join('/')}`;
      if (file.path.endsWith(tail)) this.#rootPath = file.path.slice(0, file.path.length - tail.length);
    }
    if (file.type !== 'dir') return;
    this.#folders.set(file.id, segments);
    const children = this.#waiting.get(file.id);
    if (!children) return;
    this.#waiting.delete(file.id);
    for (const child of children) this.#place(child, [...segments, child.name], out);
  }

  finish(onSkipped: WalkOptions['onSkipped']): WalkEntry[] {
    const out: WalkEntry[] = [];
    const prefix = this.#folders.get(this.rootId)!;
    const rest = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    for (const file of rest) {
      const base = this.#rootPath === null ? null : `${this.#rootPath}/`;
      if (base !== null && file.path?.startsWith(base)) {
        out.push({ file, segments: [...prefix, ...file.path.slice(base.length).split('/')] });
      } else {
        onSkipped?.(file, 'its folder was not part of the listing');
      }
    }
    return out;
  }
}
