/**
 * Remote changes between sync runs: add, change, rename, move and delete files (and folders) of
 * the written-out part of a drive, as someone using kDrive elsewhere would. Every change is also
 * recorded as an activity (the change feed, routes/activities.ts).
 */
import { BufferContent, GeneratedContent } from './content';
import type { ContentSource } from './content';
import type { DriveModel, ExplicitNode, FileNode } from './drive';
import { compareDefault } from './drive';
import { extensionTypeFor, mimeFor } from './mime';

/**
 * Actions as the apps name them (infomaniak-api.md, change feed): the five a change makes, and
 * any other action name a `note` records (`file_access`, `file_share_create`, `acl_update`,
 * `comment_create`…: something happened to the file, nothing a copy of it needs).
 */
export type ActivityAction = 'file_create' | 'file_update' | 'file_rename' | 'file_move' | 'file_trash' | (string & {});

export interface Activity {
  id: number;
  /** Unix seconds. */
  createdAt: number;
  action: ActivityAction;
  fileId: number;
  oldPath: string | null;
  newPath: string | null;
  /** The file as it was right after the change (a copy). */
  file: FileNode;
}

export type MutationContent = { text: string } | { size: number; seed?: string };

export type Mutation =
  | { op: 'add'; parentId: number; name: string; content?: MutationContent; dir?: boolean }
  | { op: 'change'; id: number; content: MutationContent }
  | { op: 'rename'; id: number; name: string }
  | { op: 'move'; id: number; parentId: number }
  | { op: 'delete'; id: number }
  /** An action that changes nothing (someone opened, shared or commented the file): `action` is recorded as is. */
  | { op: 'note'; id: number; action: string };

let nextActivity = 1;
/** New nodes get ids far above every scenario's (written-out and generated) ids. */
let nextNodeId = 900_000_000;

function contentOf(c: MutationContent, key: string): ContentSource {
  return 'text' in c ? new BufferContent(Buffer.from(c.text, 'utf8')) : new GeneratedContent(c.seed ?? key, c.size);
}

export class DriveChanges {
  readonly activities: Activity[] = [];

  constructor(
    private readonly drive: DriveModel,
    private readonly nowSeconds: () => number,
  ) {}

  private node(id: number): ExplicitNode {
    const n = this.drive.writable().nodes.get(id);
    if (!n) throw new Error(`simulator: node ${id} of drive ${this.drive.id} is not a written-out node`);
    return n;
  }

  private record(action: ActivityAction, node: ExplicitNode, oldPath: string | null, newPath: string | null): void {
    this.activities.push({
      id: nextActivity++,
      createdAt: this.nowSeconds(),
      action,
      fileId: node.id,
      oldPath,
      newPath,
      file: { ...node, status: action === 'file_trash' ? 'trashed' : node.status },
    });
  }

  /** Replaces a node object (file sizes are getters fixed at build time, so a change makes a new node). */
  private replace(node: ExplicitNode, patch: Partial<ExplicitNode>): ExplicitNode {
    const next: ExplicitNode = { ...node, ...patch };
    this.drive.writable().nodes.set(node.id, next);
    this.drive.writable().changed();
    return next;
  }

  private sortChildren(parent: ExplicitNode): void {
    const nodes = this.drive.writable().nodes;
    parent.children.sort((a, b) => compareDefault(nodes.get(a)!, nodes.get(b)!));
  }

  apply(m: Mutation): number {
    switch (m.op) {
      case 'add':
        return this.add(m.parentId, m.name, m.content, m.dir ?? false);
      case 'change': {
        const n = this.node(m.id);
        const content = contentOf(m.content, `${this.drive.id}:${m.id}:${this.nowSeconds()}`);
        const modifiedAt = Math.max(this.nowSeconds(), n.modifiedAt + 1);
        const next = this.replace(n, { content, size: content.size, modifiedAt });
        this.record('file_update', next, this.drive.path(n.id), this.drive.path(n.id));
        return n.id;
      }
      case 'rename': {
        const n = this.node(m.id);
        const oldPath = this.drive.path(n.id);
        const next = this.replace(n, { name: m.name });
        this.sortChildren(this.node(n.parentId!));
        this.record('file_rename', next, oldPath, this.drive.path(n.id));
        return n.id;
      }
      case 'move': {
        const n = this.node(m.id);
        const oldPath = this.drive.path(n.id);
        const from = this.node(n.parentId!);
        const to = this.node(m.parentId);
        from.children = from.children.filter((c) => c !== n.id);
        to.children.push(n.id);
        const next = this.replace(n, { parentId: to.id, depth: to.depth + 1 });
        this.sortChildren(to);
        this.record('file_move', next, oldPath, this.drive.path(n.id));
        return n.id;
      }
      case 'note': {
        const n = this.drive.node(m.id);
        if (!n) throw new Error(`simulator: no node ${m.id} in drive ${this.drive.id}`);
        const path = this.drive.path(n.id);
        this.activities.push({
          id: nextActivity++,
          createdAt: this.nowSeconds(),
          action: m.action,
          fileId: n.id,
          oldPath: path,
          newPath: path,
          file: { ...n },
        });
        return n.id;
      }
      case 'delete': {
        const n = this.node(m.id);
        const oldPath = this.drive.path(n.id);
        const parent = this.node(n.parentId!);
        parent.children = parent.children.filter((c) => c !== n.id);
        this.drive.writable().changed();
        this.record('file_trash', n, oldPath, null);
        return n.id;
      }
    }
  }

  private add(parentId: number, name: string, content: MutationContent | undefined, dir: boolean): number {
    const parent = this.node(parentId);
    const now = this.nowSeconds();
    const id = nextNodeId++;
    const source = dir ? null : contentOf(content ?? { text: '' }, `${this.drive.id}:${id}`);
    const mimeType = dir ? '' : mimeFor(name);
    const node: ExplicitNode = {
      id,
      driveId: this.drive.id,
      parentId,
      name,
      type: dir ? 'dir' : 'file',
      depth: parent.depth + 1,
      visibility: '',
      status: null,
      createdAt: now,
      addedAt: now,
      modifiedAt: now,
      size: source?.size ?? 0,
      mimeType,
      extensionType: dir ? '' : extensionTypeFor(name, mimeType),
      color: null,
      content: source ?? new BufferContent(Buffer.alloc(0)),
      space: parent.space,
      generated: false,
      children: [],
    };
    this.drive.writable().nodes.set(id, node);
    parent.children.push(id);
    this.sortChildren(parent);
    this.drive.writable().changed();
    this.record('file_create', node, null, this.drive.path(id));
    return id;
  }
}
