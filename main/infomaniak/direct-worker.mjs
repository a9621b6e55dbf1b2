// @ts-check
/**
 * The download thread (plain JavaScript with Node built-ins only, so it loads the same way from the
 * sources, under tsx and Vitest, and from the build). Messages: direct-worker-protocol.ts.
 *
 * It owns the TLS connections of large downloads. Main parses every response head itself (http1.ts,
 * direct-get.ts): each connection delivers one batch of bytes per `more`. For an identity-encoded
 * 200/206 body with a Content-Length, main then hands over the part file's descriptor (`sink`):
 * from then on every decrypted TLS record is written to the file at once, while it is still in this
 * CPU's cache, with a synchronous positional write, as curl does, and never more than the body's
 * length. That write blocks this thread only, never the app's. The bench measured the difference
 * (bench/README.md, issue 9): the same bytes copied first and written later, from another thread,
 * cost up to three times the kernel time.
 *
 * The bandwidth limit (issue 22.4): a sink may come with the writer's bucket, shared with main
 * (main/localfs/bandwidth-bucket.mjs, the one copy of its arithmetic, plain JavaScript like this
 * file). Every write is counted there; when the bucket says wait, the connection is paused for
 * that long (TCP then slows the server down), and bytes already read meanwhile are still written.
 */
import { writeSync } from 'node:fs';
import { connect } from 'node:tls';
import { parentPort } from 'node:worker_threads';
import { bucketView, reserve } from '../localfs/bandwidth-bucket.mjs';
import { secureContextFor } from './secure-context.mjs';

/** @typedef {import('./direct-worker-protocol').ToWorker} ToWorker */
/** @typedef {import('./direct-worker-protocol').FromWorker} FromWorker */
/** @typedef {import('./direct-worker-protocol').OpenMessage} OpenMessage */
/** @typedef {import('./direct-worker-protocol').SinkMessage} SinkMessage */

const READ_BUFFER_BYTES = 64 * 1024;
/** A batch for main holds at most about this much. */
const BATCH_BYTES = 1024 * 1024;
/**
 * Sink progress goes to main at most this often: four times a second, as often as the transfer
 * manager samples the speed. Each report costs Electron's main thread a turn (the message, the part
 * writer, the manager, the change batch): at ten a second that was about half of what a 100 Mbit/s
 * download cost beyond the download thread itself (bench/README.md, issue 20.5).
 */
const PROGRESS_MS = 250;

const port = parentPort;
if (!port) throw new Error('direct-worker.mjs runs as a worker thread');

/** @param {FromWorker} message @param {ArrayBuffer[]} [transfer] */
function post(message, transfer) {
  port?.postMessage(message, transfer ?? []);
}

