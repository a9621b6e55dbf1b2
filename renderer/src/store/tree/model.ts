/**
 * Sources tree model: plain data and pure functions, no React, no DOM.
 *
 * Main streams children as `SourcePage`s; the state keeps them in arrival order, and `flatten`
 * shows content in the order the user chose (`order.ts`: by Name, Size or Modified, folders first,
 * natural order). `flatten` turns the loaded part of the tree into the list of visible rows that the
 * virtualized `SourcesTree` renders. A `TreeModel` (`tree-snapshot.ts`) is an
 * immutable snapshot of the state: every change returns a new snapshot (copy on write), so the
 * store can publish it and every reader sees one consistent tree; `rows(filter)` is memoised per
 * snapshot and reuses unchanged row objects of the previous one, so memoised rows do not re-render.
 */
import type { AppError } from '../../../../shared/model/errors';
import type { SourceNode } from '../../../../shared/model/sources';
import type { Lookup } from './layered-map';
import { sortsChildren } from './order';
import type { ChildOrder, SortSpec } from './order';

/**
 * How a selection changes: 'replace': it becomes `ids`; 'toggle': flip each of `ids`; 'range': it
 * becomes `ids` (anchor → target, in visible order, node rows only).
 */
export type SelectMode = 'replace' | 'toggle' | 'range';

/** Listing state of one parent's children. */
export interface ChildListing {
  /** A listing runs (or was requested) and has not delivered its last page. */
  loading: boolean;
  /** The last page arrived (also after a failure). */
  done: boolean;
  /** Set when the listing failed; loaded children stay. */
  error?: AppError;
  /** Total number of children when the API told it. */
  total?: number;
  /** The listing whose pages are accepted; undefined until known. */
  listingId?: string;
  /** True after `setLoading` until the first page of the new listing arrives. */
  awaitingFirst?: boolean;
  /** Seconds the listing waits for the token's request budget (a status page said so). */
  waitSeconds?: number;
  /** Children of the previous listing, pruned when the replacing listing is done. */
  previous?: readonly string[];
}

/** The tree's data. Readers get it read-only; a snapshot never changes after it is published. */
export interface TreeState {
  readonly nodes: Lookup<string, SourceNode>;
  /** Ordered child ids per parent id. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly expanded: ReadonlySet<string>;
  readonly listings: ReadonlyMap<string, Readonly<ChildListing>>;
}

/** A state under construction (tests, and the copy-on-write draft of a change). */
export interface MutableTreeState {
  nodes: Map<string, SourceNode>;
  children: Map<string, readonly string[]>;
  expanded: Set<string>;
  listings: Map<string, Readonly<ChildListing>>;
}

export type StatusKind = 'loading' | 'error' | 'empty';

/** One row of the flattened, visible tree. */
export interface VisibleRow {
  /** 'node' for a SourceNode, 'status' for a Loading… / error / Empty row under an expanded parent. */
  kind: 'node' | 'status';
  /** The node id, or `statusRowId(parentId)` for a status row. */
  id: string;
  /** The node; for a status row, its parent node. */
  node: SourceNode;
  /** Parent node id (null for roots). For a status row: the parent whose listing it describes. */
  parentId: string | null;
  /** 1-based depth (roots are 1). */
  level: number;
  /** 1-based position among its siblings. */
  posInSet: number;
  /** Number of siblings: `total` when the API told it, else the loaded count (+1 for a status row). */
  setSize: number;
  /** Undefined when the node cannot be expanded. */
  expanded?: boolean;
  /** The node's own children are being listed. */
  loading: boolean;
  /** Status rows: the listing error (status 'error'). */
  error?: AppError;
  /** True for status rows. */
  isPlaceholder?: boolean;
  /** Status rows only. */
  status?: StatusKind;
  /** Loading status rows: seconds the listing waits for the token's request budget. */
  waitSeconds?: number;
  /** With a filter: whether this row's name matches (false for ancestors kept for context). */
  matchesFilter?: boolean;
}

/** How `flatten` orders content: the sort, the UI's language (names compare in it), and the cache. */
export interface Ordering {
  order: ChildOrder;
  spec: SortSpec;
  locale: string;
}

/** The children of `parent` in display order (as they arrived when not sorted). */
function childrenInOrder(
  state: TreeState,
  parent: SourceNode | null,
  ids: readonly string[],
  ordering: Ordering | undefined,
): readonly string[] {
  if (!ordering || !parent || !sortsChildren(parent)) return ids;
  return ordering.order.order(parent.id, ids, (id) => state.nodes.get(id), ordering.spec, ordering.locale);
}

const STATUS_PREFIX = 'status\u0000';

/** The id of the status row under `parentId` (cannot collide with a node id from main). */
export function statusRowId(parentId: string): string {
  return STATUS_PREFIX + parentId;
}

export function createTreeState(): MutableTreeState {
  return { nodes: new Map(), children: new Map(), expanded: new Set(), listings: new Map() };
}

// ---------------------------------------------------------------------------------------------
// Text folding (filter and type-ahead share it)

const foldCache = new WeakMap<SourceNode, string>();
const MARKS = /\p{M}/gu;

/**
 * Case- and diacritic-insensitive form used for matching: NFD, combining marks removed, lower
 * case, ß → ss. "Ärger" and "arger" fold alike, so typing "a" finds "Äpfel" and "ä" finds "Apfel".
 */
export function foldText(text: string): string {
  // Fast path: plain ASCII needs only lower-casing.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(/ß/g, 'ss');
}

/** `foldText(node.name)`, cached per node object. */
export function foldedName(node: SourceNode): string {
  let folded = foldCache.get(node);
  if (folded === undefined) {
    folded = foldText(node.name);
    foldCache.set(node, folded);
  }
  return folded;
}

// ---------------------------------------------------------------------------------------------
// Flattening

export const MAX_DEPTH = 128;

function sameError(a: AppError | undefined, b: AppError | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.code === b.code && a.message === b.message);
}

