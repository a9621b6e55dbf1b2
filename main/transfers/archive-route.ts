/**
 * The archive route of a folder download in "files" mode (docs/infomaniak-api.md, "Archives"): a
 * folder of many small files costs about one request per file file by file, but 2–3 requests as one
 * archive (create it, download it, maybe one redirect hop). The walk decides (`chooseRoute`); the run
 * downloads the archive into the app's data folder (`fetchArchive`), unpacks every entry through the
 * same Layout and file writer as a downloaded file (safe names, part + rename, never overwriting),
 * and fetches file by file whatever the archive did not hold. A refused archive (403, 404, a route
 * the server does not offer, an unreadable zip) falls back to the files route.
 */
import { rm } from 'node:fs/promises';
import { AppFailure } from '../../shared/model/errors';
import { ArchiveReader, entrySegments } from './archive-entries';
import type { ArchiveEntry } from './archive-entries';
import { toTransferError } from './errors';
import { removePart, writeItem } from './file-writer';
import type { WriteOptions } from './file-writer';
import type { DownloadFolder, DownloadItem } from './types';

/** A folder that can also come as one archive. */
export interface ArchiveSource {
  /** Creates the archive on the server (one request) and returns how to download it. */
  create(signal: AbortSignal): Promise<NonNullable<DownloadItem['fetch']>>;
  /** Entries start with the folder's own name (an archive of the folder), else they are its children. */
  rooted: boolean;
}

/** Fewer files than this cost less than a minute's budget file by file: no archive. */
export const ARCHIVE_MIN_FILES = 30;
/** Larger files gain little from the archive and resume better one by one. */
export const ARCHIVE_MAX_AVERAGE_BYTES = 2 * 1024 * 1024;
/** The archive is stored once before it is unpacked: keep that bounded. */
export const ARCHIVE_MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** An archive holds at most 20,000 files (docs/infomaniak-api.md). */
export const ARCHIVE_MAX_FILES = 20_000;

export interface PendingFiles {
  /** Files still to write (not finished in an earlier run). */
  files: number;
  /** Their bytes; a file of unknown size counts as ARCHIVE_MAX_AVERAGE_BYTES. */
  bytes: number;
}

export type Route = 'files' | 'archive';

export function chooseRoute(pending: PendingFiles): Route {
  if (pending.files < ARCHIVE_MIN_FILES || pending.files > ARCHIVE_MAX_FILES) return 'files';
  if (pending.bytes > ARCHIVE_MAX_BYTES) return 'files';
  return pending.bytes / pending.files <= ARCHIVE_MAX_AVERAGE_BYTES ? 'archive' : 'files';
}

export function isFileItem(item: DownloadItem | DownloadFolder): item is DownloadItem {
  return Boolean(('fetch' in item && item.fetch) || ('content' in item && item.content));
}

export interface BufferedWalk {
  items: Array<DownloadItem | DownloadFolder>;
  /** False when the walk had more files than an archive may hold (then `rest` goes on). */
  complete: boolean;
  /** Everything, the buffered items first: for the files route. */
  all: AsyncIterable<DownloadItem | DownloadFolder>;
}

/** Reads the walk until its end, or until it has more files than an archive may hold. */
export async function bufferWalk(items: AsyncIterable<DownloadItem | DownloadFolder>): Promise<BufferedWalk> {
  const iterator = items[Symbol.asyncIterator]();
  const buffered: Array<DownloadItem | DownloadFolder> = [];
  let files = 0;
  let complete = false;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    buffered.push(next.value);
    if (isFileItem(next.value) && ++files > ARCHIVE_MAX_FILES) break;
  }
  async function* all(): AsyncIterable<DownloadItem | DownloadFolder> {
    yield* buffered;
    if (complete) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { items: buffered, complete, all: all() };
}

const pathKey = (segments: readonly string[]): string => entrySegments(segments.join('/')).join('/');

/**
 * The walk's files by their path below the folder: an archive entry of that path gives the bytes,
 * while the name, identity (slot key), size and time stay the walk's, exactly as on the files route.
 */
export class EntryMatcher {
  #byPath = new Map<string, DownloadItem[]>();
  #rootName: string;
  #rooted: boolean;

  constructor(files: DownloadItem[], rootName: string, rooted: boolean) {
    this.#rootName = pathKey([rootName]);
    this.#rooted = rooted;
    for (const file of files) {
      const key = pathKey(file.segments.slice(1));
      const list = this.#byPath.get(key) ?? [];
      list.push(file);
      this.#byPath.set(key, list);
    }
  }

  /** The entry's segments below the folder (the folder's own name dropped when entries carry it). */
  below(entry: ArchiveEntry): string[] {
    const segments = entry.segments;
    return this.#rooted && segments.length > 1 && segments[0] === this.#rootName ? segments.slice(1) : segments;
  }

  /** The walk's file for this entry (each file once; duplicates in order). */
  take(entry: ArchiveEntry): DownloadItem | undefined {
    const key = this.below(entry).join('/');
    const list = this.#byPath.get(key);
    const item = list?.shift();
    if (list?.length === 0) this.#byPath.delete(key);
    return item;
  }

