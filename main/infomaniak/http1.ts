/**
 * HTTP/1.1 response framing for the direct download reader (direct-get.ts): the request head it
 * sends, the response head it reads, how the body is delimited (RFC 9112 §6.3) and the chunked
 * transfer coding. Pure functions over bytes, no I/O. Anything malformed is an error with an
 * `HPE_*` code, as undici's parser reports it.
 */

/** Longest response head accepted (undici's default is 16 KiB; storage hosts send few headers). */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_HEADER_LINES = 256;
const MAX_CHUNK_LINE = 4096;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A field value: visible characters, spaces and tabs, and obs-text; never CR, LF or NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export interface ResponseHead {
  status: number;
  /** Lower-case names; a repeated field joined with ", ". */
  headers: Record<string, string>;
}

export type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export function parseError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The request head of a GET; a name or value that could end the line early is refused. */
export function requestHead(path: string, host: string, headers: Record<string, string>): string {
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw new TypeError('request path with characters HTTP does not allow');
  const lines = [`GET ${path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value) || /^host$|^connection$/i.test(name)) {
      throw new TypeError(`request header ${JSON.stringify(name)} cannot be sent`);
    }
    lines.push(`${name}: ${value}`);
  }
  lines.push('connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Where the head ends in `bytes` (the index after the blank line), or -1 when it has not ended yet. */
export function headEnd(bytes: Buffer): number {
  const at = bytes.indexOf('\r\n\r\n', 0, 'latin1');
  return at < 0 ? -1 : at + 4;
}

/** Parses a response head (without the blank line that ends it). */
export function parseHead(head: string): ResponseHead {
  const lines = head.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: [\t\x20-\x7e\x80-\xff]*)?$/.exec(lines[0] ?? '');
  if (!statusLine) throw parseError('HPE_INVALID_STATUS', 'invalid HTTP status line');
  if (lines.length - 1 > MAX_HEADER_LINES) throw parseError('HPE_HEADER_OVERFLOW', 'too many response headers');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    const value = line.slice(colon + 1).replace(/^[\t ]+|[\t ]+$/g, '');
    // No name, a space before the colon, a folded line (obs-fold), or CR/LF/NUL inside: refused.
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) {
      throw parseError('HPE_INVALID_HEADER_TOKEN', 'invalid response header');
    }
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { status: Number(statusLine[1]), headers };
}

/** How the body of a response to a GET is delimited. */
export function framingOf(head: ResponseHead): Framing {
  const { status, headers } = head;
  if ((status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' };
  const te = headers['transfer-encoding'];
  if (te !== undefined) {
    const codings = te
      .toLowerCase()
      .split(',')
      .map((c) => c.trim());
    if (codings.length === 1 && codings[0] === 'chunked') return { kind: 'chunked' };
    throw parseError('HPE_INVALID_TRANSFER_ENCODING', `unsupported transfer-encoding: ${te}`);
  }
  const cl = headers['content-length'];
  if (cl !== undefined) {
    const values = new Set(cl.split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) {
      throw parseError('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
    }
    return { kind: 'length', length: Number(only) };
  }
  return { kind: 'close' };
}

/**
 * The chunked transfer coding, undone as bytes arrive (a size line, that many bytes and CRLF, …, a
 * zero size, trailer lines, a blank line). Chunk extensions and trailers are read and dropped.
 */
export class ChunkedDecoder {
  #state: 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'done' = 'size';
  #line = '';
  #remaining = 0;

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds `input`; `onData` gets each piece of body (a view of `input`). Returns the bytes consumed. */
  push(input: Uint8Array, onData: (piece: Uint8Array) => void): number {
    let i = 0;
    while (i < input.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const n = Math.min(this.#remaining, input.length - i);
        onData(input.subarray(i, i + n));
        i += n;
        this.#remaining -= n;
        if (this.#remaining === 0) this.#state = 'data-cr';
        continue;
      }
      const byte = input[i++] as number;
      if (this.#state === 'data-cr' || this.#state === 'data-lf') {
        const expected = this.#state === 'data-cr' ? 0x0d : 0x0a;
        if (byte !== expected) throw parseError('HPE_INVALID_CHUNK_SIZE', 'chunk not followed by CRLF');
        this.#state = this.#state === 'data-cr' ? 'data-lf' : 'size';
        continue;
      }
      this.#lineByte(byte);
    }
    return i;
  }

  /** One byte of a size line or trailer line. */
  #lineByte(byte: number): void {
    if (byte !== 0x0a) {
      if (this.#line.length >= MAX_CHUNK_LINE) throw parseError('HPE_INVALID_CHUNK_SIZE', 'chunk line too long');
      this.#line += String.fromCharCode(byte);
      return;
    }
    if (!this.#line.endsWith('\r')) throw parseError('HPE_INVALID_CHUNK_SIZE', 'bare LF in chunked body');
    const line = this.#line.slice(0, -1);
    this.#line = '';
    if (this.#state === 'trailer') {
      if (line === '') this.#state = 'done';
      return;
    }
    const size = /^([0-9a-fA-F]{1,13})[\t ]*(?:;[\t\x20-\x7e]*)?$/.exec(line);
    if (!size) throw parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
    this.#remaining = parseInt(size[1] as string, 16);
    this.#state = this.#remaining === 0 ? 'trailer' : 'data';
  }
}
