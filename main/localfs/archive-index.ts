/**
 * The archive route for callers that write files themselves (sync's first run, issue 11): the
 * archive of a folder is downloaded once (archive-fetch.ts `fetchArchive`), its entries are indexed
 * by their path below the folder (names reduced to safe segments, archive-entries.ts), and a caller
 * swaps the `fetch` of a DownloadItem for the entry's bytes. Everything else stays the caller's:
 * its names, its writer (part + no-replace placement), its records.
 *
 * Bounded (issue 25.2): only the files the caller's listing wants are indexed, each only when its
 * entry holds the size the listing announced and is packed like a real file (`entryMisfit`: links,
 * devices, encrypted entries and bombs never are); an archive of far more entries than the listing
 * is refused. An entry that cannot be read gives way to the item's own download.
 */
import type { ArchiveEntry, ArchiveReader } from './archive-entries';
import { entryMisfit, entrySegments, maxEntries } from './archive-entries';
import { classify } from '../errors/classify';
import { fetchArchive, removeArchive } from './archive-fetch';
import type { LocalTarget } from './paths';
import type { ArchiveSource, DownloadItem } from './types';

const pathKey = (segments: readonly string[]): string => entrySegments(segments.join('/')).join('/');

export class ArchiveIndex {
  #reader: ArchiveReader;
  #target: LocalTarget;
  #byPath = new Map<string, ArchiveEntry[]>();

  private constructor(reader: ArchiveReader, target: LocalTarget) {
    this.#reader = reader;
    this.#target = target;
  }

  /**
   * Downloads the archive to the target and indexes the entries of the files `wanted` (raw names
   * below the folder, and the size the listing announced; `entries`: files and folders the listing
   * holds). Null when the server refuses the archive or it is no archive of that listing
   * (the caller fetches file by file); other failures (cancel, network, disk) are thrown.
   */
  static async open(
    source: ArchiveSource,
    target: LocalTarget,
    wanted: { files: Iterable<{ segments: readonly string[]; size: number | null }>; entries: number },
    options: { signal: AbortSignal; log?: (line: string) => void },
  ): Promise<ArchiveIndex | null> {
    let reader: ArchiveReader;
    try {
      reader = await fetchArchive(source, target, { ...options, maxEntries: maxEntries(wanted.entries) });
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
      const sizes = new Map([...wanted.files].map((file) => [pathKey(file.segments), file.size]));
      for (const entry of files) {
        const key = (strip ? entry.segments.slice(1) : entry.segments).join('/');
        const size = sizes.get(key);
        // Only the listing's files, at the listing's size (a file that changed meanwhile, a bomb
        // or a link comes on its own); everything else stays in the archive.
        if (size === undefined || entryMisfit(entry, size) !== null) continue;
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

  /**
   * The entry's bytes for the file at `segments` (raw names below the folder), each entry once;
   * when the archive cannot give them after all, the item's own download (`item.fetch`).
   */
  fetchFor(segments: readonly string[], item: DownloadItem): DownloadItem['fetch'] | undefined {
    const key = pathKey(segments);
    const list = this.#byPath.get(key);
    const entry = list?.shift();
    if (list?.length === 0) this.#byPath.delete(key);
    return entry ? this.#reader.fetcher(entry, item.fetch) : undefined;
  }

  /** Closes the archive and removes it (call when every entry's writer is done). */
  async close(): Promise<void> {
    this.#reader.close();
    await removeArchive(this.#target).catch(() => undefined);
  }
}
