/**
 * Builds the written-out part of a drive's tree from its scenario: the root (id 1 [seen]), the three
 * spaces (2, 3, 4 [guess]), every node the scenario names, and the generated blocks, which take the
 * ids after every written-out node (their nodes are computed on demand, see generated.ts).
 */
import { EMPTY, GeneratedContent, contentFrom } from './content';
import type { ContentSource } from './content';
import { createBlock } from './generated';
import type { GenBlock } from './generated';
import { extensionTypeFor, mimeFor } from './mime';
import { DAY, SPACES, compareDefault, visibilityIn } from './drive-nodes';
import type { ExplicitNode, FileVersion, Space } from './drive-nodes';
import { hashString, mix32 } from '../core/prng';
import { parseSize } from '../core/units';
import { parseTimeSpec, unixSeconds } from '../core/time';
import { ScenarioError } from '../scenario/errors';
import type { DriveScenario, NodeFault, NodeSpec } from '../scenario/schema';

export interface BuiltTree {
  explicit: Map<number, ExplicitNode>;
  /** Generated blocks in id order. */
  blocks: GenBlock[];
  ownerOf: Map<GenBlock, ExplicitNode>;
}

interface ExplicitInit {
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
}

interface BuildContext {
  driveId: number;
  anchorMs: number;
  /** The anchor in unix seconds. */
  anchor: number;
  explicit: Map<number, ExplicitNode>;
  nextId(): number;
  /** Folders with a `generate` rule, in the order met: their blocks are placed at the end. */
  pending: Array<{ owner: ExplicitNode; spec: NonNullable<NodeSpec['generate']> }>;
}

export function buildDriveTree(driveId: number, spec: DriveScenario, anchorMs: number): BuiltTree {
  const used = reservedIds(driveId, spec);
  let next = 5;
  const ctx: BuildContext = {
    driveId,
    anchorMs,
    anchor: unixSeconds(anchorMs),
    explicit: new Map(),
    nextId: () => {
      while (used.has(next)) next++;
      used.add(next);
      return next;
    },
    pending: [],
  };
  const sinceStart = { created: ctx.anchor - 400 * DAY, modified: ctx.anchor - DAY };
  const root = makeExplicit(ctx, {
    id: 1,
    parentId: null,
    name: '',
    type: 'dir',
    depth: 1,
    visibility: 'is_root',
    space: null,
    times: sinceStart,
  });
  for (const s of SPACES) {
    const space = makeExplicit(ctx, {
      id: s.id,
      parentId: 1,
      name: s.name,
      type: 'dir',
      depth: 2,
      visibility: s.visibility,
      space: s.key,
      times: sinceStart,
    });
    root.children.push(space.id);
    addChildren(ctx, space, spec.tree[s.key], `/${s.name}`);
  }
  sortChildren(ctx, root);
  return { explicit: ctx.explicit, ...placeBlocks(ctx.pending, Math.max(...used) + 1) };
}

/** The ids the scenario names itself, plus the root's and the spaces'; a duplicate is an error. */
function reservedIds(driveId: number, spec: DriveScenario): Set<number> {
  const used = new Set<number>([1, 2, 3, 4]);
  const collect = (nodes: NodeSpec[]): void => {
    for (const n of nodes) {
      if (n.id !== undefined) {
        if (used.has(n.id)) throw new ScenarioError(`Invalid scenario: drive ${driveId} uses node id ${n.id} twice`);
        used.add(n.id);
      }
      collect(n.children ?? []);
    }
  };
  for (const s of SPACES) collect(spec.tree[s.key]);
  return used;
}

