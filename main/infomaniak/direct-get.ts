/**
 * The direct download reader: one GET on a TLS connection of its own, for large download bodies on
 * a direct (not proxied) https connection. Everything else stays on undici.
 *
 * Why: on undici's stream (and on any node:tls socket read through 'data'), every 16 KiB TLS record
 * arrives in a freshly allocated buffer, so a 1 GiB download touches 1 GiB of new memory and the
 * collector frees it behind. The connection (direct-wire.ts) reads with node:tls `onread` into one
 * reused buffer, on the app's download thread or on this one.
 *
 * Two ways to take the body:
 * - `sink(fd, position)`: the download thread writes every record into the file as it arrives,
 *   while it is still in cache (what the part writer uses). Measured on the bench's 1 GiB case
 *   (bench/README.md, issue 9): about 0.93 × curl, against 0.77–0.89 for reading it here and
 *   writing it from the thread pool.
 * - Reading it here: a BodySource (body.ts) for GuardedBody, which adds the stall watchdog,
 *   cancellation and error mapping. Chunks handed out are views of reused 1 MiB slabs;
 *   `recycle(chunk)` gives one back once its bytes are written (PartFile does), and a slab is reused
 *   when all its chunks are back. A chunk never handed back is left to the collector. The connection
 *   stops reading while 4 MiB wait unread.
 *
 * The head is always parsed here (http1.ts); the connection delivers it batch by batch (`next()`),
 * so nothing is in flight when the body is taken either way.
 */
import type { BodySource } from './body';
import type { SinkError, Wire, WireEvents, WireRequest } from './direct-wire';
import {
  ChunkedDecoder,
  framingOf,
  headEnd,
  MAX_HEAD_BYTES,
  parseError,
  parseHead,
  type Framing,
  type ResponseHead,
} from './http1';

export interface DirectGetOptions extends WireRequest {
  /** Opens the connection (direct-wire.ts: on the worker thread, or on this one). */
  connect: (request: WireRequest, events: WireEvents) => Wire;
  /** Aborting destroys the connection (before the head: the promise rejects with the reason). */
  signal: AbortSignal;
}

export interface DirectResponse extends ResponseHead {
  body: DirectBody;
}

const SLAB_BYTES = 1024 * 1024;
const PAUSE_AT_BYTES = 4 * 1024 * 1024;
const RESUME_AT_BYTES = PAUSE_AT_BYTES / 2;
const KEEP_FREE_SLABS = 16;

interface Slab {
  buffer: Buffer;
  /** Bytes filled. */
  used: number;
  /** Chunks of this slab handed out and not given back. */
  out: number;
  /** Segments of this slab not read yet. */
  unread: number;
}

interface Segment {
  slab: Slab;
  start: number;
  end: number;
}

/** Starts the GET; resolves at the response head (after any 1xx), rejects on a failure before it. */
export function directGet(options: DirectGetOptions): Promise<DirectResponse> {
  return new Promise((resolve, reject) => {
    const body = new DirectBody(options, (head) => resolve({ ...head, body }), reject);
  });
}

/** The connection and its body, read as a BodySource. */
export class DirectBody implements BodySource {
  readonly #wire: Wire;
  readonly #signal: AbortSignal;
  #onHead: ((head: ResponseHead) => void) | null;
  #onEarlyFailure: ((error: unknown) => void) | null;
  #head: Buffer | null = Buffer.alloc(0);
  #framing: Framing = { kind: 'none' };
  #remaining = 0;
  #chunked: ChunkedDecoder | null = null;
  #failure: unknown = null;
  #ended = false;
  #closed = false;
  #wake: (() => void) | null = null;
  #paused = false;
  #wakeQueued = false;
  #unread: Segment[] = [];
  #unreadBytes = 0;
  #fill: Slab | null = null;
  #free: Slab[] = [];
  #slabs = new WeakMap<ArrayBufferLike, Slab>();
  #out = new WeakSet<Uint8Array>();
  /** read() was called: the wire delivers the whole body. */
  #flowing = false;
  /** A sink is in progress (it ends with the worker's answer, even after an abort). */
  #sinking = false;
  #takingPrefix = false;

