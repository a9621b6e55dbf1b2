/**
 * The download thread's GET: one request on a TLS connection of its own (direct-wire.ts), for a
 * large download on a direct (not proxied) https connection. Everything else stays on undici.
 *
 * Why: the bench (bench/README.md) measured the thread writing each TLS record into the part file
 * as it arrives at about a third of the CPU per GiB of undici's stream, with the app's thread idle.
 * That is all it is kept for: an identity-encoded 200/206 body with a Content-Length, written into
 * the file by the thread (`sink`). Any other body is not read here (download.ts sends it to
 * undici), except the small body of an error answer (`read()`, for its error code).
 *
 * The head is parsed here (http1.ts); the connection delivers it batch by batch (`next()`), so
 * nothing is in flight when the body is sunk.
 */
import type { BodySource } from './body';
import type { SinkError, Wire, WireEvents, WireRequest } from './direct-wire';
import { framingOf, headEnd, MAX_HEAD_BYTES, parseError, parseHead, type Framing, type ResponseHead } from './http1';

export interface DirectGetOptions extends WireRequest {
  /** Opens the connection on the download thread (direct-wire.ts). */
  connect: (request: WireRequest, events: WireEvents) => Wire;
  /** Aborting destroys the connection (before the head: the promise rejects with the reason). */
  signal: AbortSignal;
}

export interface DirectResponse extends ResponseHead {
  body: DirectBody;
}

/** Starts the GET; resolves at the response head (after any 1xx), rejects on a failure before it. */
export function directGet(options: DirectGetOptions): Promise<DirectResponse> {
  return new Promise((resolve, reject) => {
    const body = new DirectBody(options, (head) => resolve({ ...head, body }), reject);
  });
}

/** The connection and its body: sunk into a file, or read batch by batch (an error answer's body). */
export class DirectBody implements BodySource {
  readonly #wire: Wire;
  readonly #signal: AbortSignal;
  #onHead: ((head: ResponseHead) => void) | null;
  #onEarlyFailure: ((error: unknown) => void) | null;
  #head: Buffer | null = Buffer.alloc(0);
  #framing: Framing = { kind: 'none' };
  /** Body bytes still to come (Content-Length framing). */
  #remaining = 0;
  #failure: unknown = null;
  #ended = false;
  #closed = false;
  #wake: (() => void) | null = null;
  /** Body bytes received and not taken yet. */
  #unread: Buffer[] = [];
  /** A batch was asked for and has not come yet. */
  #asked = false;
  #taken = false;

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
    this.#asked = true;
    if (this.#signal.aborted) this.#onAbort();
    else this.#signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The body's length when it has a Content-Length (the only kind the thread writes), else null. */
  get length(): number | null {
    return this.#framing.kind === 'length' ? this.#framing.length : null;
  }

  /** The body is chunked: it is neither written nor read here. */
  get chunked(): boolean {
    return this.#framing.kind === 'chunked';
  }

  get failure(): unknown {
    return this.#failure;
  }
  get ended(): boolean {
    return this.#ended && this.#unread.length === 0;
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

  /** The next batch of body bytes, or null (the next batch is then asked for). */
  read(): Uint8Array | null {
    this.#taken = true;
    if (this.#ended) this.#wire.destroy();
    const batch = this.#unread.shift();
    if (batch) return batch;
    if (!this.#ended && !this.#failure && !this.#asked) {
      this.#asked = true;
      this.#wire.next();
    }
    return null;
  }

  /**
   * Writes the body into the file `fd` from `position` on the download thread (body bytes already
   * here go first) and resolves with the bytes written, never more than the Content-Length;
   * `onProgress` gets the running total. Null when this body cannot be sunk (no Content-Length, or
   * already being read). A failure rejects with a SinkError (or the abort's reason); what was
   * written before it stays in the file. Settles only when the thread has answered, so the file is
   * not written to after that. `bandwidth`: the writer's limit, spent from on the thread.
   */
  sink(
    fd: number,
    position: number,
    onProgress: (written: number) => void,
    bandwidth?: SharedArrayBuffer,
  ): Promise<number> | null {
    const length = this.length;
    if (length === null || this.#taken || this.#head !== null || this.#failure || this.#closed) return null;
    this.#taken = true;
    const prefix = new Uint8Array(Buffer.concat(this.#unread));
    this.#unread = [];
    return new Promise<number>((resolve, reject) => {
      this.#wire.sink(
        { fd, position, remaining: prefix.byteLength + this.#remaining, prefix, bandwidth: bandwidth ?? null },
        {
          progress: onProgress,
          done: (written) => {
            this.#remaining = 0;
            this.#finish();
            resolve(written);
          },
          failed: (error: SinkError) => {
            // An abort (destroying the wire) comes back as a failed sink: the abort's reason wins.
            const reason = this.#failure ?? error;
            this.#fail(error);
            reject(reason);
          },
        },
      );
    });
  }

  readonly #onAbort = (): void => {
    this.#fail(this.#signal.reason ?? new Error('aborted'));
    this.#wire.destroy();
  };

  readonly #onClose = (): void => {
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (this.#ended || this.#failure) return;
    if (this.#head !== null) {
      // The connection ended inside the head: a malformed answer, not a dropped connection.
      this.#fail(parseError('HPE_INVALID_EOF_STATE', 'the connection closed before the end of the response head'));
      return;
    }
    if (this.#framing.kind === 'close') {
      this.#finish();
      return;
    }
    this.#closed = true;
    this.#fail(parseError('ERR_STREAM_PREMATURE_CLOSE', 'the connection closed before the end of the response'));
  };

  /** A batch from the thread (its own buffer). */
  readonly #onData = (data: Uint8Array): void => {
    this.#asked = false;
    if (this.#ended || this.#failure) return;
    try {
      let bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (this.#head !== null) {
        const rest = this.#readHead(bytes);
        if (rest === null) {
          this.#asked = true;
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
      if (end < 0 ? head.length > MAX_HEAD_BYTES : end > MAX_HEAD_BYTES) {
        throw parseError('HPE_HEADER_OVERFLOW', 'response head too large');
      }
      if (end < 0) {
        this.#head = head;
        return null;
      }
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
      const onHead = this.#onHead;
      this.#onHead = null;
      this.#onEarlyFailure = null;
      onHead?.(parsed);
      if (this.#framing.kind === 'none' || (this.#framing.kind === 'length' && this.#remaining === 0)) {
        this.#finish();
      } else if (this.#framing.kind === 'chunked') {
        throw parseError('HPE_CHUNKED_NOT_READ', 'a chunked body is not read by the download thread');
      }
      return head;
    }
  }

  #body(bytes: Buffer): void {
    if (this.#ended || bytes.length === 0) return;
    if (this.#framing.kind === 'length') {
      const take = bytes.subarray(0, this.#remaining);
      this.#remaining -= take.length;
      this.#unread.push(take);
      if (this.#remaining === 0) this.#finish();
    } else {
      this.#unread.push(bytes);
    }
    this.#wake?.();
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    // Connection: close — nothing more is read from it. A body not taken yet (it came whole with
    // the head) keeps the thread's side until it is sunk (the thread writes it) or dropped.
    if (this.#taken) this.#wire.destroy();
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
