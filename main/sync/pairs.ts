/**
 * Sync pairs on disk (`<data>/sync/pairs.json`, validated with the shared schema, written
 * crash-safely) and the rules for a new pair: which nodes can be synced (never a vault), the
 * default folder, no local folder overlapping another pair's, and no remote node that is, lies in
 * or holds another pair's node.
 */
import { readFile, rename } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { pairsFileSchema, MAX_PAIRS } from '../../shared/model/sync';
import type { SourceNode } from '../../shared/model/sources';
import type { SyncKind, SyncLayout, SyncPair } from '../../shared/model/sync';
import { parseId, segment } from '../sources/ids';
import { safeSegment } from '../localfs/safe-name';
import { writeFileAtomic } from '../localfs/atomic';
import { targetOf } from '../localfs/paths';

export class PairStore {
  #dir: string;
  #file: string;
  #pairs: SyncPair[] = [];
  #log: (line: string) => void;

  constructor(dir: string, log: (line: string) => void) {
    this.#dir = dir;
    this.#file = join(dir, 'pairs.json');
    this.#log = log;
  }

  /** Reads pairs.json; a damaged one is moved aside (kept) and its new name returned, else null. */
  async load(): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let parsed;
    try {
      parsed = pairsFileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      this.#pairs = parsed.data.pairs;
      return null;
    }
    const aside = `${this.#file}.corrupt-${Date.now()}`;
    await rename(this.#file, aside).catch(() => undefined);
    this.#log(`sync: pairs.json was damaged; kept as ${aside}, starting with no pairs`);
    return aside;
  }

