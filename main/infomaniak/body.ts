/**
 * Body guards: size, stall, deadline and decompression.
 *
 * - Download bodies (undici `request`, Node streams): Content-Encoding undone as fetch would
 *   (`decoded`), then read through `GuardedBody`: a stall watchdog (no byte for `stallMs` while the
 *   reader waits: kind `timeout`), cancellation (`cancelled`), a connection lost mid-body
 *   (`network`), corrupt compressed data (`decode`). Each step hands out everything buffered (up
 *   to the stream's 1 MiB high-water mark), so a busy reader gets fewer, larger chunks.
 * - JSON and probe bodies (fetch, WHATWG streams, inflated by fetch): `readText` adds a size cap
 *   (kind `decode`), the stall watchdog and an overall deadline (kind `timeout`): a body trickling
 *   one byte a second fails at the deadline instead of never ending.
 */
import { pipeline, type Readable, type Transform } from 'node:stream';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Call, CallContext } from './call';
import { InfomaniakError, type InfomaniakErrorInit } from './errors';
import { SinkError } from './direct-wire';
import { classifyNetworkCode, networkCode } from './network-errors';
import { tooLong } from './responses';

/** A sink's running total of bytes written. */
type OnWritten = (written: number) => void;

function noop(): void {}

/** The error for a body read that failed with `error` (not a guard of ours). */
function readFailure(ctx: CallContext, call: Call, url: URL, status: number, error: unknown): InfomaniakError {
  if (error instanceof InfomaniakError) return error;
  if (call.controller.signal.aborted) return ctx.abortError(call, url);
  const causeCode = networkCode(error);
  if (classifyNetworkCode(causeCode) === 'decode') {
    return ctx.error(call, url, {
      kind: 'decode',
      status,
      message: `compressed body could not be read (${causeCode})`,
      description: 'corrupt compressed data',
    });
  }
  const init: InfomaniakErrorInit = {
    kind: 'network',
    message: `connection lost while reading the body (${causeCode ?? 'network error'})`,
  };
  if (causeCode) init.causeCode = causeCode;
  return ctx.error(call, url, init);
}

/** Aborts the call with a `timeout` error (stall or deadline) and logs it. */
function timeOut(ctx: CallContext, call: Call, url: URL, message: string, description: string): void {
  ctx.log(`${call.method} ${ctx.safe(url)} ${message}`);
  if (!call.controller.signal.aborted) {
    call.controller.abort(ctx.error(call, url, { kind: 'timeout', message, description }));
  }
}

/**
 * A Node body with its Content-Encoding undone, as undici's fetch does it: codings undone last
 * first (gzip, deflate, br); an unknown coding leaves the body as it is; more than 5 is an error.
 */
export function decoded(
  ctx: CallContext,
  call: Call,
  url: URL,
  response: { status: number; body: Readable; encoding: string | null },
): Readable {
  const header = response.encoding;
  if (header === null) return response.body;
  const codings = header.toLowerCase().split(',');
  if (codings.length > 5) {
    response.body.destroy();
    throw ctx.error(call, url, {
      kind: 'decode',
      status: response.status,
      message: `${codings.length} content-encodings`,
      description: 'too many content encodings',
    });
  }
  const decoders: Transform[] = [];
  for (const coding of codings.reverse().map((c) => c.trim())) {
    if (coding === 'gzip' || coding === 'x-gzip') {
      decoders.push(createGunzip({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH }));
    } else if (coding === 'deflate') {
      decoders.push(createInflate({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH }));
    } else if (coding === 'br') {
      decoders.push(
        createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH }),
      );
    } else if (coding !== 'identity' && coding !== '') {
      return response.body;
    }
  }
  if (decoders.length === 0) return response.body;
  // pipeline() destroys every stage when one fails or when the last one is destroyed (early exit).
  return pipeline([response.body, ...decoders], noop) as unknown as Readable;
}

/**
 * What GuardedBody reads: the undici stream (`readableSource`), or the download thread's connection
 * (direct-get.ts), which is sunk into a file and read only for an error answer's body.
 */