function addChildren(ctx: BuildContext, parent: ExplicitNode, nodes: NodeSpec[], path: string): void {
  for (const n of nodes) {
    const isDir = n.type === 'dir' || n.children !== undefined || n.generate !== undefined;
    const childPath = `${path}/${n.name}`;
    const node = makeExplicit(ctx, {
      id: n.id ?? ctx.nextId(),
      parentId: parent.id,
      name: n.name,
      type: isDir ? 'dir' : 'file',
      depth: parent.depth + 1,
      visibility: visibilityIn(parent.space, parent.depth + 1),
      space: parent.space,
      times: nodeTimes(ctx, n, childPath),
      status: n.status ?? null,
      color: isDir ? (n.color ?? null) : null,
      fault: n.fault,
    });
    if (!isDir) setFileContent(node, n, fileContent(ctx.driveId, n, childPath));
    if (n.hash) node.hashStyle = { style: n.hash, chunkSize: parseSize(n.chunk_size ?? '1 MiB') };
    if (n.vault) node.vault = true;
    if (n.versions) node.versions = buildVersions(ctx, n, childPath);
    parent.children.push(node.id);
    if (n.children) addChildren(ctx, node, n.children, childPath);
    if (n.generate) ctx.pending.push({ owner: node, spec: n.generate });
  }
  sortChildren(ctx, parent);
}

/** The scenario's times, else stable pseudo-random ones derived from the drive and the path. */
function nodeTimes(ctx: BuildContext, n: NodeSpec, childPath: string): ExplicitInit['times'] {
  const h = hashString(`${ctx.driveId}:${childPath}`);
  const modified =
    n.modified !== undefined
      ? unixSeconds(parseTimeSpec(n.modified, ctx.anchorMs))
      : ctx.anchor - (h % (365 * DAY)) - 3600;
  const created =
    n.created === null
      ? null
      : n.created !== undefined
        ? unixSeconds(parseTimeSpec(n.created, ctx.anchorMs))
        : modified - (mix32(h, 1) % (30 * DAY));
  return {
    created,
    modified,
    added: n.added !== undefined ? unixSeconds(parseTimeSpec(n.added, ctx.anchorMs)) : undefined,
  };
}

function fileContent(driveId: number, n: NodeSpec, childPath: string): ContentSource {
  if (n.content !== undefined) return contentFrom(n.content, parseSize);
  if (n.size !== undefined) return new GeneratedContent(`${driveId}:${childPath}`, parseSize(n.size));
  return EMPTY;
}

/** A file's earlier versions: ids 1, 2, … oldest first unless the scenario names them [guess]. */
function buildVersions(ctx: BuildContext, n: NodeSpec, childPath: string): FileVersion[] {
  return (n.versions ?? []).map((v, i) => ({
    id: v.id ?? i + 1,
    modifiedAt: unixSeconds(parseTimeSpec(v.modified, ctx.anchorMs)),
    content:
      v.content !== undefined
        ? contentFrom(v.content, parseSize)
        : new GeneratedContent(`${ctx.driveId}:${childPath}#v${i + 1}`, parseSize(v.size ?? 1024)),
    by: v.by ?? null,
    keepForever: v.keep_forever,
  }));
}

function setFileContent(node: ExplicitNode, n: NodeSpec, content: ContentSource): void {
  node.content = content;
  node.mimeType = n.mime_type ?? mimeFor(n.name);
  node.extensionType = extensionTypeFor(n.name, node.mimeType);
  // Sizes of lazily built media are read on first use: `size` is a getter over the content.
  Object.defineProperty(node, 'size', { get: () => content.size, enumerable: true });
}

function sortChildren(ctx: BuildContext, parent: ExplicitNode): void {
  parent.children.sort((a, b) => compareDefault(ctx.explicit.get(a)!, ctx.explicit.get(b)!));
}

/** Generated blocks take the ids after every written-out node, in the order their folders were met. */
function placeBlocks(pending: BuildContext['pending'], firstId: number): Pick<BuiltTree, 'blocks' | 'ownerOf'> {
  const blocks: GenBlock[] = [];
  const ownerOf = new Map<GenBlock, ExplicitNode>();
  let base = firstId;
  for (const p of pending) {
    const block = createBlock(p.owner.id, base, p.spec);
    blocks.push(block);
    ownerOf.set(block, p.owner);
    p.owner.block = block;
    base += block.total;
  }
  return { blocks, ownerOf };
}

function makeExplicit(ctx: BuildContext, init: ExplicitInit): ExplicitNode {
  const node: ExplicitNode = {
    id: init.id,
    driveId: ctx.driveId,
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
  ctx.explicit.set(node.id, node);
  return node;
}
