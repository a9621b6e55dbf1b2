/**
 * What localfs writes: one item (a resumable HTTP body or content made in main) or an empty
 * folder, and a folder that can also come as one archive. Sources' adapters make them; transfers,
 * sync and drag hand them to the writer.
 */
import type { DownloadRequest, DownloadResponse } from '../infomaniak/types';

export interface DownloadItem {
  /** Path below the job's target folder, as raw names from the API (not yet safe for disk). */
  segments: string[];
  /**
   * The item's own identity (e.g. the kDrive file id), when it has one: two items of the same name
   * in one folder are then two files (`a.txt`, `a (1).txt`), never one slot.
   */
  key?: string;
  /** Expected size in bytes, when the API gives it. */
  size: number | null;
  /** Content hash as the API gives it (`xxh3:<16 hex>`), when known. */
  hash?: string | null;
  /** A resumable HTTP body. Exactly one of `fetch` and `content` is set. */
  fetch?: (
    request: Pick<DownloadRequest, 'start' | 'ifRange' | 'signal' | 'onWait' | 'expectedBytes' | 'toFile'>,
  ) => Promise<DownloadResponse>;
  /** Content generated in main (.ics, .vcf). */
  content?: () => Promise<Uint8Array>;
  /**
   * A local copy of this same version, when there may be one (a file the drag-out cache staged):
   * the writer places it instead of fetching (local-copy.ts). Null, or a copy that does not fit
   * (gone, another size): fetched as usual.
   */
  localCopy?: () => Promise<string | null>;
  /** Modification time to set on the written file (unix ms), when known. */
  modifiedAt?: number;
  /** The origin it is requested from (`https://api.infomaniak.com`), for the Mark-of-the-Web; never a full URL. */
  origin?: string;
}

/** An empty folder to create (folder downloads keep empty folders). */
export interface DownloadFolder {
  segments: string[];
}

/** What the writer tells about one file while it writes it (writeItem's `events`). */
export interface WriterEvents {
  /**
   * Bytes in this file changed by `delta`: found in an existing part (`fresh` false), received now
   * (`fresh` true) or thrown away because the server restarted from 0 (negative, `fresh` false).
   */
  progress?(delta: number, fresh: boolean): void;
  /** The total size became known (from the item or the response). */
  size?(total: number): void;
  /** A dropped connection is being resumed. */
  resumed?(): void;
  /** The request waits for the token's request budget this long (ms); 0 when it goes. */
  waiting?(ms: number): void;
  /** An attempt failed (server error, stall, drop); the next one starts in `ms`. */
  retrying?(ms: number): void;
}

/** A folder (or some files of one folder) that can also come as one archive. */
export interface ArchiveSource {
  /** Creates the archive on the server (one request) and returns how to download it. */
  create(signal: AbortSignal): Promise<NonNullable<DownloadItem['fetch']>>;
  /** Entries start with the folder's own name (an archive of the folder), else they are its children. */
  rooted: boolean;
  /**
   * The same folder without these of its items (the user chose to skip them), when the server can
   * leave some out (its direct children); undefined when none of them can be left out.
   */
  without?(items: readonly DownloadItem[]): ArchiveSource | undefined;
}

/**
 * Files of one folder that may come together as archives (a selection of many files: one archive
 * per batch instead of one request per file).
 */
export interface ArchiveGroup {
  /** Files of one group share their folder on the server: one archive may hold them. */
  key: string;
  /** This file's id in an archive request. */
  id: number;
  /** An archive of these files of the group (by id); its entries are named by the files' names. */
  archive(ids: number[]): ArchiveSource;
}

/** A file (bytes or content to write), not a folder. */
export function isFileItem(item: DownloadItem | DownloadFolder): item is DownloadItem {
  return Boolean(('fetch' in item && item.fetch) || ('content' in item && item.content));
}
