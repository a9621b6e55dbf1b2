/**
 * Sync pairs on disk (`<data>/sync/pairs.json`, validated with the shared schema, written
 * crash-safely) and the rules for a new pair: which nodes can be synced, the default folder, and no
 * folder overlapping another pair's.
 */
import { readFile, rename } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { failWith } from '../../shared/model/errors';
import { pairsFileSchema, MAX_PAIRS } from '../../shared/model/sync';
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

/** What a node id can become as a pair; throws for nodes that cannot be synced. */
export function nodeFacts(
  nodeId: string,
  node: { name: string; kind: string; path?: string; drive?: string } | undefined,
): NodeFacts {
  const parsed = parseId(nodeId);
  const last = parsed?.path.at(-1);
  const refuse = (): never => {
    throw failWith('validation', 'pair_kind', 'Only drives, folders, calendars and address books can be kept in sync.');
  };
  if (!parsed || !last) return refuse();
  const name = node?.name ?? last.value;
  if (parsed.service === 'kdrive' && segment(parsed, 'drive') && (last.type === 'drive' || last.type === 'f')) {
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
  return refuse();
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
