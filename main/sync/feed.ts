/**
 * Remote state of a kDrive pair, as cheaply as the token allows. The first run (and a periodic
 * full relist, default daily) walks the subtree with the recursive listing; then later runs apply
 * the changes of a change feed to the snapshot kept from the last run: the drive-wide
 * `listing/continue` cursor feed (feed-listing.ts) where it answers for this token, else the
 * activities feed (`/3/drive/{d}/files/{F}/activities?depth=unlimited&from_date=&actions[]=`).
 * Whether a personal token may use either is unknown (docs/infomaniak-api.md): a probe decides
 * once per drive (cursor feed first, then activities) and the answer is remembered; without a feed
 * every run relists, which is always correct. Anything a feed says that cannot be applied exactly
 * makes this run relist instead; a continue that is refused (403) too, and the drive then tries
 * activities. A feed answer that does not decode fails the run (nothing changes) and the drive's
 * feed is forgotten, so the next run lists again and probes afresh.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { InfomaniakApi } from '../infomaniak/types';
import { parseId, segment } from '../sources/ids';
import { fileSchema } from '../sources/kdrive-schemas';
import type { KdriveTarget } from '../sources/kdrive-subtree';
import type { RemoteEntry, Subtree } from '../sources/types';
import type { ArchiveSource, DownloadItem } from '../localfs/types';
import { writeFileAtomic } from '../localfs/atomic';
import { inside } from '../localfs/paths';
import { readBack } from '../localfs/read-back';
import type { RunSource } from './engine';
import { applyChange, FILE_ACTIONS } from './feed-apply';
import { applyListingFeed, FeedShapeError, feedRefused, issueOf, startCursor } from './feed-listing';

export const DAY_MS = 86_400_000;
const FEEDS_FILE = 'feeds.json';
const REMOTE_FILE = 'remote.json';
/** Activities are asked for from a little before the last answer: applying one twice is harmless. */
const OVERLAP_S = 60;

export type FeedKind = 'listing' | 'activities' | 'none';
const feedKinds = z.enum(['listing', 'activities', 'none']);