function sameRow(a: VisibleRow, b: VisibleRow): boolean {
  return (
    a.kind === b.kind &&
    a.node === b.node &&
    a.parentId === b.parentId &&
    a.level === b.level &&
    a.posInSet === b.posInSet &&
    a.setSize === b.setSize &&
    a.expanded === b.expanded &&
    a.loading === b.loading &&
    a.status === b.status &&
    a.matchesFilter === b.matchesFilter &&
    a.waitSeconds === b.waitSeconds &&
    sameError(a.error, b.error)
  );
}

/** Which status row, if any, an expanded parent shows below its loaded children. */
function statusOf(listing: ChildListing | undefined, childCount: number): StatusKind | undefined {
  if (!listing) return 'loading'; // expanded but never listed: the store is about to list it
  if (listing.error) return 'error';
  if (listing.loading) return 'loading';
  if (listing.done && childCount === 0) return 'empty';
  return undefined;
}

/**
 * The visible rows, in display order.
 *
 * Without a filter: roots, and the children of every expanded, expandable node (recursively), with
 * a status row after the children of an expanded parent that is loading ('loading'), failed
 * ('error') or turned out empty ('empty').
 *
 * With a filter (case- and diacritic-insensitive substring of the name, over loaded nodes only):
 * the matching nodes and their ancestors; ancestors show as expanded whatever their state; no
 * status rows; posInSet/setSize count the visible siblings.
 *
 * `previous` (the result of an earlier call) lets unchanged rows keep their object identity, so
 * memoised row components skip re-rendering. It is matched by position first (appends and
 * unchanged prefixes cost no lookup) and by id after the first shift. `ordering`: how content is
 * sorted (absent: as it arrived).
 */
export function flatten(
  state: TreeState,
  rootIds: readonly string[],
  filter?: string,
  previous?: readonly VisibleRow[],
  ordering?: Ordering,
): VisibleRow[] {
  const out: VisibleRow[] = [];
  let previousById: Map<string, VisibleRow> | undefined;
  const push = (row: VisibleRow): void => {
    let old = previous?.[out.length];
    if (previous && (old === undefined || old.id !== row.id)) {
      if (!previousById) {
        previousById = new Map();
        for (const r of previous) previousById.set(r.id, r);
      }
      old = previousById.get(row.id);
    }
    out.push(old !== undefined && sameRow(old, row) ? old : row);
  };
  const needle = filter ? foldText(filter.trim()) : '';
  if (needle === '') flattenAll(state, rootIds, push, ordering);
  else flattenFiltered(state, rootIds, needle, push, ordering);
  return out;
}

