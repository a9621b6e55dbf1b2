import type { SourceNode } from '../../shared/model/sources';
import type { ServiceId } from '../../shared/model/connection';
import type { Settings } from '../../shared/model/settings';
import type { InfomaniakApi } from '../infomaniak/types';
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
  /** For a download job: the node's kind and name as the transfer remembered them (after a restart the cache is empty). */
  hint?: { kind: 'file' | 'folder' | null; name: string | null };
  signal: AbortSignal;
  now(): number;
}

/**
 * One per service. A new service is one new adapter: list children of its nodes page by page, and
 * turn a node into a download job.
 */
export interface SourceAdapter {
  readonly service: ServiceId;
  /** Children of the service node or of one of the adapter's own nodes. */
  list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage>;
  /** A download job for one of the adapter's nodes. */
  job(ctx: AdapterContext, node: ParsedId, nodeId: string, folderMode: 'files' | 'zip'): Promise<DownloadJob>;
  /** Forget per-browse-session caches (Refresh). */
  reset(connectionId: string): void;
}
