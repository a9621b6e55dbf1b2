/**
 * Server-side search of a kDrive folder's subtree: the recursive listing of kdrive-walk.ts (about
 * one request per 1,000 entries, every request through the client's pacer), each entry matched by
 * name (contains the query, case- and diacritic-insensitive). Stops at the first
 * `SEARCH_MAX_HITS` + 1 match (then `truncated`) or when the signal aborts.
 */
import { SEARCH_MAX_HITS, foldForSearch } from '../../shared/model/search';
import type { SearchHit, SearchResult } from '../../shared/model/search';
import type { InfomaniakApi } from '../infomaniak/types';
import { childId } from './ids';
import { fileNode } from './kdrive';
import { ROOT_FILE_ID, walkSubtree } from './kdrive-walk';

export interface SubtreeSearch {
  client: InfomaniakApi;
  driveId: number;
  /** The searched folder (1: the whole drive). */
  folderId: number;
  folderNodeId: string;
  driveNodeId: string;
  driveName?: string | undefined;
  query: string;
  signal: AbortSignal;
  maxHits?: number;
}

export async function searchSubtree(s: SubtreeSearch): Promise<SearchResult> {
  const max = s.maxHits ?? SEARCH_MAX_HITS;
  const wanted = foldForSearch(s.query.trim());
  /** Folder id → the node ids from the searched folder (exclusive) down to it (inclusive). */
  const chains = new Map<number, string[]>([[s.folderId, []]]);
  const nodeIdOf = (fileId: number) =>
    fileId === s.folderId
      ? s.folderNodeId
      : fileId === ROOT_FILE_ID
        ? s.driveNodeId
        : childId(s.driveNodeId, 'f', fileId);
  const hits: SearchHit[] = [];
  let scanned = 0;
  for await (const entries of walkSubtree(s.client, s.driveId, s.folderId, { signal: s.signal })) {
    for (const { file, segments } of entries) {
      scanned++;
      const parentId = file.parent_id ?? s.folderId;
      const chain = chains.get(parentId) ?? [];
      if (file.type === 'dir') chains.set(file.id, [...chain, nodeIdOf(file.id)]);
      if (!foldForSearch(file.name).includes(wanted)) continue;
      if (hits.length === max) return { hits, truncated: true, scanned };
      const node = fileNode(file, nodeIdOf(parentId), s.driveNodeId, undefined, s.driveName);
      hits.push({ node, path: file.path ?? `/${segments.join('/')}`, ancestors: chain });
    }
  }
  return { hits, truncated: false, scanned };
}
