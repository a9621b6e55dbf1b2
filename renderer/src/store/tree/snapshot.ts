/**
 * `TreeModel`: an immutable snapshot of the Sources tree. Every change returns a new snapshot
 * (copy on write: only the maps a change touches are copied), so the store publishes one value and
 * every reader — rows, details, selection — sees the same tree. Nothing in a published snapshot
 * changes afterwards; a change that changes nothing returns the same snapshot.
 *
 * `rows(filter)` is memoised per snapshot and reuses the unchanged row objects of the previous
 * snapshot's rows, so memoised row components skip re-rendering.
 */
import type { AppError } from '../../../../shared/model/errors';
import type { SourceNode, SourcePage } from '../../../../shared/model/sources';
import { LayeredMap } from './layered-map';
import { MAX_DEPTH, flatten } from './model';
import type { ChildListing, TreeState, VisibleRow } from './model';
import { ChildOrder, DEFAULT_SORT } from './order';
import type { SortSpec } from './order';

export interface TreeModel {
  /** Incremented by every change (a snapshot with a higher version is newer). */
  readonly version: number;
  readonly state: TreeState;
  readonly rootIds: readonly string[];
  /** New top-level nodes (from `sources:roots` / `sources:rootsChanged`); vanished roots are pruned. */
  withRoots(nodes: readonly SourceNode[]): TreeModel;
  /**
   * A streamed page applied. The first page of a listing replaces the parent's children (children
   * of the previous listing that do not come back are pruned, with their subtrees, when the new
   * listing is done); later pages append. Pages of another listing than the current one are
   * ignored. A first page that only carries an error keeps the previous children.
   */
  withPage(page: SourcePage): TreeModel;
  withExpanded(id: string, expanded: boolean): TreeModel;
  /** A listing starts (expand or refresh). Pass its id when known; pages of other listings are then ignored. */
  withLoading(parentId: string, listingId?: string): TreeModel;
  /** The listing could not start (e.g. `sources:list` failed). */
  withError(parentId: string, error: AppError): TreeModel;
  /** True for an expandable node whose children were never requested. */
  needsLoad(id: string): boolean;
  getNode(id: string): SourceNode | undefined;
  getListing(parentId: string): Readonly<ChildListing> | undefined;
  isExpanded(id: string): boolean;
  /**
   * Visible rows for the filter (''/undefined: none), content sorted by `sort` with names compared
   * in `locale`; memoised per snapshot, filter and sort.
   */
  rows(filter?: string, sort?: SortSpec, locale?: string): VisibleRow[];
}

/** An empty tree. */
export function createTreeModel(): TreeModel {
  const state: SnapshotState = {
    nodes: LayeredMap.empty(),
    children: new Map(),
    expanded: new Set(),
    listings: new Map(),
  };
  return new Snapshot(state, [], 0, undefined, new ChildOrder());
}

type SnapshotState = TreeState & { readonly nodes: LayeredMap<string, SourceNode> };

/**
 * Copy-on-write view of a state: a map is copied the first time a change writes to it; nodes are
 * collected and written to the (layered) node map once, when the change is done.
 */
class Draft {
  #setNodes = new Map<string, SourceNode>();
  #removedNodes = new Set<string>();
  #children?: Map<string, readonly string[]>;
  #expanded?: Set<string>;
  #listings?: Map<string, Readonly<ChildListing>>;

  constructor(readonly base: SnapshotState) {}

