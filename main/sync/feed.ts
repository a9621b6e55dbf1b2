/**
 * Remote state of a kDrive pair, as cheaply as the token allows. The first run (and a periodic
 * full relist, default daily) walks the subtree with the recursive listing; then, where the
 * activities feed (`/3/drive/{d}/files/{F}/activities?depth=unlimited&from=`) answers for this
 * token, later runs apply its changes to the snapshot kept from the last run. Whether a personal
 * token may use the feed is unknown (docs/infomaniak-api.md): a probe decides once per drive and the
 * answer is remembered; without a feed every run relists, which is always correct.
 * Anything the feed says that cannot be applied exactly (a folder restored or moved in, an
 * unknown action, a file without its object) makes this run relist instead.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { appErrorFrom } from '../../shared/model/errors';
import type { InfomaniakApi } from '../infomaniak/types';
import { fileSchema } from '../sources/kdrive-schemas';
import { writeDurably } from './durable';
import type { RemoteSource } from './engine';
import { kdriveItem, listKdrive, remoteEntryOf } from './remote-kdrive';
import type { KdriveTarget } from './remote-kdrive';
import type { RemoteEntry } from './types';

export const DAY_MS = 86_400_000;
/** Activities are asked for from a little before the last answer: applying one twice is harmless. */
const OVERLAP_S = 60;

export type FeedKind = 'activities' | 'none';

const remoteFileSchema = z.object({
  v: z.literal(1),
  fullAt: z.number(),
  from: z.number(),
  entries: z.array(
    z.object({
      id: z.string(),
      parent: z.string().nullable(),
      name: z.string(),
      type: z.enum(['dir', 'file']),
      size: z.number(),
      mtime: z.number().nullable(),
    }),
  ),
});

const activitySchema = z
  .object({
    action: z.string(),
    file_id: z.coerce.number().optional(),
    created_at: z.number().optional(),
    file: fileSchema.nullable().optional().catch(null),
  })
  .loose();

/** Per drive: which feed answered the probe (`<sync data>/feeds.json`). */
export class FeedMemory {
  #file: string;
  #map: Record<string, FeedKind> | null = null;

  constructor(dir: string) {
    this.#file = join(dir, 'feeds.json');
  }

  async get(key: string): Promise<FeedKind | undefined> {
    this.#map ??= await readFile(this.#file, 'utf8')
      .then((t) => z.record(z.string(), z.enum(['activities', 'none'])).parse(JSON.parse(t)))
      .catch(() => ({}));
    return this.#map[key];
  }

  async set(key: string, kind: FeedKind): Promise<void> {
    await this.get(key);
    this.#map![key] = kind;
    await writeDurably(this.#file, JSON.stringify(this.#map));
  }
}

export interface FeedSourceDeps {
  client: InfomaniakApi;
  target: KdriveTarget;
  stateDir: string;
  memory: FeedMemory;
  /** Key of the drive in the memory (connection and drive id). */
  driveKey: string;
  now: () => number;
  relistEveryMs?: number;
  log?: (line: string) => void;
}

type Stored = z.infer<typeof remoteFileSchema>;

export class KdriveFeedSource implements RemoteSource {
  #d: FeedSourceDeps;
  #pending: Stored | null = null;
  /** What the last snapshot() used (tests and the run result read it). */
  via: 'listing' | 'feed' = 'listing';

  constructor(deps: FeedSourceDeps) {
    this.#d = deps;
  }

  get #file(): string {
    return join(this.#d.stateDir, 'remote.json');
  }

