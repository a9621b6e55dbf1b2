/**
 * Previews on disk (issue 24.3): `<data>/previews/<key>.pv`, bounded by size, least recently used
 * out. Each file is a header (magic, SHA-256 of the picture) and the picture; one whose header or
 * hash does not match (cut short, changed, not ours) is removed and fetched again, and a file whose
 * name is not one of ours is never read, counted or removed. Files are written atomically (the
 * app's one atomic write, `localfs/atomic.ts`: an exclusive temporary file, rename). Keys are SHA-256 hex of what identifies a picture
 * (connection, drive, file, its version, the size asked), so no name or id reaches the disk.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../localfs/atomic';

const MAGIC = Buffer.from('POPV1\n');
const HASH_BYTES = 32;
const NAME = /^([0-9a-f]{64})\.pv$/;

export interface PreviewCacheOptions {
  dir: string;
  /** Bytes on disk at most (default 64 MiB). */
  maxBytes?: number;
  log?: (line: string) => void;
}

export function previewKey(parts: ReadonlyArray<string | number | undefined>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class PreviewCache {
  readonly dir: string;
  readonly maxBytes: number;
  #log: (line: string) => void;
  /** Ours on disk: key → bytes, in order of use (oldest first). */
  #index: Map<string, number> | null = null;
  #loading: Promise<Map<string, number>> | null = null;

  constructor(options: PreviewCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#log = options.log ?? (() => undefined);
  }

  /** The picture stored under `key`, or null (not there, or damaged: then it is removed). */
  async get(key: string): Promise<Uint8Array | null> {
    const index = await this.#load();
    if (!index.has(key)) return null;
    const path = this.#path(key);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      index.delete(key);
      return null;
    }
    const picture = unwrap(data);
    if (!picture) {
      this.#log(`previews: ${key}.pv is damaged; removed`);
      index.delete(key);
      await rm(path, { force: true });
      return null;
    }
    index.delete(key);
    index.set(key, data.length);
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return picture;
  }

  /** Stores a picture, then removes the least recently used ones over the bound. */
  async put(key: string, picture: Uint8Array): Promise<void> {
    const index = await this.#load();
    const data = Buffer.concat([MAGIC, createHash('sha256').update(picture).digest(), picture]);
    if (data.length > this.maxBytes) return;
    await mkdir(this.dir, { recursive: true });
    // A cache needs no flush to the disk: a lost file is fetched again (the hash rejects a torn one).
    await writeFileAtomic({ root: this.dir, path: `${key}.pv` }, data, { durable: false });
    index.delete(key);
    index.set(key, data.length);
    let total = [...index.values()].reduce((a, b) => a + b, 0);
    for (const [old, bytes] of index) {
      if (total <= this.maxBytes) break;
      index.delete(old);
      total -= bytes;
      await rm(this.#path(old), { force: true });
    }
  }

  /** Bytes of ours on disk (for tests and status). */
  async size(): Promise<number> {
    return [...(await this.#load()).values()].reduce((a, b) => a + b, 0);
  }

  #path(key: string): string {
    return join(this.dir, `${key}.pv`);
  }

  #load(): Promise<Map<string, number>> {
    if (this.#index) return Promise.resolve(this.#index);
    this.#loading ??= this.#scan().then((index) => (this.#index = index));
    return this.#loading;
  }

  /** Our files, oldest use first (by modification time: a use touches the file). */
  async #scan(): Promise<Map<string, number>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return new Map();
    }
    const found: Array<{ key: string; bytes: number; used: number }> = [];
    for (const name of names) {
      const key = NAME.exec(name)?.[1];
      if (!key) continue; // not ours: never read, counted or removed
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (info?.isFile()) found.push({ key, bytes: info.size, used: info.mtimeMs });
    }
    found.sort((a, b) => a.used - b.used);
    return new Map(found.map((f) => [f.key, f.bytes]));
  }
}

function unwrap(data: Buffer): Uint8Array | null {
  if (data.length < MAGIC.length + HASH_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const hash = data.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const picture = data.subarray(MAGIC.length + HASH_BYTES);
  if (!createHash('sha256').update(picture).digest().equals(hash)) return null;
  return new Uint8Array(picture.buffer, picture.byteOffset, picture.byteLength);
}
