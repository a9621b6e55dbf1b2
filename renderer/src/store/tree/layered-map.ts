/**
 * An immutable map for tree snapshots that is cheap to change: a shared base map that is never
 * written after it is built, plus a small overlay of the changes since (a deletion is an overlay
 * entry without a value). A change copies only the overlay; when the overlay grows past half the
 * base, both are merged into a new base. So a page of 1,000 nodes added to 19,000 does not copy
 * 19,000 entries (amortised, each entry is copied a bounded number of times).
 */
const GONE = Symbol('gone');
type Slot<V> = V | typeof GONE;

export interface Lookup<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
}

export class LayeredMap<K, V> implements Lookup<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly overlay: ReadonlyMap<K, Slot<V>>,
  ) {
    Object.freeze(this);
  }

  static empty<K, V>(): LayeredMap<K, V> {
    return new LayeredMap<K, V>(new Map(), new Map());
  }

  get(key: K): V | undefined {
    const slot = this.overlay.get(key);
    if (slot !== undefined) return slot === GONE ? undefined : slot;
    return this.base.get(key);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** A new map with `set` entries written and `remove` keys deleted (this one is unchanged). */
  with(set: Iterable<readonly [K, V]>, remove: Iterable<K> = []): LayeredMap<K, V> {
    const overlay = new Map<K, Slot<V>>(this.overlay);
    for (const [k, v] of set) overlay.set(k, v);
    for (const k of remove) overlay.set(k, GONE);
    if (overlay.size <= Math.max(64, this.base.size / 2)) return new LayeredMap(this.base, overlay);
    const base = new Map(this.base);
    for (const [k, slot] of overlay) {
      if (slot === GONE) base.delete(k);
      else base.set(k, slot);
    }
    return new LayeredMap(base, new Map());
  }
}
