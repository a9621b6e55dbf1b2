/**
 * Reading a downloaded archive (zip) with yauzl, entry by entry, without trusting anything in it.
 * Entry names are decoded by hand (yauzl's own check would fail the whole archive on one bad name)
 * and reduced to plain path segments: `/` and `\` both separate, and empty, `.` and `..` segments and
 * a leading drive (`C:`) are dropped, so no entry can point outside the folder it is unpacked into.
 * The segments are still raw names: the Layout makes them safe for disk (safe-name.ts) and free.
 * Links, devices and encrypted entries are never unpacked. An entry's bytes come as a
 * DownloadResponse, so each file goes through the same part + sidecar + no-replace placement as a
 * downloaded one (file-writer.ts).
 *
 * Bounds (issue 25.2): an archive is taken only for files a listing announced, so its callers ask
 * `entryFits` before they take an entry (the size the listing announced, a compression ratio a real
 * file has) and open it with `maxEntries` (an entry count a real folder has). An entry that cannot
 * be read (a broken header, broken data, an archive closed early) hands its file to the file's own
 * download (`fetcher`'s `own`), so one bad entry fails nothing that could still come.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { AppFailure, failWith } from '../../shared/model/errors';
import type { DownloadResponse } from '../infomaniak/types';
import { FileRangeReader } from './archive-file';
import type { DownloadItem } from './types';

type Fetch = NonNullable<DownloadItem['fetch']>;

/**
 * No file of a real folder is packed tighter than this (text and logs: 3–50:1). A deflate entry of
 * zeros packs about 1000:1 (a "zip bomb"): such an entry over `RATIO_FROM_BYTES` is not unpacked;
 * its file, when the listing has it, comes on its own.
 */
export const MAX_COMPRESSION_RATIO = 200;
const RATIO_FROM_BYTES = 1024 * 1024;

/**
 * The most entries an archive of a listing of `entries` files and folders may hold (the archive
 * may add a folder entry per folder and its own root): more is no archive of that listing, and
 * reading it would cost memory and time for nothing (a 3 MiB zip of 30,000 entries for a 40-file
 * folder). It is refused whole, and the files come one by one.
 */
export function maxEntries(entries: number): number {
  return 2 * entries + 64;
}

/** One entry of an archive, its name reduced to safe segments. */
export interface ArchiveEntry {
  /** The name as the archive has it (for messages only). */
  name: string;
  /** Path segments with no separators, `.`/`..` or drive letters (may be empty: nothing to write). */
  segments: string[];
  kind: 'file' | 'dir' | 'refused';
  /** Why a `refused` entry is not unpacked. */
  reason?: string;
  size: number;
  /** Modification time in the archive (unix ms), when it has one. */
  modifiedAt?: number;
  entry: Entry;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DRIVE = /^[a-zA-Z]:/;

/** A raw entry name → segments that stay inside the folder they are unpacked into. */
export function entrySegments(name: string): string[] {
  const out: string[] = [];
  for (const [index, part] of name.split(/[/\\]/).entries()) {
    let segment = part;
    // "C:x" or "C:" at the start is a drive (zip readers on Windows take it for an absolute path).
    if (index === 0 && DRIVE.test(segment)) segment = segment.slice(2);
    if (segment === '' || segment === '.' || segment === '..') continue;
    out.push(segment);
  }
  return out;
}

function kindOf(entry: Entry, name: string): Pick<ArchiveEntry, 'kind' | 'reason'> {
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) return { kind: 'refused', reason: 'it is a link; links are never unpacked' };
  if ((entry.generalPurposeBitFlag & 0x1) !== 0) return { kind: 'refused', reason: 'it is encrypted' };
  const dirByName = name.endsWith('/') || name.endsWith('\\');
  if (mode === S_IFDIR || (mode === 0 && dirByName)) return { kind: 'dir' };
  if (mode !== 0 && mode !== S_IFREG) return { kind: 'refused', reason: 'it is not a regular file' };
  return dirByName ? { kind: 'dir' } : { kind: 'file' };
}

function describe(entry: Entry): ArchiveEntry {
  // strictFileNames false: yauzl turns "\" into "/" (and reads the Info-ZIP Unicode path field).
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileName as unknown as Buffer,
    entry.extraFields,
    false,
  );
  const described: ArchiveEntry = {
    name,
    segments: entrySegments(name),
    ...kindOf(entry, name),
    size: entry.uncompressedSize,
    entry,
  };
  const date = entry.getLastModDate();
  if (Number.isFinite(date.getTime())) described.modifiedAt = date.getTime();
  return described;
}

function unreadable(error: unknown): AppFailure {
  const detail = error instanceof Error ? error.message.slice(0, 200) : 'unknown';
  return failWith('api_error', 'archive_unreadable', `The archive from Infomaniak could not be read (${detail}).`, {
    detail,
  });
}

/**
 * Why this entry's bytes are not taken for a file the listing announced with `announced` bytes
 * (null: unknown), or null when they are: a regular file of exactly that size (the same file; a
 * different size means it changed in between), not packed tighter than a real file.
 */
export function entryMisfit(entry: ArchiveEntry, announced: number | null): string | null {
  if (entry.kind !== 'file') return entry.reason ?? 'it is not a file';
  if (announced !== null && entry.size !== announced)
    return `it holds ${entry.size} bytes where the listing said ${announced}`;
  const packed = Math.max(1, entry.entry.compressedSize);
  if (entry.size > RATIO_FROM_BYTES && entry.size / packed > MAX_COMPRESSION_RATIO)
    return `it is packed ${Math.round(entry.size / packed)}:1, tighter than any real file`;
  return null;
}