function flattenAll(
  state: TreeState,
  rootIds: readonly string[],
  push: (row: VisibleRow) => void,
  ordering?: Ordering,
): void {
  const { nodes, children, expanded, listings } = state;

  const visit = (arrived: readonly string[], parent: SourceNode | null, level: number): void => {
    const ids = childrenInOrder(state, parent, arrived, ordering);
    const listing = parent ? listings.get(parent.id) : undefined;
    const status = parent ? statusOf(listing, ids.length) : undefined;
    const count = ids.length + (status ? 1 : 0);
    const setSize = Math.max(listing?.total ?? 0, count);
    const parentId = parent ? parent.id : null;
    let pos = 0;
    for (const id of ids) {
      const node = nodes.get(id);
      if (!node) continue;
      pos++;
      const isOpen = node.expandable && expanded.has(id);
      const own = listings.get(id);
      push({
        kind: 'node',
        id,
        node,
        parentId,
        level,
        posInSet: pos,
        setSize,
        expanded: node.expandable ? isOpen : undefined,
        loading: own?.loading ?? false,
      });
      if (isOpen && level < MAX_DEPTH) visit(children.get(id) ?? [], node, level + 1);
    }
    if (parent && status) {
      const row: VisibleRow = {
        kind: 'status',
        id: statusRowId(parent.id),
        node: parent,
        parentId: parent.id,
        level,
        posInSet: pos + 1,
        setSize: Math.max(setSize, pos + 1),
        loading: status === 'loading',
        isPlaceholder: true,
        status,
      };
      if (status === 'error' && listing?.error) row.error = listing.error;
      if (status === 'loading' && listing?.waitSeconds) row.waitSeconds = listing.waitSeconds;
      push(row);
    }
  };
  visit(rootIds, null, 1);
}

function flattenFiltered(
  state: TreeState,
  rootIds: readonly string[],
  needle: string,
  push: (row: VisibleRow) => void,
  ordering?: Ordering,
): void {
  const { nodes, children, listings } = state;
  // Pass 1: which loaded nodes match or have a matching loaded descendant.
  const keep = new Set<string>();
  const matched = new Set<string>();
  const mark = (id: string, depth: number): boolean => {
    const node = nodes.get(id);
    if (!node) return false;
    let any = false;
    if (foldedName(node).includes(needle)) {
      matched.add(id);
      any = true;
    }
    const kids = children.get(id);
    if (kids && depth < MAX_DEPTH) {
      for (const k of kids) if (mark(k, depth + 1)) any = true;
    }
    if (any) keep.add(id);
    return any;
  };
  for (const id of rootIds) mark(id, 1);

  // Pass 2: emit kept nodes, ancestors shown expanded.
  const visit = (ids: readonly string[], parentId: string | null, level: number): void => {
    const parent = parentId === null ? null : (nodes.get(parentId) ?? null);
    const visible = childrenInOrder(state, parent, ids, ordering).filter((id) => keep.has(id));
    let pos = 0;
    for (const id of visible) {
      const node = nodes.get(id);
      if (!node) continue;
      pos++;
      const kids = children.get(id);
      const hasVisibleKids = level < MAX_DEPTH && kids !== undefined && kids.some((k) => keep.has(k));
      push({
        kind: 'node',
        id,
        node,
        parentId,
        level,
        posInSet: pos,
        setSize: visible.length,
        expanded: node.expandable || hasVisibleKids ? hasVisibleKids : undefined,
        loading: listings.get(id)?.loading ?? false,
        matchesFilter: matched.has(id),
      });
      if (hasVisibleKids && kids) visit(kids, id, level + 1);
    }
  };
  visit(rootIds, null, 1);
}