  async #load(): Promise<Stored | null> {
    try {
      const parsed = remoteFileSchema.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  snapshot = async (signal: AbortSignal): Promise<{ entries: Map<string, RemoteEntry>; via: 'listing' | 'feed' }> => {
    const stored = await this.#load();
    const feed = await this.#d.memory.get(this.#d.driveKey);
    const fresh = stored !== null && this.#d.now() - stored.fullAt < (this.#d.relistEveryMs ?? DAY_MS);
    if (stored && fresh && feed === 'activities') {
      const applied = await this.#applyActivities(stored, signal);
      if (applied) {
        this.via = 'feed';
        return { entries: applied, via: 'feed' };
      }
    }
    const startedS = Math.floor(this.#d.now() / 1000);
    const entries = await listKdrive(this.#d.client, this.#d.target, signal, this.#d.log);
    if (feed === undefined) await this.#probe(startedS, signal);
    this.#pending = { v: 1, fullAt: this.#d.now(), from: startedS - OVERLAP_S, entries: [...entries.values()] };
    this.via = 'listing';
    return { entries, via: 'listing' };
  };

  itemFor = (entry: RemoteEntry) => kdriveItem(this.#d.client, this.#d.target.driveId, entry);

  async commit(): Promise<void> {
    if (!this.#pending) return;
    await mkdir(this.#d.stateDir, { recursive: true });
    await writeDurably(this.#file, JSON.stringify(this.#pending));
    this.#pending = null;
  }

  #activitiesPath(): string {
    return `/3/drive/${this.#d.target.driveId}/files/${this.#d.target.folderId}/activities`;
  }

  /** One request: does the activities feed answer for this token and drive? */
  async #probe(fromS: number, signal: AbortSignal): Promise<void> {
    let kind: FeedKind = 'none';
    try {
      await this.#d.client.get('api', this.#activitiesPath(), {
        searchParams: { depth: 'unlimited', from: fromS, limit: 5 },
        signal,
      });
      kind = 'activities';
    } catch (error) {
      const code = appErrorFrom(error).code;
      if (code === 'token_invalid' || code === 'cancelled') throw error;
      if (code === 'network' || code === 'timeout' || code === 'rate_limited') return; // ask again next time
    }
    this.#d.log?.(`sync: drive ${this.#d.driveKey}: change feed probe → ${kind}`);
    await this.#d.memory.set(this.#d.driveKey, kind);
  }

  /** The stored snapshot with the feed's changes applied, or null when a relist is needed. */
  async #applyActivities(stored: Stored, signal: AbortSignal): Promise<Map<string, RemoteEntry> | null> {
    const entries = new Map<string, RemoteEntry>(stored.entries.map((e) => [e.id, e]));
    let cursor: string | null | undefined;
    let responseAt: number | undefined;
    const activities: Array<z.infer<typeof activitySchema>> = [];
    for (let page = 0; page < 1000; page++) {
      const answer = await this.#d.client.get<unknown[]>('api', this.#activitiesPath(), {
        searchParams: { depth: 'unlimited', from: stored.from, limit: 1000, cursor: cursor ?? undefined },
        signal,
      });
      responseAt ??= answer.responseAt;
      if (!Array.isArray(answer.data)) return null;
      for (const raw of answer.data) {
        const parsed = activitySchema.safeParse(raw);
        if (!parsed.success) return null;
        activities.push(parsed.data);
      }
      cursor = answer.cursor;
      if (!answer.hasMore || !cursor) break;
    }
    activities.sort((a, b) => (a.created_at ?? 0) - (b.created_at ?? 0));
    for (const a of activities) if (!this.#apply(entries, a)) return null;
    const from = (responseAt ?? Math.floor(this.#d.now() / 1000)) - OVERLAP_S;
    this.#pending = { ...stored, from, entries: [...entries.values()] };
    return entries;
  }

  #apply(entries: Map<string, RemoteEntry>, a: z.infer<typeof activitySchema>): boolean {
    const root = this.#d.target.folderId;
    const id = a.file?.id ?? a.file_id;
    if (id === undefined) return false;
    const key = String(id);
    switch (a.action) {
      case 'file_trash':
      case 'file_delete':
      case 'file_move_out':
        removeWithDescendants(entries, key);
        return true;
      case 'file_create':
      case 'file_update':
      case 'file_rename':
      case 'file_move':
      case 'file_restore': {
        const file = a.file;
        if (!file || file.parent_id === undefined) return false;
        const inside = file.parent_id === root || entries.get(String(file.parent_id))?.type === 'dir';
        if (!inside) {
          removeWithDescendants(entries, key);
          return true;
        }
        const known = entries.has(key);
        // A folder that arrives with content (restored, moved in) has descendants the feed does not list.
        if (file.type === 'dir' && !known && a.action !== 'file_create') return false;
        entries.set(key, remoteEntryOf(file, root));
        return true;
      }
      default:
        return false;
    }
  }
}

function removeWithDescendants(entries: Map<string, RemoteEntry>, id: string): void {
  if (!entries.delete(id)) return;
  const gone = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of entries.values()) {
      if (e.parent !== null && gone.has(e.parent)) {
        gone.add(e.id);
        entries.delete(e.id);
        grew = true;
      }
    }
  }
}
