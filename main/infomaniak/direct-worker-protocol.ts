/**
 * Messages between main (direct-wire.ts) and the download thread (direct-worker.mjs).
 * Connections are numbered by main; every message but `ready` names one.
 */

/** Opens a TLS connection and sends `request` (a complete HTTP/1.1 request head, latin1). */
export interface OpenMessage {
  op: 'open';
  id: number;
  host: string;
  port: number;
  /** SNI name (not for an IP address). */
  servername: string | null;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots; none: the default store. */
  ca: string[];
  request: string;
}

/**
 * Writes the rest of the body into the open file `fd` from `position`: first `prefix` (body bytes
 * main already has), then what the connection brings, `remaining` bytes in all (prefix included):
 * never more.
 */
export interface SinkMessage {
  op: 'sink';
  id: number;
  fd: number;
  position: number;
  remaining: number;
  prefix: Uint8Array;
  /**
   * The writer's bandwidth limit: a bucket shared with main (main/localfs/bandwidth-bucket.mjs).
   * The thread counts every byte it writes there and pauses the connection as long as it says.
   */
  bandwidth: SharedArrayBuffer | null;
}

export type ToWorker =
  /** Builds the secure context for this trust store now (it costs about 20 ms of CPU). */
  | { op: 'trust'; ca: string[] }
  | OpenMessage
  | SinkMessage
  /** The next batch of bytes (the head, an error answer's body). */
  | { op: 'more'; id: number }
  /** Closes the connection; nothing more is posted for it. */
  | { op: 'close'; id: number };

export type FromWorker =
  /** The worker has loaded and takes connections. */
  | { op: 'ready' }
  | { op: 'data'; id: number; bytes: Uint8Array }
  /** The connection closed after its last data. */
  | { op: 'closed'; id: number }
  /** The connection failed (after its last data). */
  | { op: 'error'; id: number; code: string | null; message: string }
  /** Sink mode: bytes written to the file so far. */
  | { op: 'progress'; id: number; written: number }
  /** Sink mode: the body is in the file (`written` bytes, prefix included). */
  | { op: 'sunk'; id: number; written: number }
  /** Sink mode: a write failed or the connection did; `written` bytes are in the file. */
  | { op: 'sink-failed'; id: number; kind: 'write' | 'network'; code: string | null; message: string; written: number };
