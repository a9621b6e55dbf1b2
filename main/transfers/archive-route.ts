/**
 * The archive route of a folder download in "files" mode (docs/infomaniak-api.md, "Archives"): a
 * folder of many small files costs about one request per file file by file, but 2–3 requests as one
 * archive (create it, download it, maybe one redirect hop). The walk decides (`chooseRoute`). The run
 * lays out every file of the walk first and asks about names that are taken (a file the user skips
 * is left out of the archive where the server can leave it out), downloads the archive into the
 * app's data folder (`fetchArchive`), writes each file from its entry through the same file writer
 * as a downloaded file (safe names, part + rename, never overwriting), and fetches on its own
 * whatever the archive did not hold. A refused archive (403, 404, a route the server does not
 * offer, an unreadable zip) falls back to file by file. A selection of many files of one folder
 * comes the same way, in batches (selection-route.ts).
 *
 * Bounded (issue 25.2): only what the walk listed is unpacked, each file at the size the walk
 * announced; an entry of another size, packed like a bomb, a link, or one that cannot be read hands
 * its file to the file's own download; an archive of far more entries than the walk is refused.
 */
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { entryMisfit, entrySegments, maxEntries } from '../localfs/archive-entries';
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

type Fetch = NonNullable<DownloadItem['fetch']>;

/** Files between two reports of a walk being counted (a listing page holds 1000). */
const COUNT_STEP = 1000;

export interface BufferedWalk {
  items: Array<DownloadItem | DownloadFolder>;
  /** False when the walk had more files than an archive may hold (then `rest` goes on). */
  complete: boolean;
  /** Everything, the buffered items first: for the files route. */
  all: AsyncIterable<DownloadItem | DownloadFolder>;
}

/**
 * Reads the walk until its end, or until it has more files than an archive may hold; `counting`
 * learns the files and bytes read so far, every COUNT_STEP files.
 */
export async function bufferWalk(
  items: AsyncIterable<DownloadItem | DownloadFolder>,
  counting?: (files: number, bytes: number) => void,
): Promise<BufferedWalk> {
  const iterator = items[Symbol.asyncIterator]();
  const buffered: Array<DownloadItem | DownloadFolder> = [];
  let files = 0;
  let bytes = 0;
  let complete = false;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    buffered.push(next.value);
    if (!isFileItem(next.value)) continue;
    bytes += next.value.size ?? ARCHIVE_MAX_AVERAGE_BYTES;
    if (++files > ARCHIVE_MAX_FILES) break;
    if (files % COUNT_STEP === 0) counting?.(files, bytes);
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

/** Where a transfer's archive is stored while it is unpacked: `<data>/transfers/<id>.jsonl.zip`. */
export function archiveTarget(journalPath: string): LocalTarget {
  return { root: dirname(journalPath), path: `${basename(journalPath)}.zip` };
}

/** An archive of a transfer (`<id>.jsonl.zip`) and its working files (part, sidecar, temporary sidecar). */
const ARCHIVE_FILE = /\.jsonl\.zip(\.part(\.json(\.tmp)?)?)?$/;

/**
 * Removes the archives that runs killed before their end left in the transfers' folder (up to
 * 4 GiB each), except those of the transfers in `running`. At start, before any run.
 */
export async function sweepArchives(
  dir: string,
  running: ReadonlySet<string>,
  log?: (line: string) => void,
): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => ARCHIVE_FILE.test(name) && !running.has(name.slice(0, name.indexOf('.'))));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  if (stale.length > 0) log?.(`transfers: removed ${stale.length} archive file(s) left by an earlier run`);
}

const pathKey = (segments: readonly string[]): string => entrySegments(segments.join('/')).join('/');

/** A file the run laid out and will write (not finished before, not skipped); `slot` is the run's. */
export interface Prepared {
  item: DownloadItem;
  slot: unknown;
}

/**
 * The files by their path in the archive (`keyOf`): an entry of that path gives the bytes, while
 * the name, identity (slot key), size and time stay the walk's, exactly as on the files route.
 * `root`: the name every entry starts with (an archive of the folder itself), when it does.
 */
export class EntryMatcher {
  #byPath = new Map<string, Prepared[]>();
  #root: string | null;

  constructor(files: Prepared[], keyOf: (item: DownloadItem) => readonly string[], root: string | null) {
    this.#root = root === null ? null : pathKey([root]);
    for (const file of files) {
      const key = pathKey(keyOf(file.item));
      const list = this.#byPath.get(key) ?? [];
      list.push(file);
      this.#byPath.set(key, list);
    }
  }

  /** The entry's segments below what the archive holds (the folder's own name dropped when entries carry it). */
  below(entry: ArchiveEntry): string[] {
    const segments = entry.segments;
    return this.#root !== null && segments.length > 1 && segments[0] === this.#root ? segments.slice(1) : segments;
  }

