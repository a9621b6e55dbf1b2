/** Writing responses: every status goes through writeHead so the request log sees it. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { Ctx } from './router';
import { ApiError } from './envelope';

export function writeHead(ctx: Ctx, status: number, headers: OutgoingHttpHeaders = {}): void {
  ctx.entry.status = status;
  ctx.res.writeHead(status, headers);
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const changed =
    ctx.envelope && body && typeof body === 'object' && (body as { result?: unknown }).result === 'success'
      ? { ...body, result: ctx.envelope }
      : body;
  const text = JSON.stringify(changed);
  writeHead(ctx, status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  ctx.res.end(ctx.head ? undefined : text);
}

export function sendError(ctx: Ctx, error: ApiError, headers: OutgoingHttpHeaders = {}): void {
  sendJson(ctx, error.status, error.body(), { ...error.headers, ...headers });
}

export function redirect(ctx: Ctx, status: 301 | 302, location: string, body = ''): void {
  writeHead(ctx, status, {
    location,
    'content-type': 'text/html; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  ctx.res.end(ctx.head ? undefined : body);
}

/** Resolves when the response can take more data, or when it is gone. */
export function drained(ctx: Ctx): Promise<void> {
  const res = ctx.res;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function closed(ctx: Ctx): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.res.destroyed || ctx.res.closed) return resolve();
    ctx.res.once('close', () => resolve());
  });
}

/** attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'download';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
