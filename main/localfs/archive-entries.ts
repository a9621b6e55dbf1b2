/**
 * Reading a downloaded archive (zip) with yauzl, entry by entry, without trusting anything in it.
 * Entry names are decoded by hand (yauzl's own check would fail the whole archive on one bad name)
 * and reduced to plain path segments: `/` and `\` both separate, and empty, `.` and `..` segments and
 * a leading drive (`C:`) are dropped, so no entry can point outside the folder it is unpacked into.
 * The segments are still raw names: the Layout makes them safe for disk (safe-name.ts) and free.
 * Links, devices and encrypted entries are never unpacked. An entry's bytes come as a
 * DownloadResponse, so each file goes through the same part + sidecar + no-replace placement as a
 * downloaded one (file-writer.ts).
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { AppFailure, failWith } from '../../shared/model/errors';
import type { DownloadResponse } from '../infomaniak/types';
import type { DownloadItem } from './types';

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

/** An open archive: entries one at a time (lazily), bytes of one entry on demand, then close(). */
export class ArchiveReader {
  #zip: ZipFile;
  #closed = false;

  private constructor(zip: ZipFile) {
    this.#zip = zip;
  }

  /** Opens a zip file; `api_error` when it is not a readable archive. */
  static async open(path: string): Promise<ArchiveReader> {
    try {
      const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false });
      return new ArchiveReader(zip);
    } catch (error) {
      throw unreadable(error);
    }
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

  /** The entry's bytes as a download answer (always from byte 0: a part is rewritten whole). */
  fetcher(entry: ArchiveEntry): NonNullable<DownloadItem['fetch']> {
    return async (request) => {
      if (request.signal?.aborted) throw new AppFailure('cancelled', 'Cancelled.');
      let stream: Readable;
      try {
        stream = await this.#zip.openReadStreamPromise(entry.entry);
      } catch (error) {
        throw new AppFailure(
          'integrity',
          `"${entry.name}" could not be read from the archive.`,
          {
            step: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
          },
          { reason: 'archive_entry', params: { name: entry.name } },
        );
      }
      // The reader (file writer) sees errors through its iterator; none may go uncaught when it
      // has stopped reading (cancel, a kill).
      stream.on('error', () => undefined);
      const onAbort = (): void => {
        stream.destroy();
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => request.signal?.removeEventListener('abort', onAbort));
      const response: DownloadResponse = {
        status: 200,
        totalSize: entry.size,
        offset: 0,
        etag: null,
        lastModified: null,
        contentType: null,
        body: stream,
        cancel: () => stream.destroy(),
      };
      return response;
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#zip.close();
  }
}
