/**
 * One drive: the written-out part of its tree is built at start (it is small), generated folders are
 * computed on demand (see generated.ts). Ids are per drive; the root folder is 1 [seen], its three
 * spaces Private / Common documents / Shared are 2, 3, 4 [guess].
 */
import { BufferContent, EMPTY, GeneratedContent, contentFrom } from './content';
import type { ContentSource } from './content';
import {
  createBlock,
  fileCount,
  fileSize,
  fillPattern,
  folderLayout,
  forEachFileId,
  locate,
  nodeRandom,
} from './generated';
import type { GenBlock, GenFolder } from './generated';
import { extensionTypeFor, mimeFor } from './mime';
import { hashString, mix32 } from '../core/prng';
import { parseSize } from '../core/units';
import { parseTimeSpec, unixSeconds } from '../core/time';
import { ScenarioError } from '../scenario/errors';
import type { DriveScenario, HashStyle, NodeFault, NodeSpec } from '../scenario/schema';

export type Space = 'private' | 'common' | 'shared';

export interface FileNode {
  id: number;
  driveId: number;
  parentId: number | null;
  name: string;
  type: 'dir' | 'file';
  /** kDrive depth: root 1, spaces 2, … [guess] */
  depth: number;
  visibility: string;
  status: string | null;
  /** Unix seconds. */
  createdAt: number | null;
  addedAt: number;
  modifiedAt: number;
  size: number;
  mimeType: string;
  extensionType: string;
  color: string | null;
  content: ContentSource;
  fault?: NodeFault | undefined;
  space: Space | null;
  generated: boolean;
  /** How the server's `hash` is made, when the scenario says (else: by the drive's rule). */
  hashStyle?: { style: HashStyle; chunkSize: number } | undefined;
  /** Listed as `type: "vault"`: locked, no listing, no download. */
  vault?: boolean | undefined;
}

export interface ExplicitNode extends FileNode {
  children: number[];
  block?: GenBlock;
}

/** An ordered list of a folder's children, addressed by index without building them. */
export interface ChildView {
  readonly count: number;
  at(index: number): number;
}

const SPACES: Array<{ key: Space; name: string; visibility: string; id: number }> = [
  { key: 'private', name: 'Private', visibility: 'is_private_space', id: 2 },
  { key: 'common', name: 'Common documents', visibility: 'is_team_space', id: 3 },
  { key: 'shared', name: 'Shared', visibility: 'is_shared_space', id: 4 },
];

const DAY = 86_400;

/** Default order [guess]: folders first, then by name, case-insensitively. */
export function compareDefault(a: FileNode, b: FileNode): number {
  if (a.type !== b.type) return a.type === 'dir' ? -1 : 1;
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
}

function visibilityIn(space: Space | null, depth: number): string {
  // [guess] values from Infomaniak's apps: direct children of Common documents are team-space folders.
  if (space === 'common') return depth === 3 ? 'is_team_space_folder' : 'is_in_team_space_folder';
  return '';
}

export class DriveModel {
  readonly id: number;
  private readonly explicit = new Map<number, ExplicitNode>();
  private readonly blocks: GenBlock[] = [];
  private readonly ownerOf = new Map<GenBlock, ExplicitNode>();
  private usedSizeCache: number | null = null;
  /** Generated nodes built so far (tests use it to prove listings are lazy). */
  resolvedGenerated = 0;

  constructor(
    readonly spec: DriveScenario,
    private readonly anchorMs: number,
    readonly createdBy: number,
  ) {
    this.id = spec.id;
    this.build();
  }

  // -------------------------------------------------------------------------------------------
  // Building the written-out tree