  list(): SyncPair[] {
    return [...this.#pairs];
  }

  get(id: string): SyncPair {
    const pair = this.#pairs.find((p) => p.id === id);
    if (!pair) throw failWith('not_found', 'pair_gone', 'This sync pair no longer exists.');
    return pair;
  }

  /** The given pairs, no longer waiting for their Start (saved when one was). */
  async markStarted(ids: string[]): Promise<SyncPair[]> {
    const wanted = new Set(ids);
    if (ids.some((id) => this.get(id).pending)) {
      await this.save(
        this.#pairs.map((p) => {
          if (!wanted.has(p.id) || !p.pending) return p;
          const { pending: _started, ...rest } = p;
          return rest;
        }),
      );
    }
    return ids.map((id) => this.get(id));
  }

  async save(pairs: SyncPair[]): Promise<void> {
    if (pairs.length > MAX_PAIRS)
      throw failWith('validation', 'too_many_pairs', `At most ${MAX_PAIRS} sync pairs are possible.`, {
        limit: MAX_PAIRS,
      });
    await writeFileAtomic(targetOf(this.#dir, this.#file), JSON.stringify({ version: 1, pairs }, null, 1));
    this.#pairs = pairs;
  }
}

export interface NodeFacts {
  kind: SyncKind;
  /** Path parts below the connection for the default folder, e.g. ["kDrive", "Muster AG", "Projects"]. */
  defaultPath: string[];
  layouts: SyncLayout[];
}

/** What the tree knows of a node (main's cache of listed nodes). */
export interface NodeInfo {
  name: string;
  kind: string;
  path?: string | undefined;
  drive?: string | undefined;
  /** A kDrive vault (listed `type: vault`, shown locked). */
  vault?: boolean | undefined;
  /** Mail: the names of the mailbox and the folders down to this one, when the tree knows them. */
  names?: string[] | undefined;
}

/** The facts `nodeFacts` needs, from a listed node and the nodes above it. */
export function nodeInfo(
  node: SourceNode | undefined,
  lookup: (id: string) => SourceNode | undefined,
): NodeInfo | undefined {
  if (!node) return undefined;
  const info: NodeInfo = { name: node.name, kind: node.kind, path: node.details?.path, drive: node.details?.drive };
  if (node.service === 'kdrive' && node.kind === 'folder' && node.state?.kind === 'locked' && !node.expandable)
    info.vault = true;
  if (node.service === 'mail') info.names = mailNames(node, lookup);
  return info;
}

/** A mail folder's mailbox and folder names, top down (undefined when a node on the way is not known). */
function mailNames(node: SourceNode, lookup: (id: string) => SourceNode | undefined): string[] | undefined {
  const names: string[] = [];
  let at: SourceNode | undefined = node;
  for (let depth = 0; at && depth < 256; depth++) {
    names.unshift(at.name);
    if (at.kind === 'mailbox') return names;
    at = at.parentId ? lookup(at.parentId) : undefined;
  }
  return undefined;
}

/** What a node id can become as a pair; throws for nodes that cannot be synced. */
export function nodeFacts(nodeId: string, node: NodeInfo | undefined): NodeFacts {
  const parsed = parseId(nodeId);
  const last = parsed?.path.at(-1);
  const refuse = (): never => {
    throw failWith(
      'validation',
      'pair_kind',
      'Only drives, folders, calendars, address books, mailboxes and mail folders can be kept in sync.',
    );
  };
  if (!parsed || !last) return refuse();
  const name = node?.name ?? last.value;
  if (parsed.service === 'kdrive' && segment(parsed, 'drive') && (last.type === 'drive' || last.type === 'f')) {
    if (node?.vault)
      throw failWith(
        'validation',
        'pair_vault',
        `"${name}" is a secure vault: it cannot be kept in sync. Open it in kDrive.`,
        {
          name,
        },
      );
    if (last.type === 'f' && node && node.kind !== 'folder') return refuse();
    const drive = last.type === 'drive' ? name : (node?.drive ?? `Drive ${segment(parsed, 'drive')}`);
    const below = last.type === 'f' ? (node?.path ?? `/${name}`).split('/').filter(Boolean) : [];
    return { kind: 'kdrive', defaultPath: ['kDrive', drive, ...below], layouts: ['tree'] };
  }
  if (parsed.service === 'calendar' && last.type === 'cal') {
    return { kind: 'calendar', defaultPath: ['Calendar', name], layouts: ['file', 'vdir'] };
  }
  if (parsed.service === 'contacts' && last.type === 'book') {
    return { kind: 'addressbook', defaultPath: ['Contacts', name], layouts: ['file', 'vdir'] };
  }
  if (parsed.service === 'mail' && segment(parsed, 'mbx') && (last.type === 'mbx' || last.type === 'fld')) {
    return { kind: 'mail', defaultPath: ['Mail', ...(node?.names ?? [name])], layouts: ['maildir'] };
  }
  return refuse();
}

/**
 * Where a node lies, for the remote overlap check: kDrive by drive and path, mail by mailbox and
 * folder names, a calendar or address book by itself. Unknown folders on the way (a node the tree
 * has not described) leave the path as the node's own id: then only the same node compares equal.
 */
export function remoteLocation(nodeId: string, node: NodeInfo | undefined): NonNullable<SyncPair['remote']> | null {
  const parsed = parseId(nodeId);
  const last = parsed?.path.at(-1);
  if (!parsed || !last) return null;
  if (parsed.service === 'kdrive') {
    const scope = `kdrive:${segment(parsed, 'drive')}`;
    if (last.type === 'drive') return { scope, path: [] };
    return { scope, path: node?.path ? node.path.split('/').filter(Boolean) : [`#${last.value}`] };
  }
  if (parsed.service === 'mail') {
    const scope = `mail:${segment(parsed, 'mbx')}`;
    if (last.type === 'mbx') return { scope, path: [] };
    return { scope, path: node?.names ? node.names.slice(1) : [`#${last.value}`] };
  }
  return { scope: `${parsed.service}:${last.type}:${last.value}`, path: [] };
}

const startsWith = (long: string[], short: string[]) => short.every((part, i) => long[i] === part);

/**
 * A node may be kept in sync by one pair only: refused when another pair of the connection keeps
 * the same node, a folder above it, or a folder inside it. `locate` gives a pair's location when it
 * has none stored (pairs made before locations were kept).
 */
export function assertNotInPair(
  nodeId: string,
  connectionId: string,
  where: NonNullable<SyncPair['remote']> | null,
  pairs: SyncPair[],
  locate: (pair: SyncPair) => SyncPair['remote'] | null,
): void {
  for (const p of pairs) {
    if (p.connectionId !== connectionId) continue;
    const other = p.remote ?? locate(p);
    const same =
      p.nodeId === nodeId ||
      (where &&
        other &&
        other.scope === where.scope &&
        startsWith(where.path, other.path) &&
        startsWith(other.path, where.path));
    if (same) {
      throw failWith(
        'validation',
        'pair_taken',
        `This is already kept in sync by the pair "${p.name}" (${p.localPath}).`,
        {
          name: p.name,
          path: p.localPath,
        },
      );
    }
    if (!where || !other || other.scope !== where.scope) continue;
    if (startsWith(where.path, other.path)) {
      throw failWith(
        'validation',
        'pair_inside',
        `This lies inside "${p.name}", which is already kept in sync (${p.localPath}). Choose a folder outside it, or remove that pair first.`,
        { name: p.name, path: p.localPath },
      );
    }
    if (startsWith(other.path, where.path)) {
      throw failWith(
        'validation',
        'pair_holds',
        `This holds "${p.name}", which is already kept in sync (${p.localPath}). Remove that pair first, or choose another folder.`,
        { name: p.name, path: p.localPath },
      );
    }
  }
}

export function defaultFolder(downloadsDir: string, connectionLabel: string, parts: string[]): string {
  return join(downloadsDir, 'PowerOn Sources', ...[connectionLabel, ...parts].map((p) => safeSegment(p).name));
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A pair's folder may not be, contain or lie inside another pair's folder. */
export function assertNoOverlap(folder: string, pairs: SyncPair[], fold: (s: string) => string): void {
  const mine = fold(resolve(folder));
  for (const p of pairs) {
    const other = fold(resolve(p.localPath));
    if (inside(other, mine) || inside(mine, other)) {
      throw failWith(
        'validation',
        'folder_overlap',
        `This folder overlaps the folder of the sync pair "${p.name}" (${p.localPath}). Choose a folder outside it.`,
        { name: p.name, path: p.localPath },
      );
    }
  }
}