/** @param {unknown} error */
function describe(error) {
  const e = /** @type {{ code?: unknown, message?: unknown }} */ (error ?? {});
  return {
    code: typeof e.code === 'string' ? e.code : null,
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}

/** Writes all of `bytes` at `position` (a short write goes on where it stopped). */
function writeAll(/** @type {number} */ fd, /** @type {Uint8Array} */ bytes, /** @type {number} */ position) {
  let done = 0;
  while (done < bytes.length) {
    const n = writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    done += n;
  }
}

class Connection {
  /** @param {OpenMessage} open */
  constructor(open) {
    this.id = open.id;
    /** @type {'step' | 'sink' | 'done'} */
    this.mode = 'step';
    /** Main asked for the next batch. */
    this.wanted = true;
    /** @type {Uint8Array[]} */
    this.pending = [];
    this.pendingBytes = 0;
    this.flushQueued = false;
    this.closed = false;
    /** @type {unknown} */
    this.error = null;
    /** @type {{ fd: number, position: number, remaining: number, written: number, at: number, bucket: BigInt64Array | null } | null} */
    this.sink = null;
    /** @type {NodeJS.Timeout | undefined} */
    this.reportTimer = undefined;
    /** The bandwidth limit paused the connection until then (ms, Date.now()). @type {NodeJS.Timeout | undefined} */
    this.limitTimer = undefined;
    this.limitUntil = 0;
    this.socket = connect({
      host: open.host,
      port: open.port,
      ...(open.servername ? { servername: open.servername } : {}),
      ALPNProtocols: ['http/1.1'],
      secureContext: secureContextFor(open.ca),
      // `onread` reads decrypted bytes into one reused buffer (node:tls passes it to net.Socket).
      .../** @type {object} */ ({
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
          callback: (/** @type {number} */ n, /** @type {Buffer} */ b) => this.onRead(b.subarray(0, n)),
        },
      }),
    });
    this.socket.once('secureConnect', () => this.socket.write(open.request, 'latin1'));
    this.socket.on('error', (error) => this.onError(error));
    this.socket.on('close', () => this.onClose());
  }

  /** @param {Buffer} bytes */
  onRead(bytes) {
    if (this.mode === 'done') return true;
    if (this.mode === 'sink') {
      this.sinkBytes(bytes);
      return true;
    }
    this.pending.push(new Uint8Array(bytes));
    this.pendingBytes += bytes.length;
    if (!this.wanted) this.socket.pause();
    else if (this.pendingBytes >= BATCH_BYTES) this.flush();
    else this.queueFlush();
    return true;
  }

  queueFlush() {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Several TLS records of one socket read each call onRead: they go to main as one message.
    setImmediate(() => {
      this.flushQueued = false;
      if (this.wanted && this.mode === 'step') this.flush();
    });
  }

  /** Posts everything pending as one batch (a fresh buffer, transferred); then waits for `more`. */
  flush() {
    if (this.pendingBytes === 0) return;
    const bytes = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const piece of this.pending) {
      bytes.set(piece, at);
      at += piece.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.wanted = false;
    this.socket.pause();
    post({ op: 'data', id: this.id, bytes }, [bytes.buffer]);
  }

  /** Main wants the next batch (now, if bytes wait; else at the next read). */
  more() {
    if (this.mode !== 'step') return;
    this.wanted = true;
    if (this.pendingBytes > 0) this.flush();
    else if (this.closed) this.reportClose();
    else this.socket.resume();
  }

  /** @param {SinkMessage} message */
  startSink(message) {
    if (this.mode !== 'step') return;
    this.mode = 'sink';
    this.sink = {
      fd: message.fd,
      position: message.position,
      remaining: message.remaining,
      written: 0,
      at: Date.now(),
      bucket: message.bandwidth ? bucketView(message.bandwidth) : null,
    };
    const waiting = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      if (message.prefix.length > 0) this.write(message.prefix);
    } catch (error) {
      this.sinkFailed('write', error);
      return;
    }
    if (this.sink.remaining === 0) {
      this.sinkDone();
      return;
    }
    for (const piece of waiting) this.sinkBytes(piece);
    if (this.mode !== 'sink') return;
    if (this.closed) this.sinkClosed();
    else if (this.limitTimer === undefined) this.socket.resume();
  }

  /** @param {Uint8Array} bytes */
  write(bytes) {
    const sink = /** @type {NonNullable<Connection['sink']>} */ (this.sink);
    writeAll(sink.fd, bytes, sink.position);
    sink.position += bytes.length;
    sink.written += bytes.length;
    sink.remaining -= bytes.length;
    if (sink.bucket) this.limit(reserve(sink.bucket, bytes.length));
  }

  /** The bandwidth limit asks to wait `ms` before more bytes: the connection pauses that long. @param {number} ms */
  limit(ms) {
    if (ms < 1) return;
    const until = Date.now() + ms;
    if (until <= this.limitUntil) return;
    this.limitUntil = until;
    clearTimeout(this.limitTimer);
    this.socket.pause();
    this.limitTimer = setTimeout(() => {
      this.limitTimer = undefined;
      if (this.mode === 'sink' && !this.closed) this.socket.resume();
    }, ms);
  }

  /** Writes body bytes, never past the body's length. @param {Uint8Array} bytes */
  sinkBytes(bytes) {
    const sink = this.sink;
    if (!sink || this.mode !== 'sink') return;
    try {
      this.write(bytes.subarray(0, sink.remaining));
    } catch (error) {
      this.sinkFailed('write', error);
      return;
    }
    if (sink.remaining === 0) {
      this.sinkDone();
      return;
    }
    const wait = PROGRESS_MS - (Date.now() - sink.at);
    if (wait <= 0) this.report();
    // The bytes since the last report are reported in time even when nothing more comes.
    else this.reportTimer ??= setTimeout(() => this.report(), wait);
  }

  report() {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    const sink = this.sink;
    if (!sink || this.mode !== 'sink') return;
    sink.at = Date.now();
    post({ op: 'progress', id: this.id, written: sink.written });
  }

  sinkDone() {
    const written = this.sink?.written ?? 0;
    this.end();
    post({ op: 'sunk', id: this.id, written });
  }

  /** @param {'write' | 'network'} kind @param {unknown} error */
  sinkFailed(kind, error) {
    const written = this.sink?.written ?? 0;
    this.end();
    post({ op: 'sink-failed', id: this.id, kind, written, ...describe(error) });
  }

  sinkClosed() {
    this.sinkFailed(
      'network',
      this.error ?? {
        code: 'ERR_STREAM_PREMATURE_CLOSE',
        message: 'the connection closed before the end of the response',
      },
    );
  }

  /** @param {unknown} error */
  onError(error) {
    this.error ??= error;
  }

  onClose() {
    this.closed = true;
    if (this.mode === 'sink') this.sinkClosed();
    else if (this.mode === 'step' && this.wanted) {
      this.flush();
      if (this.wanted) this.reportClose();
    }
  }

  /** After the last data: the close (or the error that closed it). */
  reportClose() {
    if (this.mode === 'done') return;
    const error = this.error;
    this.end();
    post(error ? { op: 'error', id: this.id, ...describe(error) } : { op: 'closed', id: this.id });
  }

  /** Main closes the connection; a sink answers, so main knows no write of it is still to come. */
  close() {
    if (this.mode === 'sink') this.sinkFailed('network', { code: 'ABORT_ERR', message: 'closed by the app' });
    else this.end();
  }

  end() {
    clearTimeout(this.reportTimer);
    clearTimeout(this.limitTimer);
    this.mode = 'done';
    this.pending = [];
    this.pendingBytes = 0;
    connections.delete(this.id);
    this.socket.destroy();
  }
}

/** @type {Map<number, Connection>} */
const connections = new Map();

port.on('message', (/** @type {ToWorker} */ message) => {
  if (message.op === 'trust') {
    // Main asks ahead, when a client is created, so the first download does not wait for it.
    secureContextFor(message.ca);
    return;
  }
  if (message.op === 'open') {
    try {
      connections.set(message.id, new Connection(message));
    } catch (error) {
      post({ op: 'error', id: message.id, ...describe(error) });
    }
    return;
  }
  const connection = connections.get(message.id);
  if (!connection) return;
  if (message.op === 'more') connection.more();
  else if (message.op === 'sink') connection.startSink(message);
  else if (message.op === 'close') connection.close();
});

post({ op: 'ready' });
