/**
 * One drive: the written-out part of its tree is built at start (it is small), generated folders are
 * computed on demand (see generated.ts). Ids are per drive; the root folder is 1 [seen], its three
 * spaces Private / Common documents / Shared are 2, 3, 4 [guess]. The nodes' shapes are in
 * drive-nodes.ts, building the written-out tree in drive-build.ts, children views in child-views.ts.
 */
import { BufferContent, EMPTY, GeneratedContent } from './content';
import { fileCount, fileSize, fillPattern, folderLayout, forEachFileId, locate, nodeRandom } from './generated';
import type { GenBlock } from './generated';
import { extensionTypeFor, mimeFor } from './mime';
import { arrayView, concatViews, genDirsView, genFilesView } from './child-views';
import type { ChildView } from './child-views';
import { buildDriveTree } from './drive-build';
import { DAY, visibilityIn } from './drive-nodes';
import type { ExplicitNode, FileNode } from './drive-nodes';
import { unixSeconds } from '../core/time';
import type { DriveScenario } from '../scenario/schema';

export { compareDefault } from './drive-nodes';
export type { ExplicitNode, FileNode, FileVersion, Space } from './drive-nodes';
export { listView } from './child-views';
export type { ChildView } from './child-views';

export class DriveModel {
  readonly id: number;
  private readonly explicit: Map<number, ExplicitNode>;
  private readonly blocks: GenBlock[];
  private readonly ownerOf: Map<GenBlock, ExplicitNode>;
  private usedSizeCache: number | null = null;
  /** Generated nodes built so far (tests use it to prove listings are lazy). */
  resolvedGenerated = 0;

  constructor(
    readonly spec: DriveScenario,
    private readonly anchorMs: number,
    readonly createdBy: number,
  ) {
    this.id = spec.id;
    const tree = buildDriveTree(spec.id, spec, anchorMs);
    this.explicit = tree.explicit;
    this.blocks = tree.blocks;
    this.ownerOf = tree.ownerOf;
  }

