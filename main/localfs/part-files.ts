/**
 * The working files of one download: `<final>.part` (the bytes) and its sidecar `<final>.part.json`
 * (validators, size, offset), their names (shortened when a name is too long for the suffix), and
 * the batched positional writer on the part. Temporary files are created exclusively and the part
 * is opened without following links, so a link planted at one of these names is never written through.
 */
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { readBack } from './read-back';
import { writeFileAtomic } from './atomic';
import { sizeOf } from './paths';
import { stemFor } from './safe-name';

export interface PartHandle {
  /** The OS file descriptor, where there is one: a body may be written into it elsewhere (sink). */
  readonly fd?: number;
  writev(buffers: Uint8Array[], position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}
export type OpenPart = (path: string, flags: 'r+' | 'wx') => Promise<PartHandle>;

/**
 * `wx`: create, failing on anything already there (a planted link included). `r+`: open an existing
 * part without following a link (O_NOFOLLOW where the OS has it).
 */
const FLAGS = {
  wx: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
  'r+': constants.O_RDWR | (constants.O_NOFOLLOW ?? 0),
} as const;

export const defaultOpenPart: OpenPart = async (path, flags) => {
  const handle = await open(path, FLAGS[flags]);
  return {
    fd: handle.fd,
    writev: (buffers, position) => handle.writev(buffers, position),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  };
};

/** What the sidecar `<final>.part.json` holds. */
export interface PartState {
  v: 1;
  etag: string | null;
  lastModified: string | null;
  /** Total size of the resource, when known. */
  size: number | null;
  /** Expected hash (`xxh3:<16 hex>`), when the API gave one. */
  hash: string | null;
  /** Bytes in the part when the sidecar was last written (the part's real size wins on resume). */
  offset: number;
}

export interface PartNames {
  part: string;
  sidecar: string;
  sidecarTmp: string;
}

const PART = '.part';
const SIDECAR = '.part.json';
const SIDECAR_TMP = '.part.json.tmp';

/**
 * Names of the working files for a final name. Normally `<name>.part`; a name too long for the
 * suffix gets a shortened, hashed stem so the part name still fits in 255 bytes.
 */
export function partNames(finalName: string): PartNames {
  const stem = stemFor(finalName, SIDECAR_TMP);
  return { part: stem + PART, sidecar: stem + SIDECAR, sidecarTmp: stem + SIDECAR_TMP };
}

/** The names that must be free next to a final name (for FolderNames.allocate). */
export function companionNames(finalName: string): string[] {
  const names = partNames(finalName);
  return [names.part, names.sidecar, names.sidecarTmp];
}

export function partPaths(finalPath: string): PartNames {
  const dir = dirname(finalPath);
  const names = partNames(basename(finalPath));
  return { part: join(dir, names.part), sidecar: join(dir, names.sidecar), sidecarTmp: join(dir, names.sidecarTmp) };
}

/** Deletes the part and sidecar of a final path (cancel); missing files are fine. */
export async function removePart(finalPath: string): Promise<void> {
  const paths = partPaths(finalPath);
  await Promise.all([paths.part, paths.sidecar, paths.sidecarTmp].map((p) => rm(p, { force: true })));
}

/** The size of the part file, or null when there is none. */
export async function partSize(finalPath: string): Promise<number | null> {
  return sizeOf(partPaths(finalPath).part);
}

const partStateSchema = z.object({
  v: z.literal(1),
  etag: z.string().max(1024).nullable(),
  lastModified: z.string().max(200).nullable(),
  size: z.number().int().nonnegative().nullable(),
  hash: z.string().max(200).nullable(),
  offset: z.number().int().nonnegative(),
}) satisfies z.ZodType<PartState>;

/**
 * The sidecar of a part, read back: one that is damaged or of another shape counts as none (the
 * download starts again from byte 0, never resumes against validators it cannot trust).
 */
export async function readPartState(
  finalPath: string,
  log: (line: string) => void = () => undefined,
): Promise<PartState | null> {
  return readBack(partPaths(finalPath).sidecar, partStateSchema, log);
}

/**
 * Writes the sidecar with the one atomic write (atomic.ts) through its reserved temporary name,
 * without flushing (the part it describes is not flushed either). Its folder is the final file's,
 * which the writer resolved inside its root.
 */
export async function writePartState(paths: PartNames, state: PartState): Promise<void> {
  const target = { root: dirname(paths.sidecar), path: basename(paths.sidecar) };
  await writeFileAtomic(target, JSON.stringify(state), { durable: false, tmpName: basename(paths.sidecarTmp) });
}

export async function truncatePart(path: string, openPart: OpenPart, length: number): Promise<void> {
  const handle = await openPart(path, 'r+');
  try {
    await handle.truncate(length);
  } finally {
    await handle.close();
  }
}

export async function cleanupSidecar(paths: PartNames): Promise<void> {
  await Promise.all([rm(paths.sidecar, { force: true }), rm(paths.sidecarTmp, { force: true })]);
}

/**
 * Pending bytes (or chunks) that start a write when none is in flight. Small, so the disk side
 * starts early and stays busy alongside the network; under load the writes grow by themselves
 * (group commit). The 1 GiB bench: 128–256 KiB did better than 1 MiB (bench/README.md, issue 9).
 */
const BATCH_BYTES = 256 * 1024;
const BATCH_COUNT = 256;
/**
 * Pending plus in-flight bytes allowed per file. Reading goes on while a write is in flight, so the
 * socket keeps flowing; past this the reader waits (backpressure to the server).
 */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * Positional writer on one handle with group commit: one write in flight at a time, and when it
 * ends, everything that arrived meanwhile goes out as the next write. On a busy machine each write
 * waits for a thread-pool thread; with fixed 1 MiB writes queued one after another that wait came
 * once per MiB (the 1 GiB bench: the writer busy for ~85 % of the download, the reader waiting on it
 * half the time). With group commit the writes grow while the disk side lags, so the waits come
 * less often. Writes stay in file order, so the part's size always ends where its bytes end.
 */
export class PartFile {
  #handle: PartHandle;
  /** Where the pending bytes go. */
  #next: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** The write in flight, if any. */
  #writing: Promise<void> | null = null;
  #inFlightBytes = 0;
  #waiters: Array<() => void> = [];
  #error: unknown = null;

