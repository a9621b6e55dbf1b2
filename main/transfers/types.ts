/**
 * What the transfer engine needs from the rest of main. Sources adapters turn a selection into
 * DownloadJobs; the engine writes them safely to disk.
 */
import type { StoredNode, TransferKind } from '../../shared/model/transfers';
import type { ArchiveGroup, ArchiveSource, DownloadFolder, DownloadItem } from '../localfs/types';

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
  /** A file that may come in one archive with others of its folder selected with it (selection-route.ts). */
  group?: ArchiveGroup;
  /**
   * The request budget its requests spend from (the token's: Infomaniak allows 60 a minute), for
   * the estimate of how long the job takes; absent when the job spends none.
   */
  budget?: { limit: number; windowMs: number };
}

/** What the sources know of a node at start, remembered with the transfer (a restart never guesses it). */
export interface NodeFacts {
  kind: 'file' | 'folder' | null;
  name: string;
  /** The node id of its folder in the tree (a file selected with others of its folder). */
  parent?: string | null;
}

/**
 * Turns a node back into a job. `node` carries the kind and name remembered at start (never
 * inferred from a cache that may be empty after a restart); `signal` aborts every request the
 * resolution and the job's walk make.
 */
export type JobResolver = (node: StoredNode, folderMode: 'files' | 'zip', signal: AbortSignal) => Promise<DownloadJob>;