export interface BodySource {
  /** Everything buffered (one chunk), or null when nothing is. */
  read(): Uint8Array | null;
  /** Why the body failed, or null. */
  readonly failure: unknown;
  /** Every byte was delivered (read() returns null from now on). */
  readonly ended: boolean;
  /** Closed before the end without a failure of its own. */
  readonly closed: boolean;
  /** `wake` runs on new data, the end, a failure or a close, until `unwatch()`. */
  watch(wake: () => void): void;
  unwatch(): void;
  /** Drops the body; before its end this aborts the request and closes the socket. */
  destroy(): void;
  /** Writes the body into a file on the download thread (direct-get.ts), or null when it cannot. */
  sink?(fd: number, position: number, onProgress: OnWritten, bandwidth?: SharedArrayBuffer): Promise<number> | null;
}

/** A Node stream body (undici's `request`) as a BodySource. */
export function readableSource(body: Readable): BodySource {
  let wake: (() => void) | null = null;
  const onEvent = (): void => wake?.();
  const events = ['readable', 'end', 'error', 'close'] as const;
  return {
    read: () => body.read() as Buffer | null,
    get failure() {
      return body.errored;
    },
    get ended() {
      return body.readableEnded;
    },
    get closed() {
      return body.destroyed;
    },
    watch: (w) => {
      wake = w;
      for (const event of events) body.on(event, onEvent);
    },
    unwatch: () => {
      wake = null;
      for (const event of events) body.off(event, onEvent);
    },
    destroy: () => body.destroy(),
  };
}

/**
 * A download body as an async iterable, guarded by the stall watchdog and the announced size. One
 * timer serves the whole body, re-armed only by body bytes (an event without any, such as a
 * trailer line, does not keep the body alive); the source is watched once. A body longer than
 * `limit` fails with kind `integrity` before the bytes past it are handed out. Leaving the loop
 * early releases the socket; `onFinish` runs once when the body is done with (end, error, cancel
 * or early exit).
 */
export class GuardedBody implements AsyncIterable<Uint8Array> {
  readonly #ctx: CallContext;
  readonly #call: Call;
  readonly #url: URL;
  readonly #status: number;
  readonly #body: BodySource;
  readonly #onFinish: () => void;
  readonly #limit: number | null;
  #delivered = 0;
  #finished = false;
  #ended = false;
  #wake: (() => void) | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** Body bytes were handed out since the last wait began: the next wait starts a fresh stall timer. */
  #progressed = false;

  constructor(
    ctx: CallContext,
    call: Call,
    url: URL,
    status: number,
    body: Readable | BodySource,
    onFinish: () => void,
    limit: number | null = null,
  ) {
    this.#ctx = ctx;
    this.#call = call;
    this.#url = url;
    this.#status = status;
    this.#body = 'watch' in body ? body : readableSource(body);
    this.#onFinish = onFinish;
    this.#limit = limit;
    this.#body.watch(this.#onEvent);
    call.controller.signal.addEventListener('abort', this.#onEvent, { once: true });
  }

  readonly #onEvent = (): void => {
    const resolve = this.#wake;
    this.#wake = null;
    resolve?.();
  };

  readonly #onStall = (): void => {
    // A timer left from an earlier wait that ended in time finds nobody waiting.
    if (this.#wake === null || this.#finished) return;
    this.#timeOutStalled();
    this.#onEvent();
  };

