/**
 * "Search this folder on the server": the running or last search (`sources:search`), and what a
 * result row does — reveal the item in the tree (expanding the folders down to it, one listing
 * each) or download it. IPC calls live in the actions here; the components only display.
 */
import { create } from 'zustand';
import type { AppError } from '../../../../shared/model/errors';
import type { SearchHit, SearchResult } from '../../../../shared/model/search';
import type { AppStore } from '../../store';
import { revealLoaded } from '../tree/reveal';

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

export interface SearchActions {
  start(app: AppStore, target: SearchTarget, query: string): Promise<void>;
  cancel(app: AppStore): void;
  close(app: AppStore): void;
  /**
   * Expands the folders down to the hit, clears a filter that hides it, then selects and focuses it;
   * false when it did not appear.
   */
  reveal(app: AppStore, hit: SearchHit): Promise<boolean>;
  download(app: AppStore, hit: SearchHit): Promise<void>;
}

/** How long a reveal waits for one folder's listing. */
export const REVEAL_WAIT_MS = 20_000;

const idle: SearchState = { target: null, query: '', status: 'idle', result: null, error: null, searchId: null };

/** Resolves when the node is in the tree (true) or after `REVEAL_WAIT_MS` (false). */
function nodeArrives(app: AppStore, id: string): Promise<boolean> {
  if (app.getState().tree.getNode(id)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, REVEAL_WAIT_MS);
    const off = app.subscribe((s) => {
      if (!s.tree.getNode(id)) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

export const useSearchStore = create<SearchState & SearchActions>()((set, get) => ({
  ...idle,
  async start(app, target, query) {
    const api = app.getState().api;
    if (!api) return;
    get().cancel(app);
    const searchId = `search-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    set({ target, query, status: 'searching', result: null, error: null, searchId });
    const answer = await api.sourcesSearch({ nodeId: target.id, query, searchId });
    if (get().searchId !== searchId) return; // replaced or cancelled meanwhile
    if (answer.ok) set({ status: 'done', result: answer.value, searchId: null });
    else if (answer.error.code === 'cancelled') set({ ...idle });
    else set({ status: 'failed', error: answer.error, searchId: null });
  },
  cancel(app) {
    const { searchId } = get();
    if (searchId) void app.getState().api?.sourcesCancelSearch({ searchId });
    set({ ...idle });
  },
  close(app) {
    get().cancel(app);
  },
  async reveal(app, hit) {
    const target = get().target;
    const path = target ? [target.id, ...hit.ancestors] : hit.ancestors;
    for (const id of path) {
      if (!(await nodeArrives(app, id))) return false;
      if (!app.getState().tree.isExpanded(id)) await app.getState().toggle(id, true);
    }
    if (!(await nodeArrives(app, hit.node.id))) return false;
    return revealLoaded(app, hit.node.id);
  },
  async download(app, hit) {
    const s = app.getState();
    if (!s.api) return;
    const answer = await s.api.transfersDownload({ nodeIds: [hit.node.id] });
    if (!answer.ok) {
      if (answer.error.code !== 'cancelled') app.setState({ actionError: answer.error });
      return;
    }
    if (!app.getState().transfersHidden) app.setState({ transfersOpen: true });
  },
}));
