/**
 * One-time links for dragging files out of the browser host (Chromium's `DownloadURL` drag data).
 *
 * A link is `<origin>/drag/<nonce>.<mac>`: the nonce is random, the mac an HMAC of nonce, node and
 * expiry under this run's secret (the secret itself never appears). It is served once, within 60 s,
 * to a loopback peer that names this host (Host header) and is not another site (Origin,
 * Sec-Fetch-Site); anything else gets 403, and only a request with the right mac uses the link up.
 * The bytes come from main (a staged or downloaded copy, or streamed through the connection's
 * client): the token never reaches the page.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DragBody } from '../drag/service';

export const DRAG_LINK_PREFIX = '/drag/';
const DEFAULT_TTL_MS = 60_000;
const MAX_LIVE = 256;
const LINK = /^\/drag\/([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export interface DragBodySource {
  open(nodeId: string, signal: AbortSignal): Promise<DragBody>;
}

export interface DragLinksOptions {
  secret: string;
  /** The host's own origin (`http://127.0.0.1:<port>`), known once it listens. */
  origin: () => string;
  source: DragBodySource;
  ttlMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface DragLinks {
  issue(nodeId: string): { url: string; expiresAt: number };
  /** Answers the request if it is for a drag link (true), else leaves it alone (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

interface Live {
  nodeId: string;
  expiresAt: number;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Why this request does not come from this host's own page on this machine, or null if it does. */
function foreignPeer(req: IncomingMessage, origin: string): string | null {
  if (!isLoopback(req.socket.remoteAddress)) return 'not loopback';
  if (`http://${req.headers.host ?? ''}` !== origin) return 'foreign host';
  if (req.headers.origin !== undefined && req.headers.origin !== origin) return 'foreign origin';
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'cross-site request';
  return null;
}

/** Serves the node's bytes as an attachment; a peer that goes away aborts the source. */
async function serve(res: ServerResponse, nodeId: string, source: DragBodySource, log: (line: string) => void) {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let body: DragBody;
  try {
    body = await source.open(nodeId, abort.signal);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The file could not be read.';
    res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(message);
    return;
  }
  res.writeHead(200, {
    'Content-Type': body.mime,
    ...(body.size !== null ? { 'Content-Length': body.size } : {}),
    'Content-Disposition': contentDisposition(body.name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  try {
    for await (const chunk of body.body) {
      if (abort.signal.aborted) break;
      if (!res.write(chunk))
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
    }
    res.end();
  } catch (error) {
    log(`host: drag link stream failed: ${error instanceof Error ? error.message : String(error)}`);
    res.destroy();
  } finally {
    body.cancel();
  }
}

export function createDragLinks(options: DragLinksOptions): DragLinks {
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const live = new Map<string, Live>();
  const macOf = (nonce: string, nodeId: string, expiresAt: number) =>
    createHmac('sha256', options.secret).update(`${nonce}\n${nodeId}\n${expiresAt}`).digest('base64url');

  const sweep = () => {
    const t = now();
    for (const [nonce, link] of live) if (link.expiresAt <= t) live.delete(nonce);
    while (live.size >= MAX_LIVE) live.delete(live.keys().next().value as string);
  };

  const refuse = (res: ServerResponse, why: string) => {
    log(`host: drag link refused (${why})`);
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('This drag link is not valid (any more). Drag the file again.');
  };

  /**
   * Which link the request may use, or why not. Only a request with the link's own mac consumes it
   * (used or expired): a wrong mac leaves it alone, so whoever knows the nonce alone cannot burn it.
   */
  const check = (req: IncomingMessage): Live | string => {
    const foreign = foreignPeer(req, options.origin());
    if (foreign) return foreign;
    const match = LINK.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return 'malformed';
    const [, nonce = '', mac = ''] = match;
    const link = live.get(nonce);
    if (!link) return 'unknown or used';
    const expected = Buffer.from(macOf(nonce, link.nodeId, link.expiresAt));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad signature';
    live.delete(nonce);
    if (now() >= link.expiresAt) return 'expired';
    return link;
  };

  return {
    issue(nodeId) {
      sweep();
      const nonce = randomBytes(16).toString('base64url');
      const expiresAt = now() + ttl;
      live.set(nonce, { nodeId, expiresAt });
      return { url: `${options.origin()}${DRAG_LINK_PREFIX}${nonce}.${macOf(nonce, nodeId, expiresAt)}`, expiresAt };
    },
    handle(req, res) {
      if (!(req.url ?? '').startsWith(DRAG_LINK_PREFIX)) return false;
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return true;
      }
      const link = check(req);
      if (typeof link === 'string') refuse(res, link);
      else
        void serve(res, link.nodeId, options.source, log).catch(() => {
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      return true;
    },
  };
}
