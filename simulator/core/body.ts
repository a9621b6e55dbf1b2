/**
 * Serving file bytes: Range / If-Range with 206 and Content-Range, ETag, Last-Modified, and the body
 * faults (reset after N bytes, stall). Bodies are pulled chunk by chunk with backpressure, so a
 * 1 GiB file never sits in memory. [guess] 206/ETag semantics follow RFC 9110.
 */
import type { ContentSource } from '../model/content';
import type { BodyFault, FaultTarget, Faults } from './faults';
import { closed, contentDisposition, drained, writeHead } from './respond';
import type { Ctx } from './router';

export interface ServedFile {
  content: ContentSource;
  name: string;
  mimeType: string;
  etag: string;
  /** Unix seconds. */
  modifiedAt: number;
  faultTarget?: FaultTarget;
}

export interface ServeOptions {
  faults: Faults;
  /** Send Content-Length on 200 answers. */
  contentLength: boolean;
}

type RangeResult = { start: number; end: number } | 'unsatisfiable' | null;

/** One "bytes=a-b" range; anything else (several ranges, bad syntax) is ignored → full body. */
export function parseRange(header: string, size: number): RangeResult {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** If-Range: a strong ETag or an HTTP date; a mismatch means "send the whole thing". */
export function ifRangeMatches(value: string | undefined, etag: string, modifiedAt: number): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return v === etag;
  const t = Date.parse(v);
  return !Number.isNaN(t) && Math.floor(t / 1000) === modifiedAt;
}

export const httpDate = (unixSeconds: number): string => new Date(unixSeconds * 1000).toUTCString();

export async function serveContent(ctx: Ctx, file: ServedFile, opts: ServeOptions): Promise<void> {
  const size = file.content.size;
  let start = 0;
  let end = size;
  let status = 200;
  const headers: Record<string, string> = {
    'content-type': file.mimeType || 'application/octet-stream',
    'accept-ranges': 'bytes',
    etag: file.etag,
    'last-modified': httpDate(file.modifiedAt),
    'content-disposition': contentDisposition(file.name),
    'cache-control': 'private, no-cache',
  };
  const range = ctx.req.headers.range;
  if (range !== undefined && ifRangeMatches(headerValue(ctx.req.headers['if-range']), file.etag, file.modifiedAt)) {
    const r = parseRange(range, size);
    if (r === 'unsatisfiable') {
      writeHead(ctx, 416, { 'content-range': `bytes */${size}`, 'content-length': '0', etag: file.etag });
      ctx.res.end();
      return;
    }
    if (r) {
      start = r.start;
      end = r.end + 1;
      status = 206;
      headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
    }
  }
  const length = end - start;
  if (status === 206 || opts.contentLength) headers['content-length'] = String(length);
  const fault = file.faultTarget && !ctx.head ? opts.faults.bodyFault(file.faultTarget, length) : null;
  writeHead(ctx, status, headers);
  if (ctx.head) {
    ctx.res.end();
    return;
  }
  await pump(ctx, file.content.chunks(start, end), fault);
}

/** Writes chunks with backpressure; applies a reset or stall after N bytes. */
export async function pump(ctx: Ctx, chunks: Iterable<Buffer>, fault: BodyFault | null): Promise<void> {
  const res = ctx.res;
  let sent = 0;
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (fault && sent + chunk.length >= fault.afterBytes) {
      const head = chunk.subarray(0, fault.afterBytes - sent);
      await new Promise<void>((resolve) => {
        if (head.length === 0) return resolve();
        res.write(head, () => resolve());
      });
      if (fault.kind === 'reset') {
        // Let the bytes reach the socket, then drop the connection before the promised length.
        setTimeout(() => res.socket?.destroy(), 20);
        await closed(ctx);
      } else {
        await closed(ctx);
      }
      return;
    }
    sent += chunk.length;
    if (!res.write(chunk)) await drained(ctx);
  }
  if (!res.destroyed) res.end();
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
