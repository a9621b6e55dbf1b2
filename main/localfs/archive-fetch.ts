/**
 * A folder as one archive, fetched to a file of ours (docs/infomaniak-api.md, "Archives"): a folder
 * of many small files costs about one request per file file by file, but 2–3 requests as one
 * archive. The rule for when that is worth it (`chooseRoute`), and the download of the archive
 * through the writer (its own part + sidecar, resumed like any file). Used by the transfers'
 * archive route (main/transfers/archive-route.ts) and by `ArchiveIndex` (sync's first run).
 */
import { rm } from 'node:fs/promises';
import { ArchiveReader } from './archive-entries';
import { writeItem } from './file-writer';
import type { WriteOptions } from './file-writer';
import { removePart } from './part-files';
import { resolveTarget } from './paths';
import type { LocalTarget } from './paths';
import type { ArchiveSource } from './types';

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

/** Whether `files` new files of `bytes` in all are worth one archive instead of one request each. */
export function worthArchive(files: number, bytes: number): boolean {
  return chooseRoute({ files, bytes }) === 'archive';
}

/** Removes an archive and its part (a stale one from a killed run is never reused: it may be old). */
export async function removeArchive(target: LocalTarget): Promise<void> {
  const path = await resolveTarget(target);
  await rm(path, { force: true });
  await removePart(path);
}

/**
 * Creates the archive and downloads it to the target (its own part + sidecar, resumed on a dropped
 * connection like any file), then opens it: an archive of more than `maxEntries` entries is
 * refused (`api_error`: the caller falls back). The caller closes the reader and removes the file.
 */
export async function fetchArchive(
  source: ArchiveSource,
  target: LocalTarget,
  options: WriteOptions & { signal: AbortSignal; maxEntries?: number },
): Promise<ArchiveReader> {
  await removeArchive(target);
  const { maxEntries, ...writeOptions } = options;
  const fetch = await source.create(options.signal);
  // No `reallocate`: nothing else writes there, so the name is never taken.
  const { path } = await writeItem({ segments: ['archive.zip'], size: null, fetch }, target, writeOptions);
  return ArchiveReader.open(path, maxEntries !== undefined ? { maxEntries } : {});
}
