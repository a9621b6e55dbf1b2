/**
 * "Search this folder on the server": the running or last search (`sources:search`), and what a
 * result row does — reveal the item in the tree (expanding the folders down to it, one listing
 * each) or download it.
 */
import type { AppError } from '../../../shared/model/errors';
import type { SearchHit, SearchResult } from '../../../shared/model/search';
import type { Call, GetStore, SetStore, SubscribeStore } from './slice-tools';

export interface SearchTarget {
  id: string;
  name: string;
}

export interface SearchState {
  target: SearchTarget | null;
  query: string;
  status: 'idle' | 'searching' | 'done' | 'failed';
  result: SearchResult | null;
  error: AppError | null;
  searchId: string | null;
}

export interface SearchSliceState {
  search: SearchState;
}

export interface SearchSliceActions {
  startSearch(target: SearchTarget, query: string): Promise<void>;
  /** Cancels a running search and closes the results. */
  closeSearch(): void;
  /**
   * Expands the folders down to the hit, clears a filter that hides it, then selects and focuses it;
   * false when it did not appear.
   */
  revealHit(hit: SearchHit): Promise<boolean>;
  downloadHit(hit: SearchHit): Promise<void>;
}

/** How long a reveal waits for one folder's listing. */
export const REVEAL_WAIT_MS = 20_000;

const idle: SearchState = { target: null, query: '', status: 'idle', result: null, error: null, searchId: null };

export function createSearchSlice(
  set: SetStore,
  get: GetStore,
  call: Call,
  subscribe: SubscribeStore,
): SearchSliceState & SearchSliceActions {
  /** Resolves when the node is in the tree (true) or after `REVEAL_WAIT_MS` (false). */
  function nodeArrives(id: string): Promise<boolean> {
    if (get().tree.getNode(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, REVEAL_WAIT_MS);
      const off = subscribe((s) => {
        if (!s.tree.getNode(id)) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }
  const patch = (change: Partial<SearchState>) => set({ search: { ...get().search, ...change } });

  return {
    search: idle,
    async startSearch(target, query) {
      get().closeSearch();
      const searchId = `search-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      set({ search: { target, query, status: 'searching', result: null, error: null, searchId } });
      const current = () => get().search.searchId === searchId;
      const result = await call(
        (api) => api.sourcesSearch({ nodeId: target.id, query, searchId }),
        (error) => current() && patch({ status: 'failed', error, searchId: null }),
      );
      if (!current()) return; // replaced, cancelled or failed meanwhile
      set({ search: result ? { ...get().search, status: 'done', result, searchId: null } : idle });
    },
    closeSearch() {
      const { searchId } = get().search;
      if (searchId) void call((api) => api.sourcesCancelSearch({ searchId }));
      set({ search: idle });
    },
    async revealHit(hit) {
      const target = get().search.target;
      const path = target ? [target.id, ...hit.ancestors] : hit.ancestors;
      for (const id of path) {
        if (!(await nodeArrives(id))) return false;
        if (!get().tree.isExpanded(id)) await get().toggle(id, true);
      }
      if (!(await nodeArrives(hit.node.id))) return false;
      return get().revealNode(hit.node.id);
    },
    async downloadHit(hit) {
      const started = await call((api) => api.transfersDownload({ nodeIds: [hit.node.id] }));
      if (started && !get().transfersHidden) set({ transfersOpen: true });
    },
  };
}
