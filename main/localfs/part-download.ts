/**
 * Fetches one file into its part: resumes an existing part of ours with Range + If-Range, keeps
 * going after dropped connections, and is the ONLY place that retries a download (the client's
 * byte request makes one attempt): at most `maxAttempts` attempts in a row without progress,
 * waiting at least the server's Retry-After between them.
 */
import { AppFailure, failWith } from '../../shared/model/errors';
import type { DownloadResponse } from '../infomaniak/types';
import { retryAfterOf } from '../errors/app-error';
import { classify } from '../errors/classify';
import { PartFile, truncatePart, writePartState } from './part-files';
import { sizeOf } from './paths';
import type { Bandwidth } from './throttle';
import type { OpenPart, PartNames, PartState } from './part-files';
import type { DownloadItem, WriterEvents } from './types';

export interface PartDownloadOptions {
  signal?: AbortSignal | undefined;
  events?: WriterEvents | undefined;
  maxAttempts: number;
  retryDelayMs: (attempt: number) => number;
  openPart: OpenPart;
  /** The bandwidth limit the body's bytes count against (the app's one limit). */
  bandwidth: Bandwidth;
  log?: ((line: string) => void) | undefined;
}

export interface Downloaded {
  bytes: number;
  knownSize: number | null;
  resumes: number;
  fetched: number;
  reused: number;
}

/** Longest wait honoured from a Retry-After (a server asking for more is asked again later). */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

