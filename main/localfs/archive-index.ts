/**
 * The archive route for callers that write files themselves (sync's first run, issue 11): the
 * archive of a folder is downloaded once (archive-fetch.ts `fetchArchive`), its entries are indexed
 * by their path below the folder (names reduced to safe segments, archive-entries.ts), and a caller
 * swaps the `fetch` of a DownloadItem for the entry's bytes. Everything else stays the caller's:
 * its names, its writer (part + no-replace placement), its records. Links, devices and encrypted
 * entries are never offered.
 */
import type { ArchiveEntry, ArchiveReader } from './archive-entries';
import { entrySegments } from './archive-entries';
import { classify } from '../errors/classify';
import { fetchArchive, removeArchive } from './archive-fetch';
import type { LocalTarget } from './paths';
import type { ArchiveSource, DownloadItem } from './types';

export class ArchiveIndex {
  #reader: ArchiveReader;
  #target: LocalTarget;
  #byPath = new Map<string, ArchiveEntry[]>();

  private constructor(reader: ArchiveReader, target: LocalTarget) {
    this.#reader = reader;
    this.#target = target;
  }

  /**
   * Downloads the archive to the target and indexes it. Null when the server refuses the archive (the
   * caller fetches file by file); other failures (cancel, network, disk) are thrown.
   */
  static async open(
    source: ArchiveSource,
    target: LocalTarget,
    options: { signal: AbortSignal; log?: (line: string) => void },
  ): Promise<ArchiveIndex | null> {
    let reader: ArchiveReader;
    try {
      reader = await fetchArchive(source, target, options);
    } catch (error) {
      await removeArchive(target).catch(() => undefined);
      if (options.signal.aborted || !classify(error).fallback) throw error;
      options.log?.('transfers: archive not available; file by file');
      return null;
    }
    const index = new ArchiveIndex(reader, target);
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
      if (options.signal.aborted || !classify(error).fallback) throw error;
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
    await removeArchive(this.#target).catch(() => undefined);
  }
}