  /**
   * The file for this entry (each file once; duplicates in order), when the entry's bytes may
   * stand for it (`entryMisfit`); a file whose entry may not stays for its own download.
   */
  take(entry: ArchiveEntry): { file: Prepared; misfit: string | null } | undefined {
    const key = this.below(entry).join('/');
    const list = this.#byPath.get(key);
    const file = list?.[0];
    if (!list || !file) return undefined;
    const misfit = entryMisfit(entry, file.item.size);
    if (misfit !== null) return { file, misfit };
    list.shift();
    if (list.length === 0) this.#byPath.delete(key);
    return { file, misfit };
  }

  /** The files no entry matched: fetched on their own. */
  left(): Prepared[] {
    return [...this.#byPath.values()].flat();
  }
}

/** What the archive routes need from the transfer run (run.ts). */
export interface ArchiveHost {
  signal: AbortSignal;
  /** Where the archive is stored while it is unpacked (in the app's data folder). */
  archive: LocalTarget;
  writer: Omit<WriteOptions, 'signal' | 'events' | 'reallocate'>;
  /** The file is still to write (not finished in an earlier run, not already there). */
  pending(item: DownloadItem, scope: string | undefined): boolean | Promise<boolean>;
  /** The walk's totals, once known. */
  totals(files: number, bytes: number | null): void;
  /** At least this many files (a walk too large for one archive, still going on). */
  counted(files: number): void;
  /** The route taken; `fallback` when the archive was refused after `archive` was reported. */
  route(route: Route, fallback?: boolean): void;
  /** Bytes of the archive received (speed only: files count when they are unpacked). */
  fetched(delta: number): void;
  waiting(ms: number): void;
  /** Archives still to create and download (2 requests each), for the estimate. */
  archives(count: number): void;
  /**
   * Files that are to come from an archive (no request of their own), for the estimate: counted by
   * the route when it picks archives, taken off when a file comes on its own after all.
   */
  planned(count: number): void;
  /** Lays out a folder of the walk. False once aborted. */
  folder(item: DownloadFolder): Promise<boolean>;
  /**
   * Lays out a file and settles a name that is taken (the user's answer): the file to write, or
   * `skipped` (the user's Skip, now or in an earlier run) or `done` (finished before).
   */
  prepare(item: DownloadItem, scope: string | undefined): Promise<Prepared | 'skipped' | 'done'>;
  /**
   * Hands a laid-out file with this fetch to the file queue. False once aborted. A fetch other than
   * the item's own is an archive entry's: the file is no longer `planned` once it is written.
   */
  write(file: Prepared, fetch: Fetch): Promise<boolean>;
  /** Settles when every file handed so far is written (or failed). */
  settled(): Promise<void>;
}

async function* listOf<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

/** Every file laid out (the user asked about taken names): those to write, those skipped. */
export async function prepareAll(
  items: Array<{ item: DownloadItem; scope: string | undefined }>,
  host: ArchiveHost,
): Promise<{ write: Prepared[]; skipped: DownloadItem[] }> {
  const write: Prepared[] = [];
  const skipped: DownloadItem[] = [];
  for (const { item, scope } of items) {
    if (host.signal.aborted) break;
    const prepared = await host.prepare(item, scope);
    if (prepared === 'skipped') skipped.push(item);
    else if (prepared !== 'done') write.push(prepared);
  }
  return { write, skipped };
}

/** Files written from their own download (each one request). False once aborted. */
export async function writeOwn(files: Prepared[], host: ArchiveHost): Promise<boolean> {
  for (const file of files) if (!file.item.fetch || !(await host.write(file, file.item.fetch))) return false;
  return true;
}

/** How the entries of one archive are matched to the files: path keys, the root entries may carry, entry bound. */
export interface Matching {
  keyOf: (item: DownloadItem) => readonly string[];
  root: string | null;
  /** Files and folders the archive should hold. */
  entries: number;
}

/**
 * The files through one archive: each from its entry, or on its own when the archive lacks it or
 * its entry may not stand for it: `archive`. When the archive is refused (a failure another route
 * may get past), the files not yet handed over come on their own (`files`), unless `split` says the
 * refusal asks for smaller archives and none was handed yet (`split`: nothing was written). The
 * caller counted the archive in `host.archives` and its files in `host.planned` (taken off here
 * once it is downloaded or refused, and for each file that comes on its own).
 */
export async function throughOneArchive(
  source: ArchiveSource,
  files: Prepared[],
  matching: Matching,
  host: ArchiveHost,
  split?: (error: unknown) => boolean,
): Promise<'archive' | 'files' | 'split'> {
  const handed = new Set<Prepared>();
  let counted = true;
  const fetched = (): void => {
    if (counted) host.archives(-1);
    counted = false;
  };
  try {
    await unpack(source, files, matching, { handed, fetched }, host);
    return 'archive';
  } catch (error) {
    fetched();
    if (host.signal.aborted || !classify(error).fallback) throw error;
    const rest = files.filter((f) => !handed.has(f));
    host.planned(-rest.length);
    if (handed.size === 0 && split?.(error)) return 'split';
    host.writer.log?.(`transfers: archive route not available (${appErrorFrom(error).message}); file by file`);
    await writeOwn(rest, host);
    return 'files';
  }
}

/**
 * Files mode, a folder that can also come as one archive: reads the walk, picks the route, and on
 * the archive route writes every file through the host. Returns the items left for the files
 * route: everything (files route), or nothing (the archive route wrote them all).
 */
export async function throughArchive(
  job: { name: string; items: AsyncIterable<DownloadItem | DownloadFolder> },
  source: ArchiveSource,
  host: ArchiveHost,
  scope: string | undefined,
): Promise<AsyncIterable<DownloadItem | DownloadFolder>> {
  // While the walk is counted: files too large for an archive will cost a request each, at least.
  const walk = await bufferWalk(job.items, (counted, bytes) => {
    if (bytes / counted > ARCHIVE_MAX_AVERAGE_BYTES) host.counted(counted);
  });
  const files = walk.items.filter(isFileItem);
  if (walk.complete) {
    const known = files.every((f) => f.size !== null);
    host.totals(files.length, known ? files.reduce((n, f) => n + (f.size ?? 0), 0) : null);
  }
  const pending: DownloadItem[] = [];
  for (const file of files) if (await host.pending(file, scope)) pending.push(file);
  const bytes = pending.reduce((n, f) => n + (f.size ?? ARCHIVE_MAX_AVERAGE_BYTES), 0);
  if (!walk.complete || chooseRoute({ files: pending.length, bytes }) === 'files') {
    if (!walk.complete) host.counted(files.length);
    host.route('files');
    return walk.all;
  }
  host.route('archive');
  host.planned(pending.length);
  for (const item of walk.items) if (!isFileItem(item) && !(await host.folder(item))) return listOf([]);
  const { write, skipped } = await prepareAll(
    files.map((item) => ({ item, scope })),
    host,
  );
  host.planned(write.length - pending.length);
  if (host.signal.aborted || write.length === 0) return listOf([]);
  // What the user skipped is left out of the archive where the server can leave it out.
  const archive = (skipped.length > 0 && source.without?.(skipped)) || source;
  const rootName = walk.items[0]?.segments[0] ?? job.name;
  const matching = {
    keyOf: (item: DownloadItem) => item.segments.slice(1),
    root: archive.rooted ? rootName : null,
    entries: walk.items.length,
  };
  host.archives(1);
  if ((await throughOneArchive(archive, write, matching, host)) !== 'archive') host.route('files', true);
  return listOf([]);
}

async function unpack(
  source: ArchiveSource,
  files: Prepared[],
  matching: Matching,
  { handed, fetched }: { handed: Set<Prepared>; fetched: () => void },
  host: ArchiveHost,
): Promise<void> {
  const reader = await fetchArchive(source, host.archive, {
    ...host.writer,
    signal: host.signal,
    events: { progress: (delta, fresh) => fresh && host.fetched(delta), waiting: (ms) => host.waiting(ms) },
    maxEntries: maxEntries(matching.entries),
  }).catch(async (error: unknown) => {
    // Cancelled, refused or broken: its part is never reused (a new run creates a new archive).
    await removeArchive(host.archive).catch(() => undefined);
    throw error;
  });
  fetched();
  const matcher = new EntryMatcher(files, matching.keyOf, matching.root);
  const log = host.writer.log;
  let ignored = 0;
  try {
    for await (const entry of reader.entries(host.signal)) {
      if (entry.kind === 'dir') continue;
      const match = matcher.take(entry);
      // Only what the listing announced is unpacked: anything else is left in the archive.
      if (!match) {
        ignored += 1;
        continue;
      }
      if (match.misfit !== null) {
        log?.(`transfers: "${entry.name}" is not taken from the archive (${match.misfit}); it comes on its own`);
        continue;
      }
      const { file } = match;
      handed.add(file);
      // The entry's bytes, or the file's own download when the archive cannot give them.
      if (!(await host.write(file, reader.fetcher(entry, file.item.fetch)))) return;
    }
    // The files the archive did not hold (or not as listed) come on their own.
    const left = matcher.left();
    for (const file of left) handed.add(file);
    host.planned(-left.length);
    await writeOwn(left, host);
  } finally {
    if (ignored > 0) log?.(`transfers: ${ignored} archive entries were not in the listing; not unpacked`);
    // The entries' writers read from the archive: it stays open until they are done (also when
    // reading the entries failed: the files handed over still come, from it or on their own).
    await host.settled();
    reader.close();
    await removeArchive(host.archive).catch(() => undefined);
  }
}