  /** The walk's files no entry matched: fetched file by file. */
  left(): DownloadItem[] {
    return [...this.#byPath.values()].flat();
  }
}

/** Errors after which the archive route is not offered here: fall back to the files route. */
export function archiveUnavailable(error: unknown): boolean {
  const appError = toTransferError(error);
  if (appError.code === 'forbidden' || appError.code === 'not_found' || appError.code === 'scope_missing') return true;
  const status = appError.details?.status ?? 0;
  if ([400, 403, 404, 405, 410, 422, 501].includes(status)) return true;
  return appError.code === 'api_error' && status === 0;
}

/** Removes an archive and its part (a stale one from a killed run is never reused: it may be old). */
export async function removeArchive(path: string): Promise<void> {
  await rm(path, { force: true });
  await removePart(path);
}

/**
 * Creates the archive and downloads it to `path` (its own part + sidecar, resumed on a dropped
 * connection like any file), then opens it. The caller closes the reader and removes the file.
 */
export async function fetchArchive(
  source: ArchiveSource,
  path: string,
  options: WriteOptions & { signal: AbortSignal },
): Promise<ArchiveReader> {
  await removeArchive(path);
  const fetch = await source.create(options.signal);
  // No `reallocate`: nothing else writes there, so the name is never taken.
  await writeItem({ segments: ['archive.zip'], size: null, fetch }, path, options);
  return ArchiveReader.open(path);
}

/** What the archive route needs from the transfer run (run.ts). */
export interface ArchiveHost {
  signal: AbortSignal;
  /** Where the archive is stored while it is unpacked (the app's data folder). */
  archivePath: string;
  writer: Omit<WriteOptions, 'signal' | 'events' | 'reallocate'>;
  /** The file is still to write (not finished in an earlier run, not already there). */
  pending(item: DownloadItem): boolean | Promise<boolean>;
  /** The walk's totals, once known. */
  totals(files: number, bytes: number | null): void;
  /** The route taken; `fallback` when the archive was refused after `archive` was reported. */
  route(route: Route, fallback?: boolean): void;
  /** Bytes of the archive received (speed only: files count when they are unpacked). */
  fetched(delta: number): void;
  waiting(ms: number): void;
  /** Hands one item (folder or file) to the run: laid out, then written by the file queue. False once aborted. */
  handle(item: DownloadItem | DownloadFolder): Promise<boolean>;
  /** Settles when every file handed so far is written (or failed). */
  settled(): Promise<void>;
  /** One file failed (the others go on). */
  failed(error: unknown): void;
}

async function* listOf<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

/**
 * Reads the walk, picks the route, and on the archive route unpacks every entry through the host.
 * Returns the items left for the files route: everything (files route), the walk's files the
 * archive did not hold, or, when the archive is refused, the files not yet handed over.
 */
export async function throughArchive(
  job: { name: string; items: AsyncIterable<DownloadItem | DownloadFolder> },
  source: ArchiveSource,
  host: ArchiveHost,
): Promise<AsyncIterable<DownloadItem | DownloadFolder>> {
  const walk = await bufferWalk(job.items);
  const files = walk.items.filter(isFileItem);
  if (walk.complete) {
    const known = files.every((f) => f.size !== null);
    host.totals(files.length, known ? files.reduce((n, f) => n + (f.size ?? 0), 0) : null);
  }
  const pending: DownloadItem[] = [];
  for (const file of files) if (await host.pending(file)) pending.push(file);
  const bytes = pending.reduce((n, f) => n + (f.size ?? ARCHIVE_MAX_AVERAGE_BYTES), 0);
  if (!walk.complete || chooseRoute({ files: pending.length, bytes }) === 'files') {
    host.route('files');
    return walk.all;
  }
  for (const item of walk.items) if (!isFileItem(item) && !(await host.handle(item))) return listOf([]);
  const rootName = walk.items[0]?.segments[0] ?? job.name;
  const matcher = new EntryMatcher(files, rootName, source.rooted);
  const handed = new Set<DownloadItem>();
  try {
    host.route('archive');
    await unpack(source, matcher, rootName, handed, host);
  } catch (error) {
    if (host.signal.aborted || !archiveUnavailable(error)) throw error;
    host.writer.log?.(`transfers: archive route not available (${toTransferError(error).message}); file by file`);
    host.route('files', true);
    return listOf(files.filter((f) => !handed.has(f)));
  }
  return listOf(matcher.left());
}

async function unpack(
  source: ArchiveSource,
  matcher: EntryMatcher,
  rootName: string,
  handed: Set<DownloadItem>,
  host: ArchiveHost,
): Promise<void> {
  const reader = await fetchArchive(source, host.archivePath, {
    ...host.writer,
    signal: host.signal,
    events: { progress: (delta, fresh) => fresh && host.fetched(delta), waiting: (ms) => host.waiting(ms) },
  }).catch(async (error: unknown) => {
    // Cancelled, refused or broken: its part is never reused (a new run creates a new archive).
    await removeArchive(host.archivePath).catch(() => undefined);
    throw error;
  });
  try {
    const seen = new Map<string, number>();
    for await (const entry of reader.entries(host.signal)) {
      if (entry.kind === 'dir') continue;
      if (entry.kind === 'refused' || entry.segments.length === 0) {
        const why = entry.reason ?? 'it has no name';
        host.failed(new AppFailure('integrity', `"${entry.name}" in the archive was not unpacked: ${why}.`));
        continue;
      }
      const known = matcher.take(entry);
      if (known) handed.add(known);
      // An entry the walk did not list gets its own slot, stable across runs (name and occurrence).
      const n = (seen.get(entry.name) ?? 0) + 1;
      seen.set(entry.name, n);
      const item: DownloadItem = known
        ? { ...known, fetch: reader.fetcher(entry) }
        : {
            segments: [rootName, ...matcher.below(entry)],
            key: `archive:${n}:${entry.name}`,
            size: entry.size,
            ...(entry.modifiedAt !== undefined ? { modifiedAt: entry.modifiedAt } : {}),
            fetch: reader.fetcher(entry),
          };
      if (!(await host.handle(item))) break;
    }
    // The entries' writers read from the archive: it stays open until they are done.
    await host.settled();
  } finally {
    reader.close();
    await removeArchive(host.archivePath).catch(() => undefined);
  }
}
