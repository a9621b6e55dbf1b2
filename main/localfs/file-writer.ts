/**
 * Writes one DownloadItem to disk: into `<final>.part` with a sidecar `<final>.part.json`, resumed
 * with Range/If-Range after a dropped connection or a restart, checked (size always; a content hash
 * only where it is known to be plain, and a mismatch never fails or deletes the file) and only then
 * moved into place without ever replacing an existing file.
 *
 * Streaming: the body is consumed chunk by chunk; chunks are batched (≤ 1 MiB) and written with
 * `writev` on one FileHandle while reading goes on (at most 8 MiB queued per file), and a slow disk
 * slows the socket down (backpressure) instead of growing memory. No hashing on the byte path.
 */
import { basename } from 'node:path';
import { AppFailure } from '../../shared/model/errors';
import { appErrorFrom, failure } from '../errors/app-error';
import { copyIntoPart } from './local-copy';
import { PartDownload, cancelled } from './part-download';
import {
  PartFile,
  cleanupSidecar,
  defaultOpenPart,
  partPaths,
  readPartState,
  removePart,
  writePartState,
} from './part-files';
import type { OpenPart, PartNames, PartState } from './part-files';
import { resolveTarget, sizeOf } from './paths';
import type { LocalTarget } from './paths';
import { placeFinal, verifyHash, verifySize } from './placement';
import { markDownloaded } from './mark-of-web';
import type { Verified } from './placement';
import { appBandwidth } from './throttle';
import type { Bandwidth } from './throttle';
import type { DownloadItem, WriterEvents } from './types';

export { companionNames, partNames, partSize, readPartState, removePart } from './part-files';
export type { LocalTarget } from './paths';
export type { WriterEvents } from './types';
export type { OpenPart, PartHandle, PartNames, PartState } from './part-files';
export type { Verified } from './placement';

export interface WriteOptions {
  signal?: AbortSignal;
  events?: WriterEvents;
  /** Attempts in a row without progress before giving up (the only download retries). Default 5. */
  maxAttempts?: number;
  /** Delay before the n-th retry (n ≥ 1), at least the server's Retry-After. Default 250 ms doubling, at most 4 s. */
  retryDelayMs?: (attempt: number) => number;
  openPart?: OpenPart;
  /** The bandwidth limit the downloaded bytes count against; default the app's one limit (throttle.ts). */
  bandwidth?: Bandwidth;
  log?: (line: string) => void;
  /**
   * The final name was taken by someone else while downloading: return the next free path (same
   * folder, absolute; it is resolved inside the target's root). Without it, such a clash fails with `io`.
   */
  reallocate?: (taken: string) => string | Promise<string>;
}

export interface WriteResult {
  /** Where the file was written (differs from the requested path when that got taken meanwhile). */
  path: string;
  bytes: number;
  /** Dropped connections resumed. */
  resumes: number;
  /** Bytes received over the network for this file in this call. */
  fetched: number;
  /** Bytes reused from an existing part. */
  reused: number;
  /** `size+hash` only where a plain server hash matched. */
  verified: Verified;
}

function defaultDelay(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}

/**
 * Downloads (or writes the generated content of) one item to the target (a path below a root it
 * must stay inside). Resumes from an existing part of ours. Throws AppFailure: `integrity` for a
 * wrong size (part deleted), `disk_full`/`io` (part kept), `network`/`timeout`/`rate_limited` after
 * the attempts (part kept), `cancelled` (part kept: the caller decides).
 */
export async function writeItem(
  item: DownloadItem,
  target: LocalTarget,
  options: WriteOptions = {},
): Promise<WriteResult> {
  if (options.signal?.aborted) throw cancelled();
  const finalPath = await resolveTarget(target);
  const paths = partPaths(finalPath);
  let state = await readPartState(finalPath, options.log);
  const existing = await sizeOf(paths.part);
  if (existing !== null && state === null) {
    throw new AppFailure(
      'io',
      `A file named "${basename(paths.part)}" is in the way; it was left untouched.`,
      undefined,
      { reason: 'part_in_way', params: { name: basename(paths.part) } },
    );
  }
  if (state !== null && existing === null) state = null;
  const openPart = options.openPart ?? defaultOpenPart;
  try {
    const copy = item.localCopy ? await item.localCopy().catch(() => null) : null;
    const copied = copy ? await copyIntoPart(copy, item, paths, state, { ...options, openPart }) : null;
    const written =
      copied ??
      (item.content
        ? await writeContent(item.content, paths, state, openPart, options)
        : await new PartDownload(item, paths, state, existing ?? 0, {
            signal: options.signal,
            events: options.events,
            maxAttempts: options.maxAttempts ?? 5,
            retryDelayMs: options.retryDelayMs ?? defaultDelay,
            openPart,
            bandwidth: options.bandwidth ?? appBandwidth(),
            log: options.log,
          }).run());
    // Checked again once the bytes are in: a folder on the way swapped for a link meanwhile is refused
    // before anything is read, marked, placed or removed through it.
    await resolveTarget(target);
    await verifySize(paths.part, written.bytes, item.size ?? written.knownSize);
    const verified = await verifyHash(item, paths.part, written.bytes, options.log);
    // Mark-of-the-Web on the part, before placing sets its mtime; the mark moves with the file. Never fails.
    await markDownloaded(paths.part, { origin: item.origin, log: options.log });
    const path = await placeFinal(item, paths.part, target.root, finalPath, options.reallocate);
    await cleanupSidecar(paths);
    const { bytes, resumes, fetched, reused } = written;
    return { path, bytes, resumes, fetched, reused, verified };
  } catch (error) {
    const appError = appErrorFrom(error);
    if (appError.code === 'integrity') {
      await resolveTarget(target)
        .then(removePart)
        .catch(() => undefined);
    }
    throw error instanceof AppFailure ? error : failure(appError);
  }
}

/** Content generated in main (.ics, .vcf): written whole, through the same part. */
async function writeContent(
  content: () => Promise<Uint8Array>,
  paths: PartNames,
  state: PartState | null,
  openPart: OpenPart,
  options: WriteOptions,
): Promise<{ bytes: number; knownSize: number; resumes: number; fetched: number; reused: number }> {
  const bytes = await content();
  if (options.signal?.aborted) throw cancelled();
  if (state === null) {
    await writePartState(paths, {
      v: 1,
      etag: null,
      lastModified: null,
      size: bytes.byteLength,
      hash: null,
      offset: 0,
    });
  }
  const handle = await openPart(paths.part, state === null ? 'wx' : 'r+');
  await handle.truncate(0).catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  const file = new PartFile(handle, 0);
  await file.write(bytes);
  await file.close();
  options.events?.progress?.(bytes.byteLength, true);
  await (options.bandwidth ?? appBandwidth()).take(bytes.byteLength, options.signal);
  const size = bytes.byteLength;
  return { bytes: size, knownSize: size, resumes: 0, fetched: size, reused: 0 };
}
