/**
 * The drag-out staging cache: files that a drag may need, on disk, bounded by size and age (LRU).
 *
 *   <root>/tmp/<key>/…    private work folder of one staging (`.part` files live only here)
 *   <root>/ready/<key>/…  finished stagings, moved in from tmp with one rename (atomic)
 *
 * A drag only ever sees paths below `ready/`, so it can never pick up a `.part`. Space is reserved
 * before a staging starts (evicting the least recently used entries), so the bytes on disk, parts
 * included, never exceed the bound. The whole folder is emptied on start and on quit.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface StagingCacheOptions {
  root: string;
  /** Bytes on disk at most (ready entries plus reservations of stagings in progress). */
  maxBytes: number;
  /** An entry not used for this long is removed. */
  maxAgeMs: number;
  now?: () => number;
  /** An entry was removed to make room or for age (not on dispose). */
  onEvict?: (key: string) => void;
}

export interface CacheEntry {
  key: string;
  /** Absolute paths of the staged top-level items (what a drag hands to the OS). */
  paths: string[];
  bytes: number;
  lastUsed: number;
  /** While > now, the entry is not evicted (a drag may still be reading it). */
  pinnedUntil: number;
}

export interface Reservation {
  readonly key: string;
  readonly bytes: number;
  /** The private folder to stage into. */
  readonly tmpDir: string;
}

const KEY = /^[0-9a-f]{8,64}$/;

export class StagingCache {
  readonly root: string;
  readonly maxBytes: number;
  #maxAgeMs: number;
  #now: () => number;
  #onEvict: ((key: string) => void) | undefined;
  /** Insertion order = LRU order (a use moves the entry to the end). */
  #entries = new Map<string, CacheEntry>();
  #reservations = new Map<string, Reservation>();
  #bytes = 0;
  #reserved = 0;
  #removing = new Set<Promise<void>>();

  constructor(options: StagingCacheOptions) {
    this.root = options.root;
    this.maxBytes = options.maxBytes;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#onEvict = options.onEvict;
  }

  /** Empties what a previous run left (a crash may have left parts) and creates the folders. */
  async init(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    await mkdir(join(this.root, 'ready'), { recursive: true });
  }

  /** Bytes of ready entries and of reservations. */
  usage(): { bytes: number; reserved: number; entries: number } {
    return { bytes: this.#bytes, reserved: this.#reserved, entries: this.#entries.size };
  }

  /** A ready entry (and marks it used), or undefined when absent or too old. */
  get(key: string): CacheEntry | undefined {
    this.sweep();
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    entry.lastUsed = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Keeps an entry from eviction for a while (the OS reads dropped files after the drag began). */
  pin(key: string, ms: number): void {
    const entry = this.#entries.get(key);
    if (entry) entry.pinnedUntil = Math.max(entry.pinnedUntil, this.#now() + ms);
  }

  /**
   * Reserves room for a staging of at most `bytes`, evicting least recently used entries. Null
   * when it cannot fit (larger than the bound, or the rest is pinned or reserved).
   */
  async reserve(key: string, bytes: number): Promise<Reservation | null> {
    if (!KEY.test(key)) throw new Error('bad cache key');
    if (this.#reservations.has(key)) return null;
    this.sweep();
    if (bytes > this.maxBytes) return null;
    const now = this.#now();
    for (const entry of [...this.#entries.values()]) {
      if (this.#bytes + this.#reserved + bytes <= this.maxBytes) break;
      if (entry.pinnedUntil > now) continue;
      this.#drop(entry);
    }
    if (this.#bytes + this.#reserved + bytes > this.maxBytes) return null;
    const reservation: Reservation = { key, bytes, tmpDir: join(this.root, 'tmp', key) };
    this.#reservations.set(key, reservation);
    this.#reserved += bytes;
    // The evicted entries' files are gone before the staging writes its first byte.
    await Promise.all([...this.#removing]);
    return reservation;
  }

  /**
   * Moves a finished staging into place: `names` are its top-level items inside `tmpDir`; `bytes`
   * what they hold (at most the reservation). The rename is atomic: the entry appears whole or not at all.
   */
  async commit(reservation: Reservation, names: string[], bytes: number): Promise<CacheEntry> {
    this.#release(reservation);
    const dir = join(this.root, 'ready', reservation.key);
    const old = this.#entries.get(reservation.key);
    if (old) this.#drop(old, false);
    await Promise.all([...this.#removing]);
    try {
      await rename(reservation.tmpDir, dir);
    } catch (error) {
      await rm(reservation.tmpDir, { recursive: true, force: true });
      throw error;
    }
    const entry: CacheEntry = {
      key: reservation.key,
      paths: names.map((name) => join(dir, name)),
      bytes,
      lastUsed: this.#now(),
      pinnedUntil: 0,
    };
    this.#entries.set(entry.key, entry);
    this.#bytes += bytes;
    // A staging larger than announced may push the total over: evict others to get back under.
    this.#shrinkTo(this.maxBytes, entry.key);
    return entry;
  }

  /**
   * Gives a reservation back. With `keepParts` the work folder stays (a later staging of the same
   * key resumes from its parts); otherwise it is deleted.
   */
  async abandon(reservation: Reservation, keepParts = false): Promise<void> {
    this.#release(reservation);
    if (!keepParts) await rm(reservation.tmpDir, { recursive: true, force: true });
  }

  /** Removes entries older than the age bound (unless pinned). */
  sweep(): void {
    const now = this.#now();
    for (const entry of [...this.#entries.values()]) {
      if (now - entry.lastUsed > this.#maxAgeMs && entry.pinnedUntil <= now) this.#drop(entry);
    }
  }

  /** Deletes everything (on quit). */
  async dispose(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
    await Promise.all([...this.#removing]);
    await rm(this.root, { recursive: true, force: true });
  }

  /** Names in `ready/` on disk (tests use it to prove nothing else is there). */
  async readyOnDisk(): Promise<string[]> {
    return readdir(join(this.root, 'ready')).catch(() => []);
  }

  #shrinkTo(limit: number, keep: string): void {
    const now = this.#now();
    for (const entry of [...this.#entries.values()]) {
      if (this.#bytes + this.#reserved <= limit) return;
      if (entry.key === keep || entry.pinnedUntil > now) continue;
      this.#drop(entry);
    }
  }

  #release(reservation: Reservation): void {
    if (this.#reservations.get(reservation.key) !== reservation) return;
    this.#reservations.delete(reservation.key);
    this.#reserved -= reservation.bytes;
  }

  #drop(entry: CacheEntry, notify = true): void {
    this.#entries.delete(entry.key);
    this.#bytes -= entry.bytes;
    if (notify) this.#onEvict?.(entry.key);
    const removal = rm(join(this.root, 'ready', entry.key), { recursive: true, force: true })
      .catch(() => undefined)
      .finally(() => this.#removing.delete(removal));
    this.#removing.add(removal);
  }
}