export function cancelled(): AppFailure {
  return new AppFailure('cancelled', 'Cancelled.');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class PartDownload {
  #item: DownloadItem;
  #fetch: NonNullable<DownloadItem['fetch']>;
  #paths: PartNames;
  #options: PartDownloadOptions;
  #state: PartState;
  #initial: PartState | null;
  #existing: number;
  #knownSize: number | null;
  #offset = 0;
  #fetched = 0;
  #reused = 0;
  #resumes = 0;
  #failures = 0;
  #unusable = 0;

  constructor(
    item: DownloadItem,
    paths: PartNames,
    initial: PartState | null,
    existing: number,
    options: PartDownloadOptions,
  ) {
    if (!item.fetch) throw new AppFailure('internal', 'Nothing to download for this item.');
    this.#item = item;
    this.#fetch = item.fetch;
    this.#paths = paths;
    this.#options = options;
    this.#initial = initial;
    this.#existing = existing;
    this.#knownSize = item.size ?? null;
    this.#state = initial ?? {
      v: 1,
      etag: null,
      lastModified: null,
      size: item.size,
      hash: item.hash ?? null,
      offset: 0,
    };
  }

  async run(): Promise<Downloaded> {
    const { signal } = this.#options;
    await this.#prepare();
    for (;;) {
      if (signal?.aborted) throw cancelled();
      if (this.#knownSize !== null && this.#offset === this.#knownSize && this.#offset > 0) break;
      const attemptStart = this.#offset;
      try {
        if (await this.#attempt()) break;
      } catch (error) {
        await this.#failed(error, attemptStart);
      }
    }
    return {
      bytes: this.#offset,
      knownSize: this.#knownSize,
      resumes: this.#resumes,
      fetched: this.#fetched,
      reused: this.#reused,
    };
  }

  async #prepare(): Promise<void> {
    const { events, openPart, log } = this.#options;
    const item = this.#item;
    const initial = this.#initial;
    if (this.#knownSize !== null) events?.size?.(this.#knownSize);
    if (initial === null) {
      await writePartState(this.#paths, this.#state);
      const handle = await openPart(this.#paths.part, 'wx');
      await handle.close();
      return;
    }
    // Our own part from before: keep what is there unless it cannot be right.
    const sizeChanged = item.size !== null && initial.size !== null && item.size !== initial.size;
    const hashChanged = Boolean(item.hash && initial.hash && item.hash !== initial.hash);
    const limit = item.size ?? initial.size;
    if (sizeChanged || hashChanged || (limit !== null && this.#existing > limit)) {
      log?.('transfers: the file changed since the part was written; starting over');
      await truncatePart(this.#paths.part, openPart, 0);
      this.#state = {
        ...this.#state,
        etag: null,
        lastModified: null,
        size: item.size,
        hash: item.hash ?? null,
        offset: 0,
      };
      await writePartState(this.#paths, this.#state);
      return;
    }
    if (this.#knownSize === null && initial.size !== null) {
      this.#knownSize = initial.size;
      events?.size?.(initial.size);
    }
    this.#offset = this.#existing;
    this.#reused = this.#existing;
    if (this.#existing > 0) events?.progress?.(this.#existing, false);
  }

  /** One request and its body. True when the file is complete; false to ask again at once. */
  async #attempt(): Promise<boolean> {
    const { signal, openPart } = this.#options;
    const response = await this.#request();
    if (!response) return false;
    let file: PartFile | null = null;
    try {
      const startAt = await this.#startAt(response);
      if (startAt === null) return false;
      if (startAt < this.#offset) await this.#rewind(startAt);
      const { etag, lastModified } = response;
      this.#state = { ...this.#state, etag, lastModified, size: this.#knownSize, offset: this.#offset };
      await writePartState(this.#paths, this.#state);
      const handle = await openPart(this.#paths.part, 'r+');
      const sunk = handle.fd === undefined ? null : this.#sink(response, handle.fd);
      file = new PartFile(handle, this.#offset);
      if (sunk) await sunk;
      else {
        for await (const chunk of response.body) {
          if (signal?.aborted) break;
          await file.write(chunk);
          this.#received(chunk.byteLength);
          this.#checkSize();
          // The bandwidth limit: the next chunk is read only when the budget has it (the
          // socket waits meanwhile, so the server slows down too). The download thread's sink
          // spends from the same bucket (direct-worker.mjs).
          await this.#options.bandwidth.take(chunk.byteLength, signal);
        }
      }
      this.#checkSize();
      const open = file;
      file = null;
      await open.close();
    } catch (error) {
      response.cancel();
      if (file) await file.close().catch(() => undefined);
      throw error;
    }
    if (signal?.aborted) throw cancelled();
    if (this.#knownSize !== null && this.#offset < this.#knownSize) {
      // The body ended early without an error: a drop all the same.
      throw failWith('network', 'lost', 'The connection closed before the end of the file.');
    }
    this.#knownSize ??= this.#offset;
    return true;
  }

  /** Body bytes are in the part (written by us or by the sink). */
  #received(bytes: number): void {
    this.#offset += bytes;
    this.#fetched += bytes;
    this.#options.events?.progress?.(bytes, true);
  }

  #checkSize(): void {
    if (this.#knownSize !== null && this.#offset > this.#knownSize) {
      throw failWith('integrity', 'more_data', 'The server sent more data than the file size.');
    }
  }

  /**
   * The body written into the part by the client (the download thread writes it as it
   * arrives), or null when this response cannot do that. Progress comes as running totals.
   */
  #sink(response: DownloadResponse, fd: number): Promise<void> | null {
    let reported = 0;
    const step = (written: number): void => {
      const bytes = written - reported;
      reported = written;
      if (bytes > 0) this.#received(bytes);
    };
    // The thread spends from the same bandwidth limit as the loop above (one bucket, shared memory).
    const sunk = response.sink?.(fd, this.#offset, step, this.#options.bandwidth.shared);
    return sunk ? sunk.then(step) : null;
  }

  /** The response, or null when a 416 made us start over. */
  async #request(): Promise<DownloadResponse | null> {
    const { signal, events } = this.#options;
    const validator = this.#state.etag ?? this.#state.lastModified ?? undefined;
    const request = {
      ...(this.#offset > 0 ? { start: this.#offset, ...(validator ? { ifRange: validator } : {}) } : {}),
      ...(this.#knownSize !== null ? { expectedBytes: Math.max(0, this.#knownSize - this.#offset) } : {}),
      toFile: true,
      ...(signal ? { signal } : {}),
      ...(events?.waiting ? { onWait: (ms: number) => events.waiting?.(ms) } : {}),
    };
    try {
      return await this.#fetch(request);
    } catch (error) {
      if (this.#offset === 0 || (error as { status?: unknown }).status !== 416) throw error;
      // Range Not Satisfiable: the resource is not longer than what we have.
      if (this.#knownSize !== null)
        throw failWith('integrity', 'smaller', 'The file on the server is smaller than expected.');
      this.#unusable += 1;
      if (this.#unusable > 2) throw error;
      this.#state = { ...this.#state, etag: null, lastModified: null, size: null, offset: 0 };
      await this.#rewind(0);
      return null;
    }
  }

  /** Where the response's body starts, or null when it cannot be used (then we ask for everything). */
  async #startAt(response: DownloadResponse): Promise<number | null> {
    const total = response.totalSize;
    if (total !== null && this.#item.size !== null && total !== this.#item.size) {
      throw failWith(
        'integrity',
        'changed_on_server',
        'The file changed on the server during the download; retry to get the new version.',
      );
    }
    if (total !== null && this.#knownSize !== total) {
      this.#knownSize = total;
      this.#options.events?.size?.(total);
    }
    const state = this.#state;
    const validatorChanged =
      (state.etag !== null && response.etag !== null && response.etag !== state.etag) ||
      (state.etag === null &&
        state.lastModified !== null &&
        response.lastModified !== null &&
        response.lastModified !== state.lastModified);
    const sizeChanged = state.size !== null && total !== null && total !== state.size;
    if (response.status === 206 && !validatorChanged && !sizeChanged && response.offset <= this.#offset) {
      return response.offset;
    }
    if (response.status === 200 || response.offset === 0) return 0;
    // A partial answer we cannot use (another version, or past our data): ask for everything.
    response.cancel();
    this.#unusable += 1;
    if (this.#unusable > 2) {
      throw failWith('api_error', 'wrong_range', 'The server answered with a part of the file that was not asked for.');
    }
    this.#state = { ...state, etag: null, lastModified: null, size: null, offset: this.#offset };
    await this.#rewind(0);
    return null;
  }

  /** After a failed attempt: trust the disk, then resume (waiting) or give up. */
  async #failed(error: unknown, attemptStart: number): Promise<void> {
    const { signal, events, log } = this.#options;
    const onDisk = (await sizeOf(this.#paths.part)) ?? 0;
    if (onDisk !== this.#offset) {
      events?.progress?.(onDisk - this.#offset, false);
      this.#offset = onDisk;
    }
    await writePartState(this.#paths, { ...this.#state, offset: this.#offset }).catch(() => undefined);
    if (signal?.aborted) throw cancelled();
    if (!classify(error).retry) throw error;
    this.#failures = this.#offset > attemptStart ? 1 : this.#failures + 1;
    if (this.#failures >= this.#options.maxAttempts) throw error;
    this.#resumes += 1;
    events?.resumed?.();
    log?.(`transfers: download interrupted at ${this.#offset} bytes; trying again (${this.#resumes})`);
    const wait = Math.max(
      this.#options.retryDelayMs(this.#failures),
      Math.min(retryAfterOf(error) ?? 0, MAX_RETRY_AFTER_MS),
    );
    events?.retrying?.(wait);
    await sleep(wait, signal);
  }

  async #rewind(to: number): Promise<void> {
    await truncatePart(this.#paths.part, this.#options.openPart, to);
    this.#options.events?.progress?.(to - this.#offset, false);
    this.#offset = to;
  }
}
