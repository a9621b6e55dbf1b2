/**
 * What a selection amounts to: the topmost selected items (a node inside a selected folder is
 * part of that folder's download, never a second one), their count and known total size, and
 * whether a download of them is big enough to ask first.
 */
import type { SourceNode } from '../../../../shared/model/sources';
import { MAX_DEPTH } from './model';

/** Ask before downloading more than this many items… */
export const CONFIRM_ITEMS = 100;
/** …or more than this many bytes (1 GB). */
export const CONFIRM_BYTES = 1_000_000_000;

/** Kinds Ctrl+A never selects: containers of the tree itself, not contents. */
export const STRUCTURAL_KINDS: ReadonlySet<SourceNode['kind']> = new Set(['connection', 'service', 'account']);

type GetNode = (id: string) => SourceNode | undefined;

/** `ids` without those that have a selected ancestor (order kept). */
export function topmostIds(ids: readonly string[], getNode: GetNode): string[] {
  const set = new Set(ids);
  return ids.filter((id) => {
    let parent = getNode(id)?.parentId ?? null;
    for (let depth = 0; parent !== null && depth < MAX_DEPTH; depth++) {
      if (set.has(parent)) return false;
      parent = getNode(parent)?.parentId ?? null;
    }
    return true;
  });
}

export interface SelectionTotals {
  count: number;
  /** Sum of the sizes the API told (folders included when it gives their size). */
  bytes: number;
  /** Some item has no known size (the real total may be larger). */
  sizeUnknown: boolean;
}

export function selectionTotals(nodes: readonly SourceNode[]): SelectionTotals {
  let bytes = 0;
  let sizeUnknown = false;
  for (const n of nodes) {
    if (n.size !== undefined && Number.isFinite(n.size) && n.size >= 0) bytes += n.size;
    else sizeUnknown = true;
  }
  return { count: nodes.length, bytes, sizeUnknown };
}

export function needsConfirmation(totals: SelectionTotals): boolean {
  return totals.count > CONFIRM_ITEMS || totals.bytes > CONFIRM_BYTES;
}