  private build(): void {
    const anchor = unixSeconds(this.anchorMs);
    const root = this.makeExplicit({
      id: 1,
      parentId: null,
      name: '',
      type: 'dir',
      depth: 1,
      visibility: 'is_root',
      space: null,
      times: { created: anchor - 400 * DAY, modified: anchor - DAY },
    });
    const used = new Set<number>([1, 2, 3, 4]);
    const collect = (nodes: NodeSpec[]): void => {
      for (const n of nodes) {
        if (n.id !== undefined) {
          if (used.has(n.id)) throw new ScenarioError(`Invalid scenario: drive ${this.id} uses node id ${n.id} twice`);
          used.add(n.id);
        }
        collect(n.children ?? []);
      }
    };
    for (const s of SPACES) collect(this.spec.tree[s.key]);
    let next = 5;
    const nextId = (): number => {
      while (used.has(next)) next++;
      used.add(next);
      return next;
    };
    const pending: Array<{ owner: ExplicitNode; spec: NonNullable<NodeSpec['generate']> }> = [];

    const addChildren = (parent: ExplicitNode, nodes: NodeSpec[], path: string): void => {
      for (const n of nodes) {
        const isDir = n.type === 'dir' || n.children !== undefined || n.generate !== undefined;
        const childPath = `${path}/${n.name}`;
        const h = hashString(`${this.id}:${childPath}`);
        const modified =
          n.modified !== undefined
            ? unixSeconds(parseTimeSpec(n.modified, this.anchorMs))
            : anchor - (h % (365 * DAY)) - 3600;
        const created =
          n.created === null
            ? null
            : n.created !== undefined
              ? unixSeconds(parseTimeSpec(n.created, this.anchorMs))
              : modified - (mix32(h, 1) % (30 * DAY));
        const node = this.makeExplicit({
          id: n.id ?? nextId(),
          parentId: parent.id,
          name: n.name,
          type: isDir ? 'dir' : 'file',
          depth: parent.depth + 1,
          visibility: visibilityIn(parent.space, parent.depth + 1),
          space: parent.space,
          times: {
            created,
            modified,
            added: n.added !== undefined ? unixSeconds(parseTimeSpec(n.added, this.anchorMs)) : undefined,
          },
          status: n.status ?? null,
          color: isDir ? (n.color ?? null) : null,
          fault: n.fault,
        });
        if (!isDir) {
          const content =
            n.content !== undefined
              ? contentFrom(n.content, parseSize)
              : n.size !== undefined
                ? new GeneratedContent(`${this.id}:${childPath}`, parseSize(n.size))
                : EMPTY;
          node.content = content;
          node.mimeType = n.mime_type ?? mimeFor(n.name);
          node.extensionType = extensionTypeFor(n.name, node.mimeType);
          // Sizes of lazily built media are read on first use (see `size` getter below).
          Object.defineProperty(node, 'size', { get: () => content.size, enumerable: true });
        }
        if (n.hash) node.hashStyle = { style: n.hash, chunkSize: parseSize(n.chunk_size ?? '1 MiB') };
        if (n.vault) node.vault = true;
        parent.children.push(node.id);
        if (n.children) addChildren(node, n.children, childPath);
        if (n.generate) pending.push({ owner: node, spec: n.generate });
      }
      parent.children.sort((a, b) => compareDefault(this.explicit.get(a)!, this.explicit.get(b)!));
    };

    for (const s of SPACES) {
      const space = this.makeExplicit({
        id: s.id,
        parentId: 1,
        name: s.name,
        type: 'dir',
        depth: 2,
        visibility: s.visibility,
        space: s.key,
        times: { created: anchor - 400 * DAY, modified: anchor - DAY },
      });
      root.children.push(space.id);
      addChildren(space, this.spec.tree[s.key], `/${s.name}`);
    }
    root.children.sort((a, b) => compareDefault(this.explicit.get(a)!, this.explicit.get(b)!));

    // Generated blocks take the ids after every written-out node.
    let base = Math.max(...used) + 1;
    for (const p of pending) {
      const block = createBlock(p.owner.id, base, p.spec);
      this.blocks.push(block);
      this.ownerOf.set(block, p.owner);
      p.owner.block = block;
      base += block.total;
    }
  }

  private makeExplicit(init: {
    id: number;
    parentId: number | null;
    name: string;
    type: 'dir' | 'file';
    depth: number;
    visibility: string;
    space: Space | null;
    times: { created: number | null; modified: number; added?: number | undefined };
    status?: string | null;
    color?: string | null;
    fault?: NodeFault | undefined;
  }): ExplicitNode {
    const node: ExplicitNode = {
      id: init.id,
      driveId: this.id,
      parentId: init.parentId,
      name: init.name,
      type: init.type,
      depth: init.depth,
      visibility: init.visibility,
      status: init.status ?? null,
      createdAt: init.times.created,
      addedAt: init.times.added ?? init.times.created ?? init.times.modified,
      modifiedAt: init.times.modified,
      size: 0,
      mimeType: init.type === 'dir' ? '' : 'application/octet-stream',
      extensionType: init.type === 'dir' ? '' : 'unknown',
      color: init.color ?? null,
      content: EMPTY,
      fault: init.fault,
      space: init.space,
      generated: false,
      children: [],
    };
    this.explicit.set(node.id, node);
    return node;
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

function arrayView(ids: number[]): ChildView {
  return { count: ids.length, at: (i) => ids[i]! };
}

function genDirsView(f: GenFolder | null): ChildView {
  if (!f) return arrayView([]);
  return { count: f.dirCount, at: (i) => f.start + i * f.dirStride };
}

function genFilesView(f: GenFolder | null): ChildView {
  if (!f) return arrayView([]);
  return { count: f.fileCount, at: (i) => f.fileStart + i };
}

function concatViews(views: ChildView[]): ChildView {
  const parts = views.filter((v) => v.count > 0);
  const count = parts.reduce((n, v) => n + v.count, 0);
  return {
    count,
    at(index: number): number {
      let i = index;
      for (const v of parts) {
        if (i < v.count) return v.at(i);
        i -= v.count;
      }
      throw new RangeError(`child ${index} of ${count}`);
    },
  };
}

/** A view over an explicit list (used for sorted or filtered listings). */
export function listView(ids: number[]): ChildView {
  return arrayView(ids);
}