/** The same request for the whole file (a part written from the archive is never continued from the server). */
function whole(request: Parameters<Fetch>[0]): Parameters<Fetch>[0] {
  const { start, ifRange: _ifRange, expectedBytes, ...rest } = request;
  return expectedBytes === undefined ? rest : { ...rest, expectedBytes: expectedBytes + (start ?? 0) };
}

/** An open archive: entries one at a time (lazily), bytes of one entry on demand, then close(). */
export class ArchiveReader {
  #zip: ZipFile;
  #closed = false;

  private constructor(zip: ZipFile) {
    this.#zip = zip;
    // An error of the zip outside a read (closing the file) must never go uncaught.
    zip.on('error', () => undefined);
  }

  /**
   * Opens a zip file; `api_error` when it is not a readable archive or holds more than
   * `limits.maxEntries` entries (both: another route may get the files).
   */
  static async open(path: string, limits: { maxEntries?: number } = {}): Promise<ArchiveReader> {
    let zip: ZipFile;
    const { reader, size } = await FileRangeReader.open(path).catch((error: unknown) => {
      throw unreadable(error);
    });
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      reader.discard();
      throw unreadable(error);
    }
    const archive = new ArchiveReader(zip);
    const max = limits.maxEntries;
    if (max !== undefined && zip.entryCount > max) {
      archive.close();
      throw unreadable(new Error(`${zip.entryCount} entries, where at most ${max} were expected`));
    }
    return archive;
  }

  get entryCount(): number {
    return this.#zip.entryCount;
  }

  /** Every entry in archive order; stops early when `signal` aborts. */
  async *entries(signal?: AbortSignal): AsyncIterable<ArchiveEntry> {
    const zip = this.#zip;
    for (;;) {
      if (signal?.aborted || this.#closed) return;
      const next = await new Promise<Entry | null>((resolve, reject) => {
        const onEntry = (entry: Entry): void => {
          cleanup();
          resolve(entry);
        };
        const onEnd = (): void => {
          cleanup();
          resolve(null);
        };
        const onError = (error: unknown): void => {
          cleanup();
          reject(unreadable(error));
        };
        const cleanup = (): void => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (next === null) return;
      yield describe(next);
    }
  }

  /**
   * The entry's bytes as a download answer (always from byte 0: a part is rewritten whole). `own`,
   * the file's own download: when the archive cannot give the entry (it is closed, its header or
   * data is broken), the file is fetched on its own instead, whole, and the failure costs nothing
   * else. Without `own`, such an entry fails its file with `integrity`.
   */
  fetcher(entry: ArchiveEntry, own?: Fetch): Fetch {
    let broken = false;
    return async (request) => {
      if (request.signal?.aborted) throw new AppFailure('cancelled', 'Cancelled.');
      if (broken && own) return own(whole(request));
      let stream: Readable;
      try {
        if (this.#closed) throw new Error('the archive is closed');
        stream = await this.#zip.openReadStreamPromise(entry.entry);
      } catch (error) {
        broken = true;
        if (own) return own(whole(request));
        throw new AppFailure(
          'integrity',
          `"${entry.name}" could not be read from the archive.`,
          { step: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
          { reason: 'archive_entry', params: { name: entry.name } },
        );
      }
      return this.#response(entry, stream, request.signal, () => {
        broken = true;
        return own !== undefined;
      });
    };
  }

  /**
   * The answer for one open entry. Its body stops with an error past the entry's size (yauzl
   * checks it too) and when the entry's data is broken: a `network` failure when `onBroken` says
   * the file can still come on its own (the writer tries again and gets it whole), else `integrity`.
   */
  #response(
    entry: ArchiveEntry,
    stream: Readable,
    signal: AbortSignal | undefined,
    onBroken: () => boolean,
  ): DownloadResponse {
    // An error of the entry (yauzl emits its inflate errors on the stream without ending it, maybe
    // before anyone reads) ends the stream, and the reader learns it from the body; none may go
    // uncaught when the reader has stopped reading (cancel, a kill).
    let failure: unknown = null;
    stream.on('error', (error: unknown) => {
      failure ??= error;
      stream.destroy();
    });
    const onAbort = (): void => {
      stream.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => signal?.removeEventListener('abort', onAbort));
    async function* body(): AsyncIterable<Uint8Array> {
      let read = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          read += chunk.byteLength;
          if (read > entry.size) throw new Error(`more than the ${entry.size} bytes announced`);
          yield chunk;
        }
        if (failure !== null) throw failure;
      } catch (caught) {
        if (signal?.aborted) throw new AppFailure('cancelled', 'Cancelled.');
        const error = failure ?? caught;
        const detail = error instanceof Error ? error.message.slice(0, 200) : 'unknown';
        if (onBroken())
          throw new AppFailure('network', `"${entry.name}" could not be read from the archive; it comes on its own.`, {
            step: detail,
          });
        throw new AppFailure(
          'integrity',
          `"${entry.name}" could not be read from the archive.`,
          { step: detail },
          { reason: 'archive_entry', params: { name: entry.name } },
        );
      } finally {
        stream.destroy();
      }
    }
    return {
      status: 200,
      totalSize: entry.size,
      offset: 0,
      etag: null,
      lastModified: null,
      contentType: null,
      body: body(),
      cancel: () => stream.destroy(),
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#zip.close();
  }
}
