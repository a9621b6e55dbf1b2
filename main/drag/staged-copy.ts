/**
 * What the drag cache holds is keyed by a node's version, and a staged copy is worth reusing: a
 * Download or Save to… of a node a drag staged places that copy instead of fetching the file again
 * (issue 22.1). The writer does the placing (localfs/local-copy.ts: the item's own part, checked,
 * the Mark-of-the-Web, never over a file); this only offers the copy.
 */
import { createHash } from 'node:crypto';
import type { SourceNode } from '../../shared/model/sources';
import { isFileItem } from '../localfs/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import type { DownloadJob } from '../transfers/types';
import type { StagingCache } from './cache';

/** The cache key of a node's version: its id, size and modification time. */
export function keyOf(node: SourceNode): string {
  const version = `${node.id}\u0000${node.size ?? ''}\u0000${node.modifiedAt ?? ''}`;
  return createHash('sha256').update(version).digest('hex').slice(0, 32);
}

/**
 * The job with the node's staged copy offered on its file (`DownloadItem.localCopy`), when the
 * cache holds this version. Single items only (a file, an event, a contact, a message); a folder's
 * job is returned as it is. The entry is pinned while the writer reads it.
 */
export function offerStagedCopy(cache: StagingCache, node: SourceNode, job: DownloadJob, pinMs: number): DownloadJob {
  const key = keyOf(node);
  if (node.expandable || job.kind === 'folder' || !cache.has(key)) return job;
  const localCopy = async (): Promise<string | null> => {
    const paths = cache.get(key)?.paths ?? [];
    if (paths.length !== 1) return null;
    cache.pin(key, pinMs);
    return paths[0] ?? null;
  };
  const items = job.items;
  async function* offered(): AsyncGenerator<DownloadItem | DownloadFolder> {
    let first = true;
    for await (const item of items) {
      yield first && isFileItem(item) ? { ...item, localCopy } : item;
      if (isFileItem(item)) first = false;
    }
  }
  return { ...job, items: offered() };
}
