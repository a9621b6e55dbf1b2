/**
 * The direct download reader: one GET on a TLS connection of its own, for large download bodies on
 * a direct (not proxied) https connection. Everything else stays on undici.
 *
 * Why: on undici's stream (and on any node:tls socket read through 'data'), every 16 KiB TLS record
 * arrives in a freshly allocated buffer, so a 1 GiB download touches 1 GiB of new memory and the
 * collector frees it behind. Reading with node:tls `onread` into one reused buffer and copying into
 * reused 1 MiB slabs keeps the bytes in warm memory. Measured on the bench's 1 GiB case
 * (bench/README.md, issue 9): a bare node:tls reader writing the file reached about 0.7 × curl with
 * fresh buffers and about 1.0 × curl with reused ones.
 *
 * The reader is a BodySource (body.ts) for GuardedBody, which adds the stall watchdog, cancellation
 * and error mapping. Chunks handed out are views of a slab; `recycle(chunk)` gives one back once its
 * bytes are written (PartFile does), and a slab is reused when all its chunks are back. A chunk never
 * handed back is simply left to the collector. The socket is paused while 4 MiB wait unread.
 */
import { isIP, type OnReadOpts } from 'node:net';
import { connect, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import type { BodySource } from './body';
import {
  ChunkedDecoder,
  framingOf,
  headEnd,
  MAX_HEAD_BYTES,
  parseError,
  parseHead,
  requestHead,
  type Framing,
  type ResponseHead,
} from './http1';

export interface DirectGetOptions {
  url: URL;
  /** Request headers (lower-case names; not host or connection, which the reader sets). */
  headers: Record<string, string>;
  secureContext?: SecureContext | undefined;
  /** Aborting destroys the connection (before the head: the promise rejects with the reason). */
  signal: AbortSignal;
}

export interface DirectResponse extends ResponseHead {
  body: DirectBody;
}

const READ_BUFFER_BYTES = 64 * 1024;
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
  readonly #socket: TLSSocket;
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

  constructor(
    options: DirectGetOptions,
    onHead: (head: ResponseHead) => void,
    onEarlyFailure: (error: unknown) => void,
  ) {
    this.#onHead = onHead;
    this.#onEarlyFailure = onEarlyFailure;
    this.#signal = options.signal;
    const { url } = options;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const request = requestHead(`${url.pathname}${url.search}`, url.host, options.headers);
    // `onread` is a net.Socket option that node:tls passes on (Node ≥ 15); @types/node omits it.
    const connectOptions: ConnectionOptions & { onread: OnReadOpts } = {
      host,
      port: Number(url.port || 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ALPNProtocols: ['http/1.1'],
      ...(options.secureContext ? { secureContext: options.secureContext } : {}),
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: this.#onRead },
    };
    this.#socket = connect(connectOptions);
    this.#socket.once('secureConnect', () => this.#socket.write(request, 'latin1'));
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', this.#onClose);
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
    this.#socket.destroy();
  }

  read(): Uint8Array | null {
    const segment = this.#unread.shift();
    if (!segment) return null;
    this.#unreadBytes -= segment.end - segment.start;
    segment.slab.out += 1;
    segment.slab.unread -= 1;
    const chunk = segment.slab.buffer.subarray(segment.start, segment.end);
    this.#out.add(chunk);
    if (this.#paused && this.#unreadBytes <= RESUME_AT_BYTES && !this.#ended) {
      this.#paused = false;
      this.#socket.resume();
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

  #maybeFree(slab: Slab): void {
    if (slab.out > 0 || slab.unread > 0 || slab === this.#fill) return;
    slab.used = 0;
    if (this.#free.length < KEEP_FREE_SLABS) this.#free.push(slab);
  }

  readonly #onAbort = (): void => {
    this.#fail(this.#signal.reason ?? new Error('aborted'));
    this.#socket.destroy();
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

  /** One read of decrypted bytes into the reused buffer: they are copied before this returns. */
  readonly #onRead = (length: number, buffer: Buffer): boolean => {
    if (this.#ended || this.#failure) return true;
    try {
      let bytes = buffer.subarray(0, length);
      if (this.#head !== null) {
        const rest = this.#readHead(bytes);
        if (rest === null) return true;
        bytes = rest;
      }
      this.#body(bytes);
    } catch (error) {
      this.#fail(error);
      this.#socket.destroy();
    }
    return true;
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
      this.#socket.pause();
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
    this.#socket.destroy();
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
