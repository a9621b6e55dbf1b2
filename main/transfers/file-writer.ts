/**
 * Writes one DownloadItem to disk: into `<final>.part` with a sidecar `<final>.part.json`, resumed
 * with Range/If-Range after a dropped connection or a restart, verified (size, xxh3) and only then
 * moved into place without ever replacing an existing file.
 *
 * Streaming: the body is consumed chunk by chunk; chunks are batched (≤ 1 MiB) and written with
 * `writev` on one FileHandle while reading goes on (at most 8 MiB queued per file), and a
 * slow disk slows the socket down (backpressure) instead of growing memory. The hash is incremental.
 */
import { createReadStream } from 'node:fs';
import { link, lstat, open, readFile, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import type { IHasher } from 'hash-wasm';
import { AppFailure } from '../../shared/model/errors';
import type { DownloadResponse } from '../infomaniak/types';
import { failure, isTransient, toTransferError } from './errors';
import { MAX_NAME_BYTES, truncateUtf8, utf8Length } from './safe-name';
import type { DownloadItem } from './types';

/** The part of a FileHandle the writer uses; tests inject failing ones (ENOSPC). */
export interface PartHandle {
  writev(buffers: Uint8Array[], position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}
export type OpenPart = (path: string, flags: 'r+' | 'wx') => Promise<PartHandle>;

const defaultOpenPart: OpenPart = async (path, flags) => {
  const handle = await open(path, flags);
  return {
    writev: (buffers, position) => handle.writev(buffers, position),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  };
};

/** What the sidecar `<final>.part.json` holds. */
export interface PartState {
  v: 1;
  etag: string | null;
  lastModified: string | null;
  /** Total size of the resource, when known. */
  size: number | null;
  /** Expected hash (`xxh3:<16 hex>`), when the API gave one. */
  hash: string | null;
  /** Bytes in the part when the sidecar was last written (the part's real size wins on resume). */
  offset: number;
}

export interface PartNames {
  part: string;
  sidecar: string;
  sidecarTmp: string;
}

const PART = '.part';
const SIDECAR = '.part.json';
const SIDECAR_TMP = '.part.json.tmp';

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Names of the working files for a final name. Normally `<name>.part`; a name too long for the
 * suffix gets a shortened, hashed stem so the part name still fits in 255 bytes.
 */
export function partNames(finalName: string): PartNames {
  let stem = finalName;
  if (utf8Length(finalName) + utf8Length(SIDECAR_TMP) > MAX_NAME_BYTES) {
    const tag = `~${fnv1a(finalName)}`;
    stem = truncateUtf8(finalName, MAX_NAME_BYTES - utf8Length(SIDECAR_TMP) - tag.length) + tag;
  }
  return { part: stem + PART, sidecar: stem + SIDECAR, sidecarTmp: stem + SIDECAR_TMP };
}

/** The names that must be free next to a final name (for FolderNames.allocate). */
export function companionNames(finalName: string): string[] {
  const names = partNames(finalName);
  return [names.part, names.sidecar, names.sidecarTmp];
}

function partPaths(finalPath: string): PartNames {
  const dir = dirname(finalPath);
  const names = partNames(basename(finalPath));
  return { part: join(dir, names.part), sidecar: join(dir, names.sidecar), sidecarTmp: join(dir, names.sidecarTmp) };
}

/** Deletes the part and sidecar of a final path (cancel); missing files are fine. */
export async function removePart(finalPath: string): Promise<void> {
  const paths = partPaths(finalPath);
  await Promise.all([paths.part, paths.sidecar, paths.sidecarTmp].map((p) => rm(p, { force: true })));
}

/** The size of the part file, or null when there is none. */
export async function partSize(finalPath: string): Promise<number | null> {
  return sizeOf(partPaths(finalPath).part);
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await lstat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isPartState(value: unknown): value is PartState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const strOrNull = (x: unknown): boolean => x === null || typeof x === 'string';
  const numOrNull = (x: unknown): boolean => x === null || (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0);
  return (
    v.v === 1 &&
    strOrNull(v.etag) &&
    strOrNull(v.lastModified) &&
    numOrNull(v.size) &&
    strOrNull(v.hash) &&
    typeof v.offset === 'number'
  );
}

export async function readPartState(finalPath: string): Promise<PartState | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(partPaths(finalPath).sidecar, 'utf8'));
    return isPartState(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

async function writePartState(paths: PartNames, state: PartState): Promise<void> {
  await writeFile(paths.sidecarTmp, JSON.stringify(state));
  await rename(paths.sidecarTmp, paths.sidecar);
}

const BATCH_BYTES = 1024 * 1024;
const BATCH_COUNT = 256;
/**
 * Written-but-not-yet-on-disk bytes allowed per file. Reading goes on while earlier batches are
 * written, so the socket keeps flowing; past this the reader waits (backpressure to the server).
 * With one batch in flight the reader stalled on every disk write and the server paused with it
 * (measured: the main thread idle ~60% of a 1 GiB download).
 */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** Positional, batched writer on one handle: batches are written in order while the next ones fill. */
class PartFile {
  #handle: PartHandle;
  /** Where the next batch goes. */
  #next: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Bytes handed to writev and not yet written. */
  #queuedBytes = 0;
  #chain: Promise<void> = Promise.resolve();
  #waiters: Array<() => void> = [];
  #error: unknown = null;

  constructor(handle: PartHandle, position: number) {
    this.#handle = handle;
    this.#next = position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    if (chunk.byteLength === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes >= BATCH_BYTES || this.#pending.length >= BATCH_COUNT) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#pendingBytes === 0) return;
    const batch = this.#pending;
    const size = this.#pendingBytes;
    const at = this.#next;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#next = at + size;
    this.#queuedBytes += size;
    this.#chain = this.#chain.then(async () => {
      if (this.#error) return;
      try {
        await writeAll(this.#handle, batch, at);
      } catch (error) {
        this.#error = error;
      } finally {
        this.#queuedBytes -= size;
        for (const wake of this.#waiters.splice(0)) wake();
      }
    });
    while (this.#queuedBytes > MAX_QUEUED_BYTES && !this.#error) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#error) throw this.#error;
  }

  /** Flushes what is pending (unless `discard`) and closes; rethrows a write error. */
  async close(discard = false): Promise<void> {
    try {
      if (discard) {
        this.#pending = [];
        this.#pendingBytes = 0;
      }
      await this.#flush().catch(() => {});
      await this.#chain;
    } finally {
      await this.#handle.close();
    }
    if (this.#error) throw this.#error;
  }
}

async function writeAll(handle: PartHandle, buffers: Uint8Array[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const total = rest.reduce((sum, b) => sum + b.byteLength, 0);
    const { bytesWritten } = await handle.writev(rest, at);
    if (bytesWritten >= total) return;
    if (bytesWritten <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    at += bytesWritten;
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const buffer of rest) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength;
        continue;
      }
      next.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
    rest = next;
  }
}

export interface WriterEvents {
  /**
   * Bytes in this file changed by `delta`: found in an existing part (`fresh` false), received now
   * (`fresh` true) or thrown away because the server restarted from 0 (negative, `fresh` false).
   */
  progress?(delta: number, fresh: boolean): void;
  /** The total size became known (from the item or the response). */
  size?(total: number): void;
  /** A dropped connection is being resumed. */
  resumed?(): void;
}

export interface WriteOptions {
  signal?: AbortSignal;
  events?: WriterEvents;
  /** Consecutive failed attempts (without progress) before giving up. Default 5. */
  maxAttempts?: number;
  /** Delay before the n-th retry (n ≥ 1). Default 250 ms doubling, at most 4 s. */
  retryDelayMs?: (attempt: number) => number;
  openPart?: OpenPart;
  log?: (line: string) => void;
  /**
   * The final name was taken by someone else while downloading: return the next free path (same
   * folder). Without it, such a clash fails with `io`.
   */
  reallocate?: (taken: string) => string | Promise<string>;
}

export interface WriteResult {
  /** Where the file was written (differs from the requested path when that got taken meanwhile). */
  path: string;
  bytes: number;
  /** Dropped connections resumed. */
  resumes: number;
  /** Bytes received over the network for this file in this call. */
  fetched: number;
  /** Bytes reused from an existing part. */
  reused: number;
}

const XXH3 = /^xxh3:([0-9a-f]{16})$/i;

function defaultDelay(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}

function cancelled(): AppFailure {
  return new AppFailure('cancelled', 'Cancelled.');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function hashFile(hasher: IHasher, path: string, length: number): Promise<void> {
  hasher.init();
  if (length === 0) return;
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024 });
  for await (const chunk of stream) hasher.update(chunk as Buffer);
}

/** Where the writer is in one file; shared by the fetch loop and its helpers. */
interface Progress {
  offset: number;
  fetched: number;
  reused: number;
}

/**
 * Downloads (or writes the generated content of) one item to `finalPath`. Resumes from an existing
 * part of ours. Throws AppFailure: `integrity` (part deleted), `disk_full`/`io` (part kept),
 * `network`/`timeout` after the retries (part kept), `cancelled` (part kept: the caller decides).
 */
export async function writeItem(
  item: DownloadItem,
  finalPath: string,
  options: WriteOptions = {},
): Promise<WriteResult> {
  if (options.signal?.aborted) throw cancelled();
  const paths = partPaths(finalPath);
  let state = await readPartState(finalPath);
  const existing = await sizeOf(paths.part);
  if (existing !== null && state === null) {
    throw new AppFailure('io', `A file named "${basename(paths.part)}" is in the way; it was left untouched.`);
  }
  if (state !== null && existing === null) state = null;

  const expectedHash = item.hash && XXH3.test(item.hash) ? item.hash.toLowerCase() : null;
  if (item.hash && !expectedHash) options.log?.(`transfers: unknown hash format, not verified`);
  const hasher = expectedHash ? await createXXHash3() : null;
  hasher?.init();
  const openPart = options.openPart ?? defaultOpenPart;

  try {
    if (item.content) {
      const bytes = await item.content();
      if (options.signal?.aborted) throw cancelled();
      if (state === null) {
        await writePartState(paths, {
          v: 1,
          etag: null,
          lastModified: null,
          size: bytes.byteLength,
          hash: null,
          offset: 0,
        });
      }
      const handle = await openPart(paths.part, state === null ? 'wx' : 'r+');
      await handle.truncate(0).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      const file = new PartFile(handle, 0);
      await file.write(bytes);
      await file.close();
      options.events?.progress?.(bytes.byteLength, true);
      hasher?.update(bytes);
      await verify(item, paths, bytes.byteLength, bytes.byteLength, expectedHash, hasher);
      const path = await placeFinal(item, paths.part, finalPath, options);
      await cleanupSidecar(paths);
      return { path, bytes: bytes.byteLength, resumes: 0, fetched: bytes.byteLength, reused: 0 };
    }
    if (!item.fetch) throw new AppFailure('internal', 'Nothing to download for this item.');
    return await fetchToPart(
      item,
      item.fetch,
      finalPath,
      paths,
      state,
      existing ?? 0,
      expectedHash,
      hasher,
      openPart,
      options,
    );
  } catch (error) {
    const appError = toTransferError(error);
    if (appError.code === 'integrity') await removePart(finalPath).catch(() => undefined);
    throw error instanceof AppFailure ? error : failure(appError);
  }
}

async function fetchToPart(
  item: DownloadItem,
  fetchBody: NonNullable<DownloadItem['fetch']>,
  finalPath: string,
  paths: PartNames,
  initialState: PartState | null,
  existingBytes: number,
  expectedHash: string | null,
  hasher: IHasher | null,
  openPart: OpenPart,
  options: WriteOptions,
): Promise<WriteResult> {
  const { signal, events } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const delay = options.retryDelayMs ?? defaultDelay;
  let state: PartState = initialState ?? {
    v: 1,
    etag: null,
    lastModified: null,
    size: item.size,
    hash: item.hash ?? null,
    offset: 0,
  };
  const progress: Progress = { offset: 0, fetched: 0, reused: 0 };
  let knownSize: number | null = item.size ?? null;
  if (knownSize !== null) events?.size?.(knownSize);

  if (initialState === null) {
    await writePartState(paths, state);
    const handle = await openPart(paths.part, 'wx');
    await handle.close();
  } else {
    // Our own part from before: keep what is there unless it cannot be right.
    const sizeChanged = item.size !== null && initialState.size !== null && item.size !== initialState.size;
    const hashChanged = Boolean(item.hash && initialState.hash && item.hash !== initialState.hash);
    const limit = item.size ?? initialState.size;
    const tooBig = limit !== null && existingBytes > limit;
    if (sizeChanged || hashChanged || tooBig) {
      options.log?.('transfers: the file changed since the part was written; starting over');
      await truncatePart(paths.part, openPart, 0);
      state = { ...state, etag: null, lastModified: null, size: item.size, hash: item.hash ?? null, offset: 0 };
      await writePartState(paths, state);
    } else {
      if (knownSize === null && initialState.size !== null) {
        knownSize = initialState.size;
        events?.size?.(knownSize);
      }
      progress.offset = existingBytes;
      progress.reused = existingBytes;
      if (existingBytes > 0) events?.progress?.(existingBytes, false);
    }
  }
  if (hasher && progress.offset > 0) await hashFile(hasher, paths.part, progress.offset);

  let resumes = 0;
  let failures = 0;
  let unusable = 0;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    const complete = knownSize !== null && progress.offset === knownSize && progress.offset > 0;
    if (complete) break;
    const attemptStart = progress.offset;
    let response: DownloadResponse | null = null;
    let file: PartFile | null = null;
    try {
      const validator = state.etag ?? state.lastModified ?? undefined;
      const request =
        progress.offset > 0
          ? { start: progress.offset, ...(validator ? { ifRange: validator } : {}), ...(signal ? { signal } : {}) }
          : signal
            ? { signal }
            : {};
      try {
        response = await fetchBody(request);
      } catch (error) {
        if (progress.offset > 0 && (error as { status?: unknown }).status === 416) {
          // Range Not Satisfiable: the resource is not longer than what we have.
          if (knownSize !== null) throw new AppFailure('integrity', 'The file on the server is smaller than expected.');
          unusable += 1;
          if (unusable > 2) throw error;
          state = { ...state, etag: null, lastModified: null, size: null, offset: 0 };
          await rewind(0);
          continue;
        }
        throw error;
      }
      const total = response.totalSize;
      if (total !== null && item.size !== null && total !== item.size) {
        throw new AppFailure(
          'integrity',
          'The file changed on the server during the download; retry to get the new version.',
        );
      }
      if (total !== null && knownSize !== total) {
        knownSize = total;
        events?.size?.(total);
      }
      const validatorChanged =
        (state.etag !== null && response.etag !== null && response.etag !== state.etag) ||
        (state.etag === null &&
          state.lastModified !== null &&
          response.lastModified !== null &&
          response.lastModified !== state.lastModified);
      const sizeChanged = state.size !== null && total !== null && total !== state.size;
      let startAt: number;
      if (response.status === 206 && !validatorChanged && !sizeChanged && response.offset <= progress.offset) {
        startAt = response.offset;
      } else if (response.status === 200 || response.offset === 0) {
        startAt = 0;
      } else {
        // A partial answer we cannot use (another version, or past our data): ask for everything.
        response.cancel();
        unusable += 1;
        if (unusable > 2)
          throw new AppFailure('api_error', 'The server answered with a part of the file that was not asked for.');
        state = { ...state, etag: null, lastModified: null, size: null, offset: progress.offset };
        await rewind(0);
        continue;
      }
      if (startAt < progress.offset) await rewind(startAt);
      state = {
        ...state,
        etag: response.etag,
        lastModified: response.lastModified,
        size: knownSize,
        offset: progress.offset,
      };
      await writePartState(paths, state);

      file = new PartFile(await openPart(paths.part, 'r+'), progress.offset);
      for await (const chunk of response.body) {
        if (signal?.aborted) break;
        await file.write(chunk);
        hasher?.update(chunk);
        progress.offset += chunk.byteLength;
        progress.fetched += chunk.byteLength;
        events?.progress?.(chunk.byteLength, true);
        if (knownSize !== null && progress.offset > knownSize) {
          throw new AppFailure('integrity', 'The server sent more data than the file size.');
        }
      }
      const handle = file;
      file = null;
      await handle.close();
      if (signal?.aborted) throw cancelled();
      if (knownSize !== null && progress.offset < knownSize) {
        // The body ended early without an error: a drop all the same.
        throw new AppFailure('network', 'The connection closed before the end of the file.');
      }
      knownSize ??= progress.offset;
      break;
    } catch (error) {
      response?.cancel();
      if (file) await file.close().catch(() => undefined);
      // What is on disk is the truth (a failed write may have landed partly).
      const onDisk = (await sizeOf(paths.part)) ?? 0;
      if (onDisk !== progress.offset) {
        events?.progress?.(onDisk - progress.offset, false);
        progress.offset = onDisk;
        if (hasher) await hashFile(hasher, paths.part, onDisk);
      }
      await writePartState(paths, { ...state, offset: progress.offset }).catch(() => undefined);
      if (signal?.aborted) throw cancelled();
      if (!isTransient(error)) throw error;
      failures = progress.offset > attemptStart ? 1 : failures + 1;
      if (failures >= maxAttempts) throw error;
      resumes += 1;
      events?.resumed?.();
      options.log?.(`transfers: connection dropped at ${progress.offset} bytes; resuming (${resumes})`);
      await sleep(delay(failures), signal);
    }
  }

  await verify(item, paths, progress.offset, knownSize, expectedHash, hasher);
  const path = await placeFinal(item, paths.part, finalPath, options);
  await cleanupSidecar(paths);
  return { path, bytes: progress.offset, resumes, fetched: progress.fetched, reused: progress.reused };

  async function rewind(to: number): Promise<void> {
    await truncatePart(paths.part, openPart, to);
    events?.progress?.(to - progress.offset, false);
    progress.offset = to;
    if (hasher) await hashFile(hasher, paths.part, to);
  }
}

async function truncatePart(path: string, openPart: OpenPart, length: number): Promise<void> {
  const handle = await openPart(path, 'r+');
  try {
    await handle.truncate(length);
  } finally {
    await handle.close();
  }
}

async function verify(
  item: DownloadItem,
  paths: PartNames,
  written: number,
  knownSize: number | null,
  expectedHash: string | null,
  hasher: IHasher | null,
): Promise<void> {
  const expectedSize = item.size ?? knownSize;
  const onDisk = (await sizeOf(paths.part)) ?? -1;
  if ((expectedSize !== null && written !== expectedSize) || onDisk !== written) {
    throw new AppFailure(
      'integrity',
      `The downloaded size (${written} bytes) does not match the expected size (${expectedSize ?? onDisk} bytes).`,
    );
  }
  if (expectedHash && hasher) {
    const actual = `xxh3:${hasher.digest('hex')}`;
    if (actual !== expectedHash) {
      throw new AppFailure('integrity', 'The downloaded file does not match its checksum.');
    }
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES']);

/** Moves the part into place without replacing anything: `link` fails on an existing name. */
async function placeFinal(item: DownloadItem, part: string, finalPath: string, options: WriteOptions): Promise<string> {
  if (item.modifiedAt !== undefined && Number.isFinite(item.modifiedAt)) {
    const mtime = new Date(item.modifiedAt);
    await utimes(part, mtime, mtime).catch(() => undefined);
  }
  let target = finalPath;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const next = async (): Promise<string> => {
      if (!options.reallocate) throw new AppFailure('io', `"${basename(target)}" appeared while downloading.`);
      return options.reallocate(target);
    };
    try {
      await link(part, target);
      await unlink(part);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') {
        target = await next();
        continue;
      }
      if (!NO_HARD_LINKS.has(code)) throw error;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (await exists(target)) {
        target = await next();
        continue;
      }
      await rename(part, target);
      return target;
    }
  }
  throw new AppFailure('io', 'Could not find a free name for the file.');
}

async function cleanupSidecar(paths: PartNames): Promise<void> {
  await Promise.all([rm(paths.sidecar, { force: true }), rm(paths.sidecarTmp, { force: true })]);
}
