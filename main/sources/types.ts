import type { SourceNode } from '../../shared/model/sources';
import type { ServiceId } from '../../shared/model/connection';
import type { Settings } from '../../shared/model/settings';
import type { SyncLayout } from '../../shared/model/sync';
import type { InfomaniakApi } from '../infomaniak/types';
import type { ArchiveSource, DownloadItem } from '../localfs/types';
import type { DownloadJob } from '../transfers/types';
import type { ParsedId } from './ids';

/** A batch of children as an adapter produces them. */
export interface ChildPage {
  nodes: SourceNode[];
  total?: number;
}

export interface AdapterContext {
  connectionId: string;
  /** Id of the service node (conn:<cid>/<service>). */
  serviceNodeId: string;
  client: InfomaniakApi;
  settings: Settings;
  language: 'en' | 'de';
  /** Cached node facts from earlier listings (name, path…) for details and downloads. */
  lookup(nodeId: string): SourceNode | undefined;
  /** For a download job: the node's kind, name (and folder) as the transfer remembered them (after a restart the cache is empty). */
  hint?: { kind: 'file' | 'folder' | null; name: string | null; parent?: string | null };
  signal: AbortSignal;
  now(): number;
}

/** One entry of a node's subtree, as sync compares them (main/sync/planner.ts). */
export interface RemoteEntry {
  /** kDrive file id, or a PIM key (calendar/event/contact id). */
  id: string;
  /** Parent id; null for a direct child of the node. */
  parent: string | null;
  /** Raw name from the API (made safe when a local path is assigned). */
  name: string;
  type: 'dir' | 'file';
  size: number;
  /** Remote modification time, unix ms; null where the API has none (generated .ics/.vcf). */
  mtime: number | null;
  /** Content hash where changes cannot be told by size and time (generated .ics/.vcf). */
  hash?: string | null;
}

/**
 * Records a listing had but could not read (issue 21.2, "parse loudly"): by id, and `all` when one
 * had no readable id. Sync treats them as unknown, never as deleted.
 */
export interface Unread {
  ids: Set<string>;
  all: boolean;
}

/** What a subtree lists: the entries by id, and which records could not be read (absent: none). */
export type RemoteListing = Map<string, RemoteEntry> & { unread?: Unread };

/** The unread records a listing carries (see `RemoteListing`), if any. */
export function unreadOf(listing: Map<string, RemoteEntry>): Unread | undefined {
  const unread = (listing as RemoteListing).unread;
  return unread && (unread.all || unread.ids.size > 0) ? unread : undefined;
}

/** A node's whole subtree as sync needs it (`SourceAdapter.subtree`). */
export interface Subtree {
  /**
   * Every entry below the node, complete: throws rather than return part of it, and an answer
   * that does not have the expected shape throws (`api_error`); a record that does not decode is
   * reported in `unread`, never left out as if it were gone.
   */
  list(signal: AbortSignal): Promise<RemoteListing>;
  /** How to download one entry (of this listing, or one a change feed reported since). */
  itemFor(entry: RemoteEntry): DownloadItem;
  /** The node as one archive, where the service offers one (kDrive): a first sync of many small files. */
  archive?: ArchiveSource;
}

export interface SubtreeOptions {
  /** How a calendar or address book becomes files: one file, or a vdir (one file per event or contact). */
  layout: SyncLayout;
  log?: (line: string) => void;
}

/**
 * One per service. A new service is one new adapter: list children of its nodes page by page, and
 * turn a node into a download job (and, where it can be synced, into a subtree).
 */
export interface SourceAdapter {
  readonly service: ServiceId;
  /** Children of the service node or of one of the adapter's own nodes. */
  list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage>;
  /** A download job for one of the adapter's nodes. */
  job(ctx: AdapterContext, node: ParsedId, nodeId: string, folderMode: 'files' | 'zip'): Promise<DownloadJob>;
  /** Forget per-browse-session caches (Refresh). */
  reset(connectionId: string): void;
  /** Sync: the node's complete subtree (kDrive folders and drives, calendars, address books); absent where sync is not offered. */
  subtree?(ctx: AdapterContext, node: ParsedId, nodeId: string, options: SubtreeOptions): Promise<Subtree>;
}
