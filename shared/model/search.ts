/**
 * "Search this folder on the server": a kDrive folder's whole subtree, listed with the recursive
 * listing (about one request per 1,000 entries), matched by name. Declared once here.
 */
import type { SourceNode } from './sources';

/** At most this many matches come back; `truncated` says there were more. */
export const SEARCH_MAX_HITS = 500;
export const SEARCH_QUERY_MAX = 200;

export interface SearchHit {
  /** The matching file or folder, as a tree node (main remembers it: Download works on its id). */
  node: SourceNode;
  /** Its path in the drive, e.g. "/Common documents/Projekte/Konzept.pdf". */
  path: string;
  /** The folders from the searched folder (exclusive) down to its parent (inclusive), to reveal it in the tree. */
  ancestors: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** More than `SEARCH_MAX_HITS` matched. */
  truncated: boolean;
  /** Entries looked at. */
  scanned: number;
}

/** Case- and diacritic-insensitive form of a name or query ("Über" and "uber" match). */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
