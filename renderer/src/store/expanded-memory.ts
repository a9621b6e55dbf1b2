/**
 * Expanded folders survive a reload: every expand or collapse is written to the page's storage
 * (per connection, the last 500 ids), and after a reload each remembered node is expanded again
 * as soon as it arrives in a listing — so only paths whose parents load are restored, one listing
 * per folder, never a guess at ids that are not there. Storage that is missing, full or holds
 * something else is ignored (nothing is restored then; the tree works as before).
 */
import {
  MAX_EXPANDED_CONNECTIONS,
  MAX_EXPANDED_PER_CONNECTION,
  expandedMemorySchema,
} from '../../../shared/model/expanded';
import type { ExpandedMemoryData } from '../../../shared/model/expanded';

export const EXPANDED_STORAGE_KEY = 'poweron.expanded.v1';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** The connection a node id belongs to: its root node id (`conn:<id>`). */
function connectionKey(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

export class ExpandedMemory {
  #storage: Storage | null;
  #data: ExpandedMemoryData;
  /** Remembered ids not expanded again yet in this page's life. */
  #pending: Set<string>;

  constructor(storage: Storage | null) {
    this.#storage = storage;
    this.#data = read(storage);
    this.#pending = new Set(Object.values(this.#data).flat());
  }

  /** An expand or collapse by the user (or a restore). */
  remember(id: string, expanded: boolean): void {
    this.#pending.delete(id);
    const key = connectionKey(id);
    const list = (this.#data[key] ?? []).filter((x) => x !== id);
    if (expanded) list.push(id);
    const data = { ...this.#data };
    delete data[key]; // re-added last: the most recently used connection stays
    if (list.length > 0) data[key] = list.slice(-MAX_EXPANDED_PER_CONNECTION);
    const keys = Object.keys(data);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_EXPANDED_CONNECTIONS))) delete data[old];
    this.#data = data;
    try {
      this.#storage?.setItem(EXPANDED_STORAGE_KEY, JSON.stringify(data));
    } catch {
      // full or unavailable: this reload will not restore, nothing else changes
    }
  }

  /** Of nodes that just arrived, the ids to expand again (each once). */
  take(ids: readonly string[]): string[] {
    if (this.#pending.size === 0) return [];
    const due = ids.filter((id) => this.#pending.has(id));
    for (const id of due) this.#pending.delete(id);
    return due;
  }

  /** What is stored (for tests). */
  data(): ExpandedMemoryData {
    return this.#data;
  }
}

function read(storage: Storage | null): ExpandedMemoryData {
  try {
    const raw = storage?.getItem(EXPANDED_STORAGE_KEY);
    if (!raw) return {};
    const parsed = expandedMemorySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The page's storage, when there is one. */
export function pageStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
