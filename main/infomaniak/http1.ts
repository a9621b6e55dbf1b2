/**
 * HTTP/1.1 for the download thread (direct-get.ts): the request head it sends, the response head
 * it reads, and how the body is delimited (RFC 9112 §6.3). Pure functions over bytes, no I/O.
 * Anything malformed is an error with an `HPE_*` code, as undici's parser (llhttp) reports it.
 * Only a Content-Length body is ever read here: a chunked one goes to undici, so no chunk or
 * trailer line is parsed by this code.
 */

/** Longest response head accepted, as llhttp (undici's default `maxHeaderSize`, 16 KiB). */
export const MAX_HEAD_BYTES = 16 * 1024;
const MAX_HEADER_LINES = 256;
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
  const cl = headers['content-length'];
  // Both framings at once is how requests are smuggled: refused, as llhttp does (RFC 9112 §6.3).
  if (te !== undefined && cl !== undefined) {
    throw parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'content-length together with transfer-encoding');
  }
  if (te !== undefined) {
    const codings = te
      .toLowerCase()
      .split(',')
      .map((c) => c.trim());
    if (codings.length === 1 && codings[0] === 'chunked') return { kind: 'chunked' };
    throw parseError('HPE_INVALID_TRANSFER_ENCODING', `unsupported transfer-encoding: ${te}`);
  }
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
