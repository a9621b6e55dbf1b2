/**
 * A selection of many files of one folder (Ctrl+A in a folder of 20,000, then Download) comes as
 * archives, as a folder does (archive-route.ts, issue 22.3): `POST …/files/archives` with the files'
 * ids, in batches the server accepts (at most ARCHIVE_BATCH_FILES files, ARCHIVE_MAX_BYTES each;
 * docs/infomaniak-api.md, "Archives"), 2–3 requests per batch instead of one per file (hours at 60
 * requests a minute). Every file is laid out and asked about first (a file the user skips is not
 * in any archive), then written from its entry through the same file writer, never overwriting;
 * what an archive lacks, or a refused batch, comes file by file.
 */
import {
  ARCHIVE_MAX_AVERAGE_BYTES,
  ARCHIVE_MAX_BYTES,
  ARCHIVE_MAX_FILES,
  ARCHIVE_MIN_FILES,
} from '../localfs/archive-fetch';
import { appErrorFrom } from '../errors/app-error';
import type { ArchiveGroup, DownloadItem } from '../localfs/types';
import { prepareAll, throughOneArchive, writeOwn } from './archive-route';
import type { ArchiveHost, Prepared } from './archive-route';
import { ARCHIVE_REQUESTS } from './estimate';
import type { DownloadJob } from './types';

/** Files per archive: the server's limit ("at most 20,000 files", docs/infomaniak-api.md). */
export const ARCHIVE_BATCH_FILES = ARCHIVE_MAX_FILES;
/** The server's answer to a batch it finds too large: the batch is split in two and asked again. */
const TOO_MANY_FILES = 'too_many_files_error';

/** A selected file that may come in an archive with the others of its folder. */
export interface SelectedFile {
  job: DownloadJob;
  item: DownloadItem;
  scope: string;
  group: ArchiveGroup;
}

const sizeOf = (item: DownloadItem): number => item.size ?? ARCHIVE_MAX_AVERAGE_BYTES;

/** Many small files: worth archives (the folder rule of archive-fetch.ts, without its file cap: batches). */
function worthArchives(files: number, bytes: number): boolean {
  return files >= ARCHIVE_MIN_FILES && bytes / files <= ARCHIVE_MAX_AVERAGE_BYTES;
}

/** The files of a selection by folder, in selection order, until the selection is resolved. */
export class SelectionGroups {
  #groups = new Map<string, SelectedFile[]>();

  /** Takes a file job of a selection that may come in an archive (true), else leaves it (false). */
  async add(job: DownloadJob, scope: string): Promise<boolean> {
    if (!job.group || job.kind !== 'file') return false;
    const items: DownloadItem[] = [];
    for await (const item of job.items) if ('fetch' in item && item.fetch) items.push(item as DownloadItem);
    const [item] = items;
    if (items.length !== 1 || !item) throw new Error('A file job has one item.');
    const list = this.#groups.get(job.group.key) ?? [];
    list.push({ job, item, scope, group: job.group });
    this.#groups.set(job.group.key, list);
    return true;
  }

  /** Takes the next group out (selection order). */
  next(): SelectedFile[] | undefined {
    const [key, files] = this.#groups.entries().next().value ?? [];
    if (key !== undefined) this.#groups.delete(key);
    return files;
  }

  /** Requests the files taken so far will cost (for the estimate). */
  requests(): number {
    let n = 0;
    for (const files of this.#groups.values()) {
      const bytes = files.reduce((sum, f) => sum + sizeOf(f.item), 0);
      n += worthArchives(files.length, bytes)
        ? Math.ceil(files.length / ARCHIVE_BATCH_FILES) * ARCHIVE_REQUESTS
        : files.length;
    }
    return n;
  }
}

/** Batches of at most ARCHIVE_BATCH_FILES files and ARCHIVE_MAX_BYTES, in order. */
export function batchesOf<T extends { item: DownloadItem }>(files: T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = sizeOf(file.item);
    if (batch.length > 0 && (batch.length >= ARCHIVE_BATCH_FILES || bytes + size > ARCHIVE_MAX_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * One folder's selected files: as archives when there are many small ones still to write (then
 * every file is written here and nothing is returned), else returned for file by file.
 */
export async function selectionThroughArchives(files: SelectedFile[], host: ArchiveHost): Promise<SelectedFile[]> {
  const pending: SelectedFile[] = [];
  for (const file of files) if (await host.pending(file.item, file.scope)) pending.push(file);
  const first = files[0];
  if (
    !first ||
    !worthArchives(
      pending.length,
      pending.reduce((n, f) => n + sizeOf(f.item), 0),
    )
  )
    return files;
  host.route('archive');
  host.planned(pending.length);
  const ids = new Map(files.map((f) => [f.item, f.group.id]));
  const { write } = await prepareAll(files, host);
  host.planned(write.length - pending.length);
  const batches = batchesOf(write);
  host.archives(batches.filter((b) => b.length >= ARCHIVE_MIN_FILES).length);
  let used = false;
  for (const batch of batches) {
    if (host.signal.aborted) break;
    if (batch.length < ARCHIVE_MIN_FILES) {
      host.planned(-batch.length);
      if (!(await writeOwn(batch, host))) break;
      continue;
    }
    used = (await throughBatch(first.group, batch, ids, host)) || used;
  }
  if (!used) host.route('files', true);
  return [];
}

/** One batch; one the server finds too large is split in two (each asked on its own). */
async function throughBatch(
  group: ArchiveGroup,
  batch: Prepared[],
  ids: Map<DownloadItem, number>,
  host: ArchiveHost,
): Promise<boolean> {
  const source = group.archive(batch.map((f) => ids.get(f.item) as number));
  const matching = { keyOf: (item: DownloadItem) => item.segments, root: null, entries: batch.length };
  const outcome = await throughOneArchive(source, batch, matching, host, (error) => {
    return appErrorFrom(error).details?.apiCode === TOO_MANY_FILES && batch.length >= 2 * ARCHIVE_MIN_FILES;
  });
  if (outcome !== 'split') return outcome === 'archive';
  host.writer.log?.(`transfers: the server refused an archive of ${batch.length} files; asking for two halves`);
  const half = Math.ceil(batch.length / 2);
  host.archives(2);
  host.planned(batch.length);
  const usedA = await throughBatch(group, batch.slice(0, half), ids, host);
  const usedB = await throughBatch(group, batch.slice(half), ids, host);
  return usedA || usedB;
}