  constructor(handle: PartHandle, position: number) {
    this.#handle = handle;
    this.#next = position;
  }

  /** Queues a chunk; waits while more than MAX_QUEUED_BYTES are not on disk yet. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    if (chunk.byteLength === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (!this.#writing && this.#batchReady()) this.#start();
    while (this.#pendingBytes + this.#inFlightBytes > MAX_QUEUED_BYTES && !this.#error) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#error) throw this.#error;
  }

  #batchReady(): boolean {
    return this.#pendingBytes >= BATCH_BYTES || this.#pending.length >= BATCH_COUNT;
  }

  /** Writes everything pending as one write. */
  #start(): void {
    const batch = this.#pending;
    const size = this.#pendingBytes;
    const at = this.#next;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#next = at + size;
    this.#inFlightBytes = size;
    this.#writing = (async () => {
      try {
        await writeAll(this.#handle, batch, at);
      } catch (error) {
        this.#error ??= error;
      } finally {
        this.#inFlightBytes = 0;
        this.#writing = null;
        if (!this.#error && this.#batchReady()) this.#start();
        for (const wake of this.#waiters.splice(0)) wake();
      }
    })();
  }

  /** Writes what is pending (unless `discard`) and closes; rethrows a write error. */
  async close(discard = false): Promise<void> {
    try {
      if (discard) {
        this.#pending = [];
        this.#pendingBytes = 0;
      }
      for (;;) {
        if (this.#writing) await this.#writing;
        else if (this.#pendingBytes > 0 && !this.#error) this.#start();
        else break;
      }
    } finally {
      await this.#handle.close();
    }
    if (this.#error) throw this.#error;
  }
}

async function writeAll(handle: PartHandle, buffers: Uint8Array[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const total = rest.reduce((sum, b) => sum + b.byteLength, 0);
    const { bytesWritten } = await handle.writev(rest, at);
    if (bytesWritten >= total) return;
    if (bytesWritten <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    at += bytesWritten;
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const buffer of rest) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength;
        continue;
      }
      next.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
    rest = next;
  }
}