  constructor(
    options: DirectGetOptions,
    onHead: (head: ResponseHead) => void,
    onEarlyFailure: (error: unknown) => void,
  ) {
    this.#onHead = onHead;
    this.#onEarlyFailure = onEarlyFailure;
    this.#signal = options.signal;
    this.#wire = options.connect(
      { url: options.url, headers: options.headers },
      { data: this.#onData, error: (error) => this.#fail(error), close: this.#onClose },
    );
    if (this.#signal.aborted) this.#onAbort();
    else this.#signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Body bytes received and not read yet. */
  get buffered(): number {
    return this.#unreadBytes;
  }

  get failure(): unknown {
    return this.#failure;
  }
  get ended(): boolean {
    return this.#ended && this.#unreadBytes === 0;
  }
  get closed(): boolean {
    return this.#closed && !this.#ended;
  }

  watch(wake: () => void): void {
    this.#wake = wake;
  }
  unwatch(): void {
    this.#wake = null;
  }

  destroy(): void {
    this.#closed = true;
    this.#release();
    this.#wire.destroy();
  }

  read(): Uint8Array | null {
    if (!this.#flowing && !this.#sinking && !this.#takingPrefix) {
      this.#flowing = true;
      if (!this.#ended && !this.#failure) this.#wire.flow();
    }
    const segment = this.#unread.shift();
    if (!segment) return null;
    this.#unreadBytes -= segment.end - segment.start;
    segment.slab.out += 1;
    segment.slab.unread -= 1;
    const chunk = segment.slab.buffer.subarray(segment.start, segment.end);
    this.#out.add(chunk);
    if (this.#paused && this.#unreadBytes <= RESUME_AT_BYTES && !this.#ended) {
      this.#paused = false;
      this.#wire.resume();
    }
    return chunk;
  }

  /** Gives a chunk from read() back once its bytes are no longer needed; anything else is ignored. */
  recycle(chunk: Uint8Array): void {
    if (!this.#out.delete(chunk)) return;
    const slab = this.#slabs.get(chunk.buffer);
    if (!slab) return;
    slab.out -= 1;
    this.#maybeFree(slab);
  }

  /**
   * Writes the rest of the body into the file `fd` from `position` on the worker thread (body bytes
   * already here go first), and resolves with the bytes written; `onProgress` gets the running total.
   * Null when this body cannot be sunk (a chunked body, one already being read, a wire on this
   * thread): then read it. A failure rejects with a SinkError (or the abort's reason); what was
   * written before it stays in the file.
   */
  sink(fd: number, position: number, onProgress: (written: number) => void): Promise<number> | null {
    const sink = this.#wire.sink;
    const framing = this.#framing.kind;
    if (!sink || this.#flowing || this.#head !== null || this.#ended || this.#failure || this.#closed) return null;
    if (framing !== 'length' && framing !== 'close') return null;
    const prefix = new Uint8Array(this.#unreadBytes);
    let at = 0;
    this.#takingPrefix = true;
    for (let chunk = this.read(); chunk !== null; chunk = this.read()) {
      prefix.set(chunk, at);
      at += chunk.byteLength;
      this.recycle(chunk);
    }
    this.#takingPrefix = false;
    const remaining = framing === 'length' ? this.#remaining : null;
    // Settles only when the worker has answered, so the file is not written to after that.
    return new Promise<number>((resolve, reject) => {
      this.#sinking = true;
      sink(
        { fd, position, remaining, prefix },
        {
          progress: onProgress,
          done: (written) => {
            this.#sinking = false;
            this.#remaining = 0;
            this.#finish();
            resolve(written);
          },
          failed: (error: SinkError) => {
            this.#sinking = false;
            // An abort (destroying the wire) comes back as a failed sink: the abort's reason wins.
            const reason = this.#failure ?? error;
            this.#fail(error);
            reject(reason);
          },
        },
      );
    });
  }

  #maybeFree(slab: Slab): void {
    if (slab.out > 0 || slab.unread > 0 || slab === this.#fill) return;
    slab.used = 0;
    if (this.#free.length < KEEP_FREE_SLABS) this.#free.push(slab);
  }

  readonly #onAbort = (): void => {
    this.#fail(this.#signal.reason ?? new Error('aborted'));
    this.#wire.destroy();
  };

  readonly #onClose = (): void => {
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (this.#ended || this.#failure) return;
    if (this.#head === null && this.#framing.kind === 'close') {
      this.#finish();
      return;
    }
    this.#closed = true;
    this.#fail(parseError('ERR_STREAM_PREMATURE_CLOSE', 'the connection closed before the end of the response'));
  };

  /** Bytes from the wire (a view valid only during the call): copied before this returns. */
  readonly #onData = (data: Uint8Array): void => {
    if (this.#ended || this.#failure) return;
    try {
      let bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (this.#head !== null) {
        const rest = this.#readHead(bytes);
        if (rest === null) {
          this.#wire.next();
          return;
        }
        bytes = rest;
      }
      this.#body(bytes);
    } catch (error) {
      this.#fail(error);
      this.#wire.destroy();
    }
  };

  /** Collects the head; returns the body bytes after it, or null while the head goes on. */
  #readHead(bytes: Buffer): Buffer | null {
    let head = Buffer.concat([this.#head as Buffer, bytes]);
    for (;;) {
      const end = headEnd(head);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) throw parseError('HPE_HEADER_OVERFLOW', 'response head too large');
        this.#head = head;
        return null;
      }
      if (end > MAX_HEAD_BYTES) throw parseError('HPE_HEADER_OVERFLOW', 'response head too large');
      const parsed = parseHead(head.subarray(0, end - 4).toString('latin1'));
      head = head.subarray(end);
      // 1xx (103 Early Hints, 100 Continue) come before the real head; 101 is never asked for.
      if (parsed.status >= 100 && parsed.status < 200) {
        if (parsed.status === 101) throw parseError('HPE_INVALID_STATUS', 'unexpected protocol switch');
        continue;
      }
      this.#head = null;
      this.#framing = framingOf(parsed);
      if (this.#framing.kind === 'length') this.#remaining = this.#framing.length;
      if (this.#framing.kind === 'chunked') this.#chunked = new ChunkedDecoder();
      const onHead = this.#onHead;
      this.#onHead = null;
      this.#onEarlyFailure = null;
      onHead?.(parsed);
      if (this.#framing.kind === 'none' || (this.#framing.kind === 'length' && this.#remaining === 0)) {
        this.#finish();
      }
      return head;
    }
  }

  #body(bytes: Buffer): void {
    if (this.#ended || bytes.length === 0) return;
    if (this.#framing.kind === 'length') {
      const take = bytes.subarray(0, this.#remaining);
      this.#remaining -= take.length;
      this.#copyIn(take);
      if (this.#remaining === 0) this.#finish();
    } else if (this.#chunked) {
      this.#chunked.push(bytes, (piece) => this.#copyIn(piece));
      if (this.#chunked.done) this.#finish();
    } else {
      this.#copyIn(bytes);
    }
    this.#afterBody();
  }

  #afterBody(): void {
    if (!this.#ended && !this.#paused && this.#unreadBytes >= PAUSE_AT_BYTES) {
      this.#paused = true;
      this.#wire.pause();
    }
    // One socket read brings several TLS records, each its own onread call: the reader is woken
    // once after all of them (fewer, larger chunks), not per 16 KiB record.
    if (!this.#wakeQueued) {
      this.#wakeQueued = true;
      setImmediate(this.#wakeLater);
    }
  }

  readonly #wakeLater = (): void => {
    this.#wakeQueued = false;
    this.#wake?.();
  };

  /** Copies body bytes to the free end of the slab being filled (a new one when it is full). */
  #copyIn(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      const slab = this.#slab();
      const n = Math.min(bytes.length - at, slab.buffer.length - slab.used);
      slab.buffer.set(bytes.subarray(at, at + n), slab.used);
      this.#commit(slab, n);
      at += n;
    }
  }

  /** The next `n` bytes at the slab's free end are body: unread from now on. */
  #commit(slab: Slab, n: number): void {
    if (n === 0) return;
    const last = this.#unread[this.#unread.length - 1];
    if (last && last.slab === slab && last.end === slab.used) {
      last.end += n;
    } else {
      this.#unread.push({ slab, start: slab.used, end: slab.used + n });
      slab.unread += 1;
    }
    slab.used += n;
    this.#unreadBytes += n;
    if (slab.used === slab.buffer.length) {
      this.#fill = null;
      this.#maybeFree(slab);
    }
  }

  #slab(): Slab {
    if (this.#fill) return this.#fill;
    let slab = this.#free.pop();
    if (!slab) {
      slab = { buffer: Buffer.allocUnsafeSlow(SLAB_BYTES), used: 0, out: 0, unread: 0 };
      this.#slabs.set(slab.buffer.buffer, slab);
    }
    this.#fill = slab;
    return slab;
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    // Connection: close — nothing more is read from this connection.
    this.#wire.destroy();
    this.#wake?.();
  }

  #fail(error: unknown): void {
    if (this.#ended || this.#failure) return;
    this.#failure = error;
    const early = this.#onEarlyFailure;
    this.#onHead = null;
    this.#onEarlyFailure = null;
    early?.(error);
    this.#wake?.();
  }

  #release(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
  }
}