  get view(): TreeState {
    return {
      nodes: this,
      children: this.#children ?? this.base.children,
      expanded: this.#expanded ?? this.base.expanded,
      listings: this.#listings ?? this.base.listings,
    };
  }
  get(id: string): SourceNode | undefined {
    if (this.#removedNodes.has(id)) return undefined;
    return this.#setNodes.get(id) ?? this.base.nodes.get(id);
  }
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }
  setNode(node: SourceNode): void {
    this.#setNodes.set(node.id, node);
    this.#removedNodes.delete(node.id);
  }
  /** The state after the change. */
  finish(): SnapshotState {
    const changed = this.#setNodes.size > 0 || this.#removedNodes.size > 0;
    return Object.freeze({
      nodes: changed ? this.base.nodes.with(this.#setNodes, this.#removedNodes) : this.base.nodes,
      children: this.#children ?? this.base.children,
      expanded: this.#expanded ?? this.base.expanded,
      listings: this.#listings ?? this.base.listings,
    });
  }
  children(): Map<string, readonly string[]> {
    return (this.#children ??= new Map(this.base.children));
  }
  expanded(): Set<string> {
    return (this.#expanded ??= new Set(this.base.expanded));
  }
  listings(): Map<string, Readonly<ChildListing>> {
    return (this.#listings ??= new Map(this.base.listings));
  }

  removeSubtree(id: string, depth = 0): void {
    const kids = this.view.children.get(id);
    if (kids && depth < MAX_DEPTH) for (const k of kids) this.removeSubtree(k, depth + 1);
    if (this.has(id)) {
      this.#setNodes.delete(id);
      this.#removedNodes.add(id);
    }
    if (this.view.children.has(id)) this.children().delete(id);
    if (this.view.listings.has(id)) this.listings().delete(id);
    if (this.view.expanded.has(id)) this.expanded().delete(id);
  }
}

const NEW_LISTING: Readonly<ChildListing> = Object.freeze({ loading: false, done: false });

class Snapshot implements TreeModel {
  #rows: { key: string; rows: VisibleRow[] } | undefined;
  /** Rows of an earlier snapshot, for keeping row identity (no chain: only the rows are kept). */
  #seed: readonly VisibleRow[] | undefined;

  constructor(
    readonly state: SnapshotState,
    readonly rootIds: readonly string[],
    readonly version: number,
    seed: readonly VisibleRow[] | undefined,
    /** The sorted children cache, shared along the chain of snapshots (it checks what it was given). */
    readonly order: ChildOrder,
  ) {
    this.#seed = seed;
    Object.freeze(this);
  }

  #next(draft: Draft, rootIds: readonly string[] = this.rootIds): TreeModel {
    return new Snapshot(draft.finish(), rootIds, this.version + 1, this.#rows?.rows ?? this.#seed, this.order);
  }

  withRoots(nodes: readonly SourceNode[]): TreeModel {
    const d = new Draft(this.state);
    const next = new Set(nodes.map((n) => n.id));
    for (const id of this.rootIds) if (!next.has(id)) d.removeSubtree(id);
    for (const n of nodes) d.setNode(n);
    return this.#next(
      d,
      nodes.map((n) => n.id),
    );
  }

  withPage(page: SourcePage): TreeModel {
    const { parentId } = page;
    const old = this.state.listings.get(parentId) ?? NEW_LISTING;
    if (old.listingId !== undefined && page.listingId !== old.listingId) return this;
    if (old.awaitingFirst && !page.first) return this;
    if (page.waitSeconds !== undefined && page.nodes.length === 0 && !page.first && !page.done) {
      // A status page: the listing waits for the request budget; nothing else changes.
      const waiting: ChildListing = { ...old };
      if (page.waitSeconds > 0) waiting.waitSeconds = page.waitSeconds;
      else delete waiting.waitSeconds;
      const w = new Draft(this.state);
      w.listings().set(parentId, Object.freeze(waiting));
      return this.#next(w);
    }
    const listing: ChildListing = { ...old, listingId: page.listingId, awaitingFirst: false };
    delete listing.waitSeconds;
    const d = new Draft(this.state);

    const oldKids = this.state.children.get(parentId);
    const keepOld = page.first && page.nodes.length === 0 && page.error !== undefined;
    let kids: string[];
    let seen: Set<string>;
    if ((page.first && !keepOld) || !oldKids) {
      if (page.first && !keepOld && oldKids && oldKids.length > 0) {
        listing.previous = listing.previous ? listing.previous.concat(oldKids) : oldKids;
      }
      kids = [];
      seen = new Set();
    } else {
      kids = oldKids.slice();
      // Outside a replacing listing, every loaded node with this parent is one of its children,
      // so appending needs no set of the (maybe 20,000) current children.
      seen = listing.previous ? new Set(oldKids) : new Set();
    }
    const loadedChild = (id: string): boolean => !listing.previous && d.get(id)?.parentId === parentId;
    for (const node of page.nodes) {
      if (!seen.has(node.id) && !loadedChild(node.id)) kids.push(node.id);
      seen.add(node.id);
      d.setNode(node);
    }
    d.children().set(parentId, Object.freeze(kids));
    if (page.total !== undefined) listing.total = page.total;
    else if (page.first) delete listing.total;
    if (page.error) listing.error = page.error;
    else if (page.first) delete listing.error;
    listing.done = page.done;
    listing.loading = !page.done;
    if (page.done) {
      const prev = listing.previous;
      delete listing.previous;
      if (prev) {
        for (const id of prev) {
          if (!seen.has(id) && d.get(id)?.parentId === parentId) d.removeSubtree(id);
        }
      }
    }
    d.listings().set(parentId, Object.freeze(listing));
    return this.#next(d);
  }

  withExpanded(id: string, expanded: boolean): TreeModel {
    if (expanded === this.state.expanded.has(id)) return this;
    const d = new Draft(this.state);
    if (expanded) d.expanded().add(id);
    else d.expanded().delete(id);
    return this.#next(d);
  }

  withLoading(parentId: string, listingId?: string): TreeModel {
    const old = this.state.listings.get(parentId) ?? NEW_LISTING;
    if (listingId !== undefined && old.listingId === listingId) return this; // already following it
    const listing: ChildListing = { ...old, loading: true, done: false };
    delete listing.error;
    if (listingId !== undefined) {
      listing.listingId = listingId;
      listing.awaitingFirst = false;
    } else {
      delete listing.listingId;
      listing.awaitingFirst = true;
    }
    const d = new Draft(this.state);
    d.listings().set(parentId, Object.freeze(listing));
    return this.#next(d);
  }

  withError(parentId: string, error: AppError): TreeModel {
    const old = this.state.listings.get(parentId) ?? NEW_LISTING;
    const listing: ChildListing = { ...old, loading: false, done: true, error, awaitingFirst: false };
    const d = new Draft(this.state);
    d.listings().set(parentId, Object.freeze(listing));
    return this.#next(d);
  }

  needsLoad(id: string): boolean {
    const node = this.state.nodes.get(id);
    return node !== undefined && node.expandable && !this.state.listings.has(id);
  }

  getNode(id: string): SourceNode | undefined {
    return this.state.nodes.get(id);
  }

  getListing(parentId: string): Readonly<ChildListing> | undefined {
    return this.state.listings.get(parentId);
  }

  isExpanded(id: string): boolean {
    return this.state.expanded.has(id);
  }

  rows(filter = '', sort: SortSpec = DEFAULT_SORT, locale = 'en'): VisibleRow[] {
    const key = `${filter}\u0000${sort.column}:${sort.direction}:${locale}`;
    const cached = this.#rows;
    if (cached && cached.key === key) return cached.rows;
    const ordering = { order: this.order, spec: sort, locale };
    const rows = flatten(this.state, this.rootIds, filter, cached?.rows ?? this.#seed, ordering);
    this.#rows = { key, rows };
    this.#seed = undefined;
    return rows;
  }
}
