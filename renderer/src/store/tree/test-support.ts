/** Test fixtures for the tree model (imported by *.test.ts(x) only): nodes and pages. */
import type { SourceNode, SourcePage } from '../../../../shared/model/sources';

export function folder(id: string, parentId: string | null, name = id, extra: Partial<SourceNode> = {}): SourceNode {
  return { id, parentId, kind: 'folder', name, expandable: true, downloadable: true, ...extra };
}

export function file(id: string, parentId: string | null, name = id, extra: Partial<SourceNode> = {}): SourceNode {
  return { id, parentId, kind: 'file', name, expandable: false, downloadable: true, size: 1234, ...extra };
}

export function page(parentId: string, nodes: SourceNode[], opts: Partial<SourcePage> = {}): SourcePage {
  return { listingId: 'L-' + parentId, parentId, nodes, first: true, done: true, ...opts };
}

/** `count` files under `parentId`, names padded so they sort as numbered. */
export function manyFiles(parentId: string, count: number, offset = 0): SourceNode[] {
  const out: SourceNode[] = [];
  for (let i = offset; i < offset + count; i++) {
    out.push(
      file(`${parentId}/f${i}`, parentId, `file ${String(i).padStart(5, '0')}`, { modifiedAt: 1_700_000_000_000 }),
    );
  }
  return out;
}