const remoteFileSchema = z.object({
  v: z.literal(1),
  fullAt: z.number(),
  from: z.number(),
  /** The `listing/continue` cursor at the snapshot (cursor feed only). */
  cursor: z.string().nullable().default(null),
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

/**
 * Per drive: which feed answered the probe, and whether the long-poll answers
 * (`<sync data>/feeds.json`; long-poll keys are `longpoll:<drive key>`).
 */
export class FeedMemory {
  #dir: string;
  #map: Record<string, string> | null = null;

  #log: (line: string) => void;

  constructor(dir: string, log: (line: string) => void = () => undefined) {
    this.#dir = dir;
    this.#log = log;
  }

  get #file(): string {
    return join(this.#dir, FEEDS_FILE);
  }

  async #read(): Promise<Record<string, string>> {
    this.#map ??= (await readBack(this.#file, z.record(z.string(), z.string()), this.#log)) ?? {};
    return this.#map;
  }

  async get(key: string): Promise<FeedKind | undefined> {
    const parsed = feedKinds.safeParse((await this.#read())[key]);
    return parsed.success ? parsed.data : undefined;
  }

  /** Remembers a drive's feed; undefined forgets it (the next full listing probes again). */
  async set(key: string, kind: FeedKind | undefined): Promise<void> {
    await this.#write(key, kind);
  }

  /**
   * Whether the drive's long-poll answered this token (undefined: not asked yet). A refusal is kept
   * a day, then asked again (a token replaced meanwhile may be accepted).
   */
  async longPoll(key: string, now = Date.now()): Promise<boolean | undefined> {
    const value = (await this.#read())[`longpoll:${key}`];
    if (value === 'yes') return true;
    const since = /^no:(\d+)$/.exec(value ?? '')?.[1];
    return since !== undefined && now - Number(since) < DAY_MS ? false : undefined;
  }

  async setLongPoll(key: string, answers: boolean, now = Date.now()): Promise<void> {
    await this.#write(`longpoll:${key}`, answers ? 'yes' : `no:${now}`);
  }

  async #write(key: string, value: string | undefined): Promise<void> {
    const map = await this.#read();
    if (value === undefined) delete map[key];
    else map[key] = value;
    await mkdir(this.#dir, { recursive: true });
    await writeFileAtomic(inside(this.#dir, FEEDS_FILE), JSON.stringify(map));
  }
}

/** A kDrive pair's drive and folder (its node id), and its drive's key in the feed memory. */
export function kdriveTarget(pair: { nodeId: string; connectionId: string }): {
  driveId: number;
  folderId: number;
  driveKey: string;
} {
  const parsed = parseId(pair.nodeId)!;
  const last = parsed.path.at(-1)!;
  const driveId = Number(segment(parsed, 'drive'));
  return { driveId, folderId: last.type === 'f' ? Number(last.value) : 1, driveKey: `${pair.connectionId}:${driveId}` };
}

/** The `listing/continue` cursor kept after a pair's last run (`<pair>/remote.json`), or null. */
export async function storedCursor(
  stateDir: string,
  log: (line: string) => void = () => undefined,
): Promise<string | null> {
  return (await readBack(join(stateDir, REMOTE_FILE), remoteFileSchema, log))?.cursor ?? null;
}

export interface FeedSourceDeps {
  /** The adapter's subtree of the pair's node (main/sources/kdrive-subtree.ts): the full listing, items, archive. */
  subtree: Subtree;
  /** The client the feeds' own requests go through (the run's, counted). */
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

export class KdriveFeedSource implements RunSource {
  #d: FeedSourceDeps;
  #pending: Stored | null = null;
  /** What the last list() used (tests and the run result read it). */
  via: 'listing' | 'feed' = 'listing';
  /** The last list()'s feed: actions read and how many were ignored; null when it listed. */
  feedStats: { actions: number; ignored: number } | null = null;

  constructor(deps: FeedSourceDeps) {
    this.#d = deps;
  }

  get #file(): string {
    return join(this.#d.stateDir, REMOTE_FILE);
  }

  async #load(): Promise<Stored | null> {
    return readBack(this.#file, remoteFileSchema, this.#d.log ?? (() => undefined));
  }

  /** The subtree now: from the kept snapshot and a feed's changes where that works, else the full listing. */
  list = async (signal: AbortSignal): Promise<Map<string, RemoteEntry>> => {
    const feed = await this.#d.memory.get(this.#d.driveKey);
    this.feedStats = null;
    // Without a feed the kept snapshot is never used: it is neither read nor written.
    const stored = feed === 'listing' || feed === 'activities' ? await this.#load() : null;
    const fresh = stored !== null && this.#d.now() - stored.fullAt < (this.#d.relistEveryMs ?? DAY_MS);
    let refused = false;
    if (stored && fresh && (feed === 'listing' || feed === 'activities')) {
      const applied = await this.#fromFeed(feed, stored, signal);
      if (applied instanceof Map) {
        this.via = 'feed';
        return applied;
      }
      refused = applied === 'refused';
    }
    const startedS = Math.floor(this.#d.now() / 1000);
    // A continue that was refused: no cursor this time, the activities feed is probed instead.
    const cursor =
      !refused && (feed === undefined || feed === 'listing') ? await this.#cursorProbe(feed, signal) : false;
    const entries = await this.#d.subtree.list(signal);
    if ((feed === undefined || refused) && cursor === false) await this.#probe(startedS, signal);
    if ((await this.#d.memory.get(this.#d.driveKey)) !== 'none')
      this.#pending = {
        v: 1,
        fullAt: this.#d.now(),
        from: startedS - OVERLAP_S,
        cursor: typeof cursor === 'string' ? cursor : null,
        entries: [...entries.values()],
      };
    this.via = 'listing';
    return entries;
  };

  /**
   * A cursor for the next run (before the listing: a change made meanwhile comes again). Probes the
   * cursor feed when the drive's feed is not known yet: a cursor, false (refused: try activities),
   * or null (no answer now: probe again next time).
   */
  async #cursorProbe(feed: FeedKind | undefined, signal: AbortSignal): Promise<string | false | null> {
    const got = await startCursor(this.#d.client, this.#d.target, signal);
    if ('cursor' in got) {
      if (feed === undefined) await this.#remember('listing');
      return got.cursor;
    }
    // A drive whose cursor feed stopped answering is probed again from scratch next time.
    if (feed === 'listing' && got.refused) await this.#remember(undefined);
    return got.refused ? false : null;
  }

  async #remember(kind: FeedKind | undefined): Promise<void> {
    this.#d.log?.(`sync: drive ${this.#d.driveKey}: change feed probe → ${kind ?? 'ask again'}`);
    await this.#d.memory.set(this.#d.driveKey, kind);
  }

  /** The snapshot brought up to date by the drive's feed; null: relist; `refused`: relist, the cursor feed is refused. */
  async #fromFeed(
    feed: 'listing' | 'activities',
    stored: Stored,
    signal: AbortSignal,
  ): Promise<Map<string, RemoteEntry> | null | 'refused'> {
    try {
      return feed === 'listing' ? await this.#applyCursor(stored, signal) : await this.#applyActivities(stored, signal);
    } catch (error) {
      // Parse loudly: the run fails, and the next one lists again and probes the drive afresh.
      if (error instanceof FeedShapeError) await this.#remember(undefined);
      throw error;
    }
  }

  async #applyCursor(stored: Stored, signal: AbortSignal): Promise<Map<string, RemoteEntry> | null | 'refused'> {
    if (!stored.cursor) return null;
    const entries = new Map<string, RemoteEntry>(stored.entries.map((e) => [e.id, e]));
    const result = await applyListingFeed(this.#d.client, this.#d.target, stored.cursor, entries, signal);
    if (result.kind === 'relist') {
      this.#d.log?.(`sync: drive ${this.#d.driveKey}: listing again (${result.reason})`);
      if (!result.refused) return null;
      await this.#remember(undefined);
      return 'refused';
    }
    this.feedStats = { actions: result.actions, ignored: result.ignored };
    this.#pending = { ...stored, cursor: result.cursor, entries: [...entries.values()] };
    return entries;
  }

  itemFor = (entry: RemoteEntry): DownloadItem => this.#d.subtree.itemFor(entry);

  /** The pair's folder as one archive (a first sync of many small files; localfs/archive-index.ts). */
  get archive(): ArchiveSource | undefined {
    return this.#d.subtree.archive;
  }

  async commit(): Promise<void> {
    if (!this.#pending) return;
    await mkdir(this.#d.stateDir, { recursive: true });
    await writeFileAtomic(inside(this.#d.stateDir, REMOTE_FILE), JSON.stringify(this.#pending));
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
        searchParams: { depth: 'unlimited', from_date: fromS, 'actions[]': [...FILE_ACTIONS], limit: 5 },
        signal,
      });
      kind = 'activities';
    } catch (error) {
      if (!feedRefused(error)) return; // ask again next time
    }
    await this.#remember(kind);
  }

  /** The stored snapshot with the feed's changes applied, or null when a relist is needed. */
  async #applyActivities(stored: Stored, signal: AbortSignal): Promise<Map<string, RemoteEntry> | null> {
    const entries = new Map<string, RemoteEntry>(stored.entries.map((e) => [e.id, e]));
    let cursor: string | null | undefined;
    let responseAt: number | undefined;
    const activities: Array<z.infer<typeof activitySchema>> = [];
    for (let page = 0; page < 1000; page++) {
      let answer;
      try {
        answer = await this.#d.client.get<unknown[]>('api', this.#activitiesPath(), {
          searchParams: {
            depth: 'unlimited',
            from_date: stored.from,
            'actions[]': [...FILE_ACTIONS],
            limit: 1000,
            cursor: cursor ?? undefined,
          },
          signal,
        });
      } catch (error) {
        if (!feedRefused(error)) throw error;
        await this.#remember(undefined); // refused now: the next full listing probes the drive again
        return null;
      }
      responseAt ??= answer.responseAt;
      const parsed = z.array(activitySchema).safeParse(answer.data);
      if (!parsed.success) throw new FeedShapeError('activities', issueOf(parsed.error));
      activities.push(...parsed.data);
      cursor = answer.cursor;
      if (!answer.hasMore || !cursor) break;
    }
    activities.sort((a, b) => (a.created_at ?? 0) - (b.created_at ?? 0));
    const root = this.#d.target.folderId;
    for (const a of activities) {
      if (!applyChange(entries, root, { action: a.action, id: a.file?.id ?? a.file_id, file: a.file })) return null;
    }
    const from = (responseAt ?? Math.floor(this.#d.now() / 1000)) - OVERLAP_S;
    this.#pending = { ...stored, from, entries: [...entries.values()] };
    return entries;
  }
}