  /** Written-out nodes, for remote changes between sync runs (model/mutations.ts). */
  writable(): { nodes: Map<number, ExplicitNode>; changed(): void } {
    return { nodes: this.explicit, changed: () => (this.usedSizeCache = null) };
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  private blockFor(id: number): GenBlock | null {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid]!;
      if (id < b.base) hi = mid - 1;
      else if (id >= b.base + b.total) lo = mid + 1;
      else return b;
    }
    return null;
  }

  /** The node with this id, or null. Generated nodes are built here, on demand. */
  node(id: number): FileNode | null {
    const e = this.explicit.get(id);
    if (e) return e;
    const block = this.blockFor(id);
    return block ? this.generatedNode(block, id) : null;
  }

  private generatedNode(block: GenBlock, id: number): FileNode {
    this.resolvedGenerated++;
    const owner = this.ownerOf.get(block)!;
    const pos = locate(block, id);
    const rule = block.rule;
    const anchor = unixSeconds(this.anchorMs);
    const modifiedAt = anchor - (nodeRandom(block, id, 2) % (365 * DAY)) - 3600;
    const createdNull = pos.kind === 'file' && nodeRandom(block, id, 3) / 4294967296 < rule.null_created_share;
    const createdAt = createdNull ? null : modifiedAt - (nodeRandom(block, id, 4) % (30 * DAY));
    const depth = owner.depth + pos.level;
    const base = {
      id,
      driveId: this.id,
      parentId: pos.parentId,
      depth,
      visibility: visibilityIn(owner.space, depth),
      status: null,
      createdAt,
      addedAt: createdAt ?? modifiedAt,
      modifiedAt,
      space: owner.space,
      generated: true,
      fault: undefined,
    };
    if (pos.kind === 'dir') {
      return {
        ...base,
        name: fillPattern(rule.dir_name, pos.index, pos.level),
        type: 'dir',
        size: 0,
        mimeType: '',
        extensionType: '',
        color: null,
        content: EMPTY,
      };
    }
    const name = fillPattern(rule.file_name, pos.index, pos.level);
    const size = fileSize(block, id);
    const mimeType = rule.mime_type ?? mimeFor(name);
    return {
      ...base,
      name,
      type: 'file',
      size,
      mimeType,
      extensionType: extensionTypeFor(name, mimeType),
      color: null,
      content: new GeneratedContent(`${rule.seed}#${id - block.base}`, size),
    };
  }

  /** The children of a folder in the default order, or null when `id` is not a folder. */
  children(id: number): ChildView | null {
    const e = this.explicit.get(id);
    if (e) {
      if (e.type !== 'dir') return null;
      const dirs = e.children.filter((c) => this.explicit.get(c)?.type === 'dir');
      const files = e.children.filter((c) => this.explicit.get(c)?.type === 'file');
      const gen = e.block ? folderLayout(e.block, 0, e.block.base) : null;
      return concatViews([arrayView(dirs), genDirsView(gen), arrayView(files), genFilesView(gen)]);
    }
    const block = this.blockFor(id);
    if (!block) return null;
    const pos = locate(block, id);
    if (pos.kind !== 'dir' || !pos.folder) return null;
    return concatViews([genDirsView(pos.folder), genFilesView(pos.folder)]);
  }

  /** Only the folders, or only the files, of a folder (default order). */
  childrenOfType(id: number, type: 'dir' | 'file'): ChildView | null {
    const e = this.explicit.get(id);
    if (e) {
      if (e.type !== 'dir') return null;
      const mine = e.children.filter((c) => this.explicit.get(c)?.type === type);
      const gen = e.block ? folderLayout(e.block, 0, e.block.base) : null;
      return concatViews([arrayView(mine), type === 'dir' ? genDirsView(gen) : genFilesView(gen)]);
    }
    const block = this.blockFor(id);
    if (!block) return null;
    const pos = locate(block, id);
    if (pos.kind !== 'dir' || !pos.folder) return null;
    return type === 'dir' ? genDirsView(pos.folder) : genFilesView(pos.folder);
  }

  /** "/Common documents/Projekte/Plan.pdf"; the root is "/". */
  path(id: number): string {
    const names: string[] = [];
    let cur = this.node(id);
    while (cur && cur.parentId !== null) {
      names.push(cur.name);
      cur = this.node(cur.parentId);
    }
    return `/${names.reverse().join('/')}`;
  }

  /** Finds a written-out node by path ("/Common documents/Bench/big-1GiB.bin"). */
  byPath(path: string): FileNode | null {
    let cur: ExplicitNode | undefined = this.explicit.get(1);
    for (const part of path.split('/').filter(Boolean)) {
      const next: ExplicitNode | undefined = cur?.children
        .map((c) => this.explicit.get(c))
        .find((c) => c?.name === part);
      if (!next) return null;
      cur = next;
    }
    return cur ?? null;
  }

  /** Every node below a folder, depth-first, with its path relative to the folder. */
  *walk(id: number, prefix: string[] = []): Generator<{ node: FileNode; rel: string[] }> {
    const view = this.children(id);
    if (!view) return;
    for (let i = 0; i < view.count; i++) {
      const child = this.node(view.at(i));
      if (!child) continue;
      const rel = [...prefix, child.name];
      yield { node: child, rel };
      if (child.type === 'dir' && !child.vault) yield* this.walk(child.id, rel);
    }
  }

  /** A locked vault (only written-out folders can be vaults): never walked into. */
  isVault(id: number): boolean {
    return this.explicit.get(id)?.vault === true;
  }

  /** Number of files in the drive (computed, not counted). */
  fileCount(): number {
    let n = 0;
    for (const e of this.explicit.values()) if (e.type === 'file') n++;
    for (const b of this.blocks) n += fileCount(b);
    return n;
  }

  /** Builds lazily generated media (pictures, PDFs) a few at a time, so the first used_size is quick. */
  async warm(cancelled: () => boolean): Promise<void> {
    for (const e of this.explicit.values()) {
      if (cancelled()) return;
      if (e.type !== 'file' || !(e.content instanceof BufferContent) || e.content.built) continue;
      void e.size;
      await new Promise<void>((r) => setImmediate(r));
    }
    if (!cancelled()) this.usedSize();
  }

  /** Sum of file sizes; computed once, without building nodes. */
  usedSize(): number {
    if (this.usedSizeCache === null) {
      let sum = 0;
      for (const e of this.explicit.values()) if (e.type === 'file') sum += e.size;
      for (const b of this.blocks) forEachFileId(b, (id) => (sum += fileSize(b, id)));
      this.usedSizeCache = sum;
    }
    return this.usedSizeCache;
  }
}
