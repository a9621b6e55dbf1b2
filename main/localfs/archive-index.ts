/**
 * The archive route for callers that write files themselves (sync's first run, issue 11): the
 * archive of a folder is downloaded once (archive-route.ts `fetchArchive`), its entries are indexed
 * by their path below the folder (names reduced to safe segments, archive-entries.ts), and a caller
 * swaps the `fetch` of a DownloadItem for the entry's bytes. Everything else stays the caller's:
 * its names, its writer (part + no-replace placement), its records. Links, devices and encrypted
 * entries are never offered.
 */
import type { ArchiveEntry, ArchiveReader } from './archive-entries';
import { entrySegments } from './archive-entries';
import { archiveUnavailable, chooseRoute, fetchArchive, removeArchive } from '../transfers/archive-route';
import type { ArchiveSource } from '../transfers/archive-route';
import type { DownloadItem } from '../transfers/types';

/** Whether `files` new files of `bytes` in all are worth one archive instead of one request each. */
export function worthArchive(files: number, bytes: number): boolean {
  return chooseRoute({ files, bytes }) === 'archive';
}

export class ArchiveIndex {
  #reader: ArchiveReader;
  #path: string;
  #byPath = new Map<string, ArchiveEntry[]>();

  private constructor(reader: ArchiveReader, path: string) {
    this.#reader = reader;
    this.#path = path;
  }

  /**
   * Downloads the archive to `path` and indexes it. Null when the server refuses the archive (the
   * caller fetches file by file); other failures (cancel, network, disk) are thrown.
   */
  static async open(
    source: ArchiveSource,
    path: string,
    options: { signal: AbortSignal; log?: (line: string) => void },
  ): Promise<ArchiveIndex | null> {
    let reader: ArchiveReader;
    try {
      reader = await fetchArchive(source, path, options);
    } catch (error) {
      await removeArchive(path).catch(() => undefined);
      if (options.signal.aborted || !archiveUnavailable(error)) throw error;
      options.log?.('transfers: archive not available; file by file');
      return null;
    }
    const index = new ArchiveIndex(reader, path);
    try {
      const files: ArchiveEntry[] = [];
      for await (const entry of reader.entries(options.signal)) {
        if (entry.kind === 'file' && entry.segments.length > 0) files.push(entry);
      }
      // An archive of the folder itself starts every entry with the folder's name: drop it.
      const first = files[0]?.segments[0];
      const strip =
        source.rooted && first !== undefined && files.every((e) => e.segments.length > 1 && e.segments[0] === first);
      for (const entry of files) {
        const key = (strip ? entry.segments.slice(1) : entry.segments).join('/');
        const list = index.#byPath.get(key) ?? [];
        list.push(entry);
        index.#byPath.set(key, list);
      }
    } catch (error) {
      await index.close();
      if (options.signal.aborted || !archiveUnavailable(error)) throw error;
      return null;
    }
    return index;
  }

  /** The entry's bytes for the file at `segments` (raw names below the folder), each entry once. */
  fetchFor(segments: readonly string[]): DownloadItem['fetch'] | undefined {
    const key = entrySegments(segments.join('/')).join('/');
    const list = this.#byPath.get(key);
    const entry = list?.shift();
    if (list?.length === 0) this.#byPath.delete(key);
    return entry ? this.#reader.fetcher(entry) : undefined;
  }

  /** Closes the archive and removes it (call when every entry's writer is done). */
  async close(): Promise<void> {
    this.#reader.close();
    await removeArchive(this.#path).catch(() => undefined);
  }
}
