/**
 * What the transfer engine needs from the rest of main. Sources adapters turn a selection into
 * DownloadJobs; the engine writes them safely to disk.
 */
import type { StoredNode, TransferKind } from '../../shared/model/transfers';
import type { DownloadRequest, DownloadResponse } from '../infomaniak/types';
import type { ArchiveSource } from './archive-route';

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
  fetch?: (request: Pick<DownloadRequest, 'start' | 'ifRange' | 'signal' | 'onWait'>) => Promise<DownloadResponse>;
  /** Content generated in main (.ics, .vcf). */
  content?: () => Promise<Uint8Array>;
  /** Modification time to set on the written file (unix ms), when known. */
  modifiedAt?: number;
  /** The origin it is requested from (`https://api.infomaniak.com`), for the Mark-of-the-Web; never a full URL. */
  origin?: string;
}

/** An empty folder to create (folder downloads keep empty folders). */
export interface DownloadFolder {
  segments: string[];
}

export interface DownloadJob {
  /** Shown in the transfers list. */
  name: string;
  kind: Exclude<TransferKind, 'selection'>;
  /** Items, possibly discovered while the transfer runs (a folder being walked). */
  items: AsyncIterable<DownloadItem | DownloadFolder>;
  /** Total number of files, when known before walking. */
  filesTotal?: number | null;
  /** Total bytes, when known before walking. */
  bytesTotal?: number | null;
  /** A folder that can also come as one archive (files mode, many small files: archive-route.ts). */
  archive?: ArchiveSource;
}

/**
 * Turns a node back into a job. `node` carries the kind and name remembered at start (never
 * inferred from a cache that may be empty after a restart); `signal` aborts every request the
 * resolution and the job's walk make.
 */
export type JobResolver = (node: StoredNode, folderMode: 'files' | 'zip', signal: AbortSignal) => Promise<DownloadJob>;

/** OS integration the engine may call; the Electron shell and the host implement it. */
export interface DesktopShell {
  openPath(path: string): Promise<void>;
  showItemInFolder(path: string): Promise<void>;
}
