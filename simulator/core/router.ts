/** A tiny router: patterns like "/3/drive/{drive}/files/{file}/files"; a final "*" matches the rest. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEntry, Origin } from './log';

export interface Ctx<S = unknown> {
  origin: Origin;
  req: IncomingMessage;
  res: ServerResponse;
  /** GET for HEAD requests (see `head`). */
  method: string;
  head: boolean;
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Route key, e.g. "GET /2/drive". */
  route: string;
  entry: LogEntry;
  sim: S;
  /** Set by the pipeline: a success answer goes out with this `result` instead. */
  envelope?: 'asynchronous';
}

export type Handler<S> = (ctx: Ctx<S>) => Promise<void> | void;

interface Route<S> {
  method: string;
  pattern: string;
  parts: string[];
  handler: Handler<S>;
}

export class Router<S> {
  private readonly routes: Route<S>[] = [];

  add(method: 'GET' | 'POST', pattern: string, handler: Handler<S>): this {
    this.routes.push({ method, pattern, parts: pattern.split('/').slice(1), handler });
    return this;
  }

  get(pattern: string, handler: Handler<S>): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler<S>): this {
    return this.add('POST', pattern, handler);
  }

  match(method: string, path: string): { key: string; params: Record<string, string>; handler: Handler<S> } | null {
    const segs = path.split('/').slice(1);
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const params = matchParts(r.parts, segs);
      if (params) return { key: `${r.method} ${r.pattern}`, params, handler: r.handler };
    }
    return null;
  }
}

function matchParts(parts: string[], segs: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '*' && i === parts.length - 1) {
      params['*'] = segs.slice(i).join('/');
      return params;
    }
    const s = segs[i];
    if (s === undefined) return null;
    if (p.startsWith('{') && p.endsWith('}')) {
      if (s === '') return null;
      try {
        params[p.slice(1, -1)] = decodeURIComponent(s);
      } catch {
        return null;
      }
    } else if (p !== s) return null;
  }
  return segs.length === parts.length ? params : null;
}