  /** Aborts the call as stalled (no byte for `stallMs`). */
  readonly #timeOutStalled = (): void => {
    const stallMs = this.#ctx.settings.stallMs;
    timeOut(
      this.#ctx,
      this.#call,
      this.#url,
      `body stalled for ${stallMs} ms`,
      `no data for ${Math.round(stallMs / 1000)} s`,
    );
  };

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#call.controller.signal.removeEventListener('abort', this.#onEvent);
    this.#body.unwatch();
    this.#onFinish();
    // Before the end, this aborts the request and closes its socket; after it, it is a no-op.
    if (!this.#ended) this.#body.destroy();
  }

  #failed(error: unknown): InfomaniakError {
    this.#finish();
    return readFailure(this.#ctx, this.#call, this.#url, this.#status, error);
  }

  /** The body went past `limit`: it is dropped, and the call fails as `integrity`. */
  #tooLong(limit: number): InfomaniakError {
    this.#finish();
    const error = tooLong(this.#ctx, this.#call, this.#url, this.#status, limit);
    if (!this.#call.controller.signal.aborted) this.#call.controller.abort(error);
    return error;
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.#finished) return { done: true, value: undefined };
      if (this.#call.controller.signal.aborted) {
        this.#finish();
        throw this.#ctx.abortError(this.#call, this.#url);
      }
      if (this.#body.failure) throw this.#failed(this.#body.failure);
      const chunk = this.#body.read();
      if (chunk !== null) {
        this.#delivered += chunk.byteLength;
        if (this.#limit !== null && this.#delivered > this.#limit) throw this.#tooLong(this.#limit);
        this.#progressed = true;
        return { done: false, value: chunk };
      }
      if (this.#body.ended) {
        this.#ended = true;
        this.#finish();
        return { done: true, value: undefined };
      }
      if (this.#body.closed) throw this.#failed(new Error('the body was closed'));
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        if (!this.#timer) this.#timer = setTimeout(this.#onStall, this.#ctx.settings.stallMs).unref();
        else if (this.#progressed) this.#timer.refresh();
        this.#progressed = false;
      });
    }
  }

  /**
   * The body written into `fd` from `position` by its source (BodySource.sink), under the same
   * guards: the stall watchdog (re-armed only when the bytes written grew), cancellation and the
   * error mapping. A failed write keeps the file's error (its errno code, e.g. ENOSPC). Null when
   * the source cannot sink: iterate instead.
   */
  sink(fd: number, position: number, onProgress: OnWritten, bandwidth?: SharedArrayBuffer): Promise<number> | null {
    if (this.#finished) return null;
    // The abort (stall, cancel) reaches the source through the call's signal; the sink then settles.
    const timer = setTimeout(this.#timeOutStalled, this.#ctx.settings.stallMs).unref();
    let reported = 0;
    const onWritten = (written: number): void => {
      if (written <= reported) return;
      reported = written;
      timer.refresh();
      onProgress(written);
    };
    const started = this.#body.sink?.(fd, position, onWritten, bandwidth);
    if (!started) {
      clearTimeout(timer);
      return null;
    }
    return started.then(
      (written) => {
        clearTimeout(timer);
        this.#ended = true;
        this.#finish();
        return written;
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof SinkError && error.kind === 'write') {
          this.#finish();
          throw Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
        }
        throw this.#failed(error);
      },
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.#next(),
      return: async () => {
        this.#finish();
        return { done: true, value: undefined };
      },
    };
  }
}

/**
 * A fetch body read whole as text: more than `maxBytes` is kind `decode`; no byte for `stallMs`, or
 * not finished within `bodyDeadlineMs`, is kind `timeout`. The call is aborted on a guard, which
 * also closes the connection.
 */
export async function readText(
  ctx: CallContext,
  call: Call,
  url: URL,
  response: Response,
  maxBytes: number,
): Promise<string> {
  const stream = response.body;
  if (!stream) return '';
  const { stallMs, bodyDeadlineMs } = ctx.settings;
  const deadline = Date.now() + bodyDeadlineMs;
  const reader: Reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      // Which limit bounds this wait says which one ran out: its timer runs on the event loop's
      // clock, which lags under load, so Date.now() can still be short of the deadline then.
      const left = Math.max(0, deadline - Date.now());
      const next = await guardedRead(reader, call, Math.min(stallMs, left));
      if (next === 'late') {
        if (left <= stallMs) {
          const seconds = Math.round(bodyDeadlineMs / 1000);
          timeOut(
            ctx,
            call,
            url,
            `body not finished within ${bodyDeadlineMs} ms`,
            `did not finish within ${seconds} s`,
          );
        } else {
          timeOut(ctx, call, url, `body stalled for ${stallMs} ms`, `no data for ${Math.round(stallMs / 1000)} s`);
        }
        throw ctx.abortError(call, url);
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) {
        throw ctx.error(call, url, {
          kind: 'decode',
          status: response.status,
          message: `answer larger than ${maxBytes} bytes`,
          description: 'answer too large',
        });
      }
      chunks.push(next.value);
    }
  } catch (error) {
    void reader.cancel().catch(noop);
    throw readFailure(ctx, call, url, response.status, error);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;
type ReadResult = Awaited<ReturnType<Reader['read']>>;

/** One read, or 'late' when nothing came within `waitMs`; the call's abort ends it at once. */
function guardedRead(reader: Reader, call: Call, waitMs: number): Promise<ReadResult | 'late'> {
  const signal = call.controller.signal;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(() => resolve('late')), waitMs);
    const onAbort = () => settle(() => reject(signal.reason as unknown));
    const settle = (action: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      action();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    reader.read().then(
      (result) => settle(() => resolve(result)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
