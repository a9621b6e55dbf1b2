/**
 * Test support: a fake resumable HTTP resource behind `DownloadItem.fetch`, with Range / If-Range
 * semantics, dropped connections at chosen offsets, pauses, and counters (bytes served, requests,
 * simultaneous bodies). Used by the transfer tests only. And hostile zips written by hand
 * (`writeZip`: the simulator's crafted archives, byte for byte).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { craftZip } from '../../simulator/model/raw-zip';
import type { CraftedEntry } from '../../simulator/model/raw-zip';
import type { DownloadRequest, DownloadResponse } from '../infomaniak/types';
import { targetOf } from './paths';
import type { LocalTarget } from './paths';
import type { DownloadItem } from './types';

export type ReadAt = (offset: number, length: number) => Uint8Array;

export interface FakeSourceOptions {
  etag?: string | null;
  lastModified?: string | null;
  /** Bytes per body chunk. Default 64 KiB. */
  chunkSize?: number;
  /** Whether responses carry the size (Content-Length / Content-Range). Default true. */
  knownLength?: boolean;
  /** Whether Range is honoured at all. Default true. */
  ranges?: boolean;
}

function abortError(): Error {
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

export class FakeSource {
  size: number;
  read: ReadAt;
  etag: string | null;
  lastModified: string | null;
  chunkSize: number;
  knownLength: boolean;
  ranges: boolean;
  /** Absolute offsets where the connection drops (each once). */
  dropAt: number[] = [];
  /** Absolute offsets where the body stalls until aborted or `release()`d (each once). */
  pauseAt: number[] = [];
  /** Delay between chunks, in ms. */
  chunkDelayMs = 0;
  /** Bytes sent in bodies, in total. */
  served = 0;
  requests: Array<{ start?: number; ifRange?: string; status: 200 | 206 }> = [];
  active = 0;
  maxActive = 0;
  #releases: Array<() => void> = [];

  constructor(data: Uint8Array | { size: number; read: ReadAt }, options: FakeSourceOptions = {}) {
    if (data instanceof Uint8Array) {
      this.size = data.byteLength;
      this.read = (offset, length) => data.subarray(offset, offset + length);
    } else {
      this.size = data.size;
      this.read = data.read;
    }
    this.etag = options.etag === undefined ? '"v1"' : options.etag;
    this.lastModified = options.lastModified === undefined ? 'Mon, 01 Jan 2024 00:00:00 GMT' : options.lastModified;
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.knownLength = options.knownLength ?? true;
    this.ranges = options.ranges ?? true;
  }

  /** Replaces the content (a new version on the server). */
  setContent(data: Uint8Array, etag: string, lastModified = 'Tue, 02 Jan 2024 00:00:00 GMT'): void {
    this.size = data.byteLength;
    this.read = (offset, length) => data.subarray(offset, offset + length);
    this.etag = etag;
    this.lastModified = lastModified;
  }

  /**
   * Lets paused bodies go on; a pause no body has reached yet no longer holds (a test that waits for
   * a part file and then releases may come before its body reached the pause: that hung it).
   */
  release(): void {
    this.pauseAt = [];
    for (const release of this.#releases.splice(0)) release();
  }

  fetch = async (
    request: Pick<DownloadRequest, 'start' | 'ifRange' | 'signal' | 'onWait'>,
  ): Promise<DownloadResponse> => {
    const signal = request.signal;
    if (signal?.aborted) throw abortError();
    const start = request.start ?? 0;
    const validatorOk =
      request.ifRange === undefined || request.ifRange === this.etag || request.ifRange === this.lastModified;
    const partial = start > 0 && this.ranges && validatorOk;
    if (partial && start >= this.size) {
      throw Object.assign(new Error('Range Not Satisfiable'), { status: 416 });
    }
    const from = partial ? start : 0;
    const status = partial ? 206 : 200;
    this.requests.push({
      ...(request.start !== undefined ? { start: request.start } : {}),
      ...(request.ifRange !== undefined ? { ifRange: request.ifRange } : {}),
      status,
    });
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    let closed = false;
    let cancelled = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      this.active -= 1;
    };
    const size = this.size;
    const read = this.read;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        let position = from;
        while (position < size) {
          if (signal?.aborted || cancelled) throw abortError();
          const drop = self.dropAt.find((d) => d > from && d <= position);
          if (drop !== undefined) {
            self.dropAt = self.dropAt.filter((d) => d !== drop);
            throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          }
          const pause = self.pauseAt.find((p) => p <= position);
          if (pause !== undefined) {
            self.pauseAt = self.pauseAt.filter((p) => p !== pause);
            await new Promise<void>((resolve, reject) => {
              self.#releases.push(resolve);
              signal?.addEventListener('abort', () => reject(abortError()), { once: true });
            });
          }
          const limits = [
            self.chunkSize,
            size - position,
            ...[...self.dropAt, ...self.pauseAt].filter((d) => d > position).map((d) => d - position),
          ];
          const length = Math.min(...limits);
          const chunk = read(position, length);
          position += length;
          self.served += length;
          yield chunk;
          if (self.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, self.chunkDelayMs));
        }
      } finally {
        close();
      }
    }
    return {
      status,
      totalSize: this.knownLength ? size : null,
      offset: from,
      etag: this.etag,
      lastModified: this.lastModified,
      contentType: 'application/octet-stream',
      body: body(),
      cancel: () => {
        cancelled = true;
        close();
      },
    };
  };

  /** A DownloadItem for this source. */
  item(segments: string[], extra: Partial<DownloadItem> = {}): DownloadItem {
    return { segments, size: this.knownLength ? this.size : null, fetch: this.fetch, ...extra };
  }
}

/**
 * Deterministic pseudo-random content of any size without holding it: 16 random 64 KiB blocks,
 * repeated. Chunks aligned on a block are views of the pool (no copy).
 */
export function patternContent(size: number): { size: number; read: ReadAt } {
  const BLOCK = 64 * 1024;
  const pool = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(BLOCK)));
  const read: ReadAt = (offset, length) => {
    const block = Math.floor(offset / BLOCK);
    const within = offset % BLOCK;
    const source = pool[block % 16] as Uint8Array;
    if (within + length <= BLOCK) return source.subarray(within, within + length);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const piece = (pool[Math.floor(at / BLOCK) % 16] as Uint8Array).subarray(at % BLOCK);
      const n = Math.min(piece.byteLength, length - done);
      out.set(piece.subarray(0, n), done);
      done += n;
    }
    return out;
  };
  return { size, read };
}

/** A test's absolute path as a write target (its folder as the root). */
export function at(path: string): LocalTarget {
  return targetOf(dirname(path), path);
}

/** Writes a hand-made zip (hostile on request: bombs, broken entries, lying sizes; simulator/model/raw-zip.ts). */
export async function writeZip(path: string, entries: CraftedEntry[]): Promise<void> {
  await writeFile(path, craftZip(entries));
}
