/**
 * The nodes listed so far (for details, paths and downloads), bounded: least recently used first out.
 * A node that fell out is simply looked up again by the adapters (by id) when it is needed.
 *
 * lru-cache keeps the order in a linked list: a node in or out costs the same however full the
 * cache is. (Evicting by walking a Map from its start did not: the walk passed every entry deleted
 * since the Map last compacted, and a full cache made each later listing slower.)
 */
import { LRUCache } from 'lru-cache';
import type { SourceNode } from '../../shared/model/sources';

/** Enough for several 20,000-item folders open at once; a node is well under 1 KiB. */
export const MAX_CACHED_NODES = 100_000;

export class NodeCache {
  readonly #nodes: LRUCache<string, SourceNode>;

  constructor(max = MAX_CACHED_NODES) {
    this.#nodes = new LRUCache({ max });
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The node, marked as recently used. */
  get(id: string): SourceNode | undefined {
    return this.#nodes.get(id);
  }

  set(node: SourceNode): SourceNode {
    this.#nodes.set(node.id, node);
    return node;
  }
}
