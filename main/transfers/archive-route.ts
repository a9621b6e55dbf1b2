/**
 * The archive route of a folder download in "files" mode (docs/infomaniak-api.md, "Archives"): a
 * folder of many small files costs about one request per file file by file, but 2–3 requests as one
 * archive (create it, download it, maybe one redirect hop). The walk decides (`chooseRoute`); the run
 * downloads the archive into the app's data folder (`fetchArchive`), unpacks every entry through the
 * same Layout and file writer as a downloaded file (safe names, part + rename, never overwriting),
 * and fetches file by file whatever the archive did not hold. A refused archive (403, 404, a route
 * the server does not offer, an unreadable zip) falls back to the files route.
 */
import { failWith } from '../../shared/model/errors';
import { entrySegments } from '../localfs/archive-entries';
import type { ArchiveEntry } from '../localfs/archive-entries';
import {
  ARCHIVE_MAX_AVERAGE_BYTES,
  ARCHIVE_MAX_FILES,
  chooseRoute,
  fetchArchive,
  removeArchive,
} from '../localfs/archive-fetch';
import type { Route } from '../localfs/archive-fetch';
import { appErrorFrom } from '../errors/app-error';
import { classify } from '../errors/classify';
import type { WriteOptions } from '../localfs/file-writer';
import type { LocalTarget } from '../localfs/paths';
import { isFileItem } from '../localfs/types';
import type { ArchiveSource, DownloadFolder, DownloadItem } from '../localfs/types';

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

/** What the archive route needs from the transfer run (run.ts). */
export interface ArchiveHost {
  signal: AbortSignal;
  /** Where the archive is stored while it is unpacked (in the app's data folder). */
  archive: LocalTarget;
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
    if (host.signal.aborted || !classify(error).fallback) throw error;
    host.writer.log?.(`transfers: archive route not available (${appErrorFrom(error).message}); file by file`);
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
  const reader = await fetchArchive(source, host.archive, {
    ...host.writer,
    signal: host.signal,
    events: { progress: (delta, fresh) => fresh && host.fetched(delta), waiting: (ms) => host.waiting(ms) },
  }).catch(async (error: unknown) => {
    // Cancelled, refused or broken: its part is never reused (a new run creates a new archive).
    await removeArchive(host.archive).catch(() => undefined);
    throw error;
  });
  try {
    const seen = new Map<string, number>();
    for await (const entry of reader.entries(host.signal)) {
      if (entry.kind === 'dir') continue;
      if (entry.kind === 'refused' || entry.segments.length === 0) {
        const why = entry.reason ?? 'it has no name';
        host.failed(
          failWith('integrity', 'archive_entry', `"${entry.name}" in the archive was not unpacked: ${why}.`, {
            name: entry.name,
          }),
        );
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
    await removeArchive(host.archive).catch(() => undefined);
  }
}
