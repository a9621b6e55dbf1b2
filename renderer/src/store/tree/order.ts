/**
 * The order children are shown in: by a column (Name, Size, Modified), ascending or descending,
 * folders first, names in natural order ("file 2" before "file 10": Intl.Collator with `numeric`, in
 * the UI's language), as Finder and Explorer sort. Only lists of content are sorted (the children of
 * a drive, folder, calendar, address book or mail folder); connections, services, accounts and
 * mailboxes keep main's order, and error rows stay last.
 *
 * `ChildOrder` caches each parent's sorted list: a list that grew by a page (the old list is its
 * prefix) sorts only the new part and merges it, so streaming 20,000 children stays linear.
 */
import type { SourceNode } from '../../../../shared/model/sources';
import { DEFAULT_SORT } from '../../../../shared/model/layout';
import type { SortSpec } from '../../../../shared/model/layout';

export type { SortSpec };
export { DEFAULT_SORT };

/** Parents whose children are content the user sorts. */
const SORTED_PARENTS: ReadonlySet<string> = new Set(['drive', 'folder', 'calendar', 'addressbook', 'mailfolder']);

export function sortsChildren(parent: SourceNode | undefined): boolean {
  return parent !== undefined && SORTED_PARENTS.has(parent.kind);
}

/** Folders (and other expandable content) first, error rows last, files between. */
function group(node: SourceNode): number {
  if (node.kind === 'error') return 2;
  return node.expandable ? 0 : 1;
}

const collators = new Map<string, Intl.Collator>();
function collator(locale: string): Intl.Collator {
  let c = collators.get(locale);
  if (!c) {
    c = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    collators.set(locale, c);
  }
  return c;
}

/** Unknown sizes and times sort before every known one (ascending). */
const numberOf = (value: number | undefined): number =>
  value !== undefined && Number.isFinite(value) ? value : -Infinity;

/** The comparison of two nodes under `spec`: group, then the column (reversed when descending), then name. */
export function compareNodes(spec: SortSpec, locale: string): (a: SourceNode, b: SourceNode) => number {
  const names = collator(locale);
  const sign = spec.direction === 'desc' ? -1 : 1;
  return (a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    let c = 0;
    if (spec.column === 'size') c = numberOf(a.size) - numberOf(b.size);
    else if (spec.column === 'modified') c = numberOf(a.modifiedAt) - numberOf(b.modifiedAt);
    if (c !== 0 && !Number.isNaN(c)) return sign * Math.sign(c);
    const n = names.compare(a.name, b.name);
    return spec.column === 'name' ? sign * n : n;
  };
}

interface Entry {
  key: string;
  source: readonly string[];
  /** The sorted children, and their nodes (compared without looking them up again). */
  sorted: readonly string[];
  nodes: readonly SourceNode[];
}

const startsWith = (list: readonly string[], prefix: readonly string[]): boolean => {
  if (prefix.length > list.length) return false;
  for (let i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
  return true;
};

/** Each parent's children in display order, cached per parent (see the module comment). */
export class ChildOrder {
  #cache = new Map<string, Entry>();

  order(
    parentId: string,
    source: readonly string[],
    get: (id: string) => SourceNode | undefined,
    spec: SortSpec,
    locale: string,
  ): readonly string[] {
    const key = `${spec.column}:${spec.direction}:${locale}`;
    const cached = this.#cache.get(parentId);
    if (cached && cached.key === key && cached.source === source) return cached.sorted;
    const compare = compareNodes(spec, locale);
    const resolve = (ids: readonly string[]): SourceNode[] => {
      const out: SourceNode[] = [];
      for (const id of ids) {
        const node = get(id);
        if (node) out.push(node);
      }
      return out.sort(compare);
    };
    let nodes: SourceNode[];
    let sorted: string[];
    // Grown by a page: sort the new part and merge (a list as long as before is new: sorted again).
    if (cached && cached.key === key && source.length > cached.source.length && startsWith(source, cached.source)) {
      const added = resolve(source.slice(cached.source.length));
      const last = cached.nodes[cached.nodes.length - 1];
      if (last === undefined || added.length === 0 || compare(last, added[0]!) <= 0) {
        // The usual page: everything new sorts after what is there.
        nodes = cached.nodes.concat(added);
        sorted = cached.sorted.concat(added.map((n) => n.id));
      } else {
        nodes = merge(cached.nodes, added, compare);
        sorted = nodes.map((n) => n.id);
      }
    } else {
      nodes = resolve(source);
      sorted = nodes.map((n) => n.id);
    }
    this.#cache.set(parentId, { key, source, sorted, nodes });
    return sorted;
  }
}

/**
 * Merges the sorted `b` into the sorted `a`. Each item of `b` gallops from where the last one went,
 * so a page whose items all sort after the loaded ones (the usual case when main streams a folder
 * in name order) costs a few comparisons, not one per loaded child.
 */
export function merge<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const out: T[] = [];
  let i = 0;
  for (const item of b) {
    const at = insertionPoint(a, item, i, compare);
    for (; i < at; i++) out.push(a[i]!);
    out.push(item);
  }
  for (; i < a.length; i++) out.push(a[i]!);
  return out;
}

/** The first index ≥ `from` whose item sorts after `item` (equal ones stay first): gallop, then bisect. */
function insertionPoint<T>(a: readonly T[], item: T, from: number, compare: (x: T, y: T) => number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < a.length && compare(a[hi]!, item) <= 0) {
    lo = hi + 1;
    hi = from + step;
    step *= 2;
  }
  hi = Math.min(hi, a.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(a[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
