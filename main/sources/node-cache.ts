/**
 * The nodes listed so far (for details, paths and downloads), bounded: least recently used first out.
 * A node that fell out is simply looked up again by the adapters (by id) when it is needed.
 */
import type { SourceNode } from '../../shared/model/sources';

/** Enough for several 20,000-item folders open at once; a node is well under 1 KiB. */
export const MAX_CACHED_NODES = 100_000;

export class NodeCache {
  #nodes = new Map<string, SourceNode>();

  constructor(readonly max = MAX_CACHED_NODES) {}

  get size(): number {
    return this.#nodes.size;
  }

  get(id: string): SourceNode | undefined {
    const node = this.#nodes.get(id);
    if (node) {
      // Map order is insertion order: moving a node to the end marks it as recently used.
      this.#nodes.delete(id);
      this.#nodes.set(id, node);
    }
    return node;
  }

  set(node: SourceNode): SourceNode {
    this.#nodes.delete(node.id);
    this.#nodes.set(node.id, node);
    if (this.#nodes.size > this.max) {
      const excess = this.#nodes.size - this.max;
      let n = 0;
      for (const key of this.#nodes.keys()) {
        if (n++ >= excess) break;
        this.#nodes.delete(key);
      }
    }
    return node;
  }
}
