/**
 * The browser host: serves the built renderer over http on 127.0.0.1 and speaks the IPC contract
 * over a WebSocket on the same port. A per-run secret (given to the page in the URL fragment, sent
 * back as the WebSocket subprotocol) and an exact Origin check keep other pages and local programs out.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { transportError } from '../../shared/ipc/api';
import { decodeFrame, HOST_MAX_FRAME_BYTES, hostCall } from '../../shared/ipc/host-messages';
import type { HostCall, HostReply } from '../../shared/ipc/host-messages';
import type { EventBus, Router } from '../ipc/router';
import { cspFor } from '../security';
import { createDragLinks } from './drag-url';
import type { DragBodySource } from './drag-url';
import { PeerFlow } from './peer-flow';
import type { FlowLimits } from './peer-flow';

export const SUBPROTOCOL_PREFIX = 'poweron.';

export interface HostServerOptions {
  router: Router;
  bus: EventBus;
  /** Folder holding the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Fixed secret for tests; a random one otherwise. */
  secret?: string;
  /** Receives every WebSocket frame in and out (tests use it to prove the token never crosses). */
  onFrame?: (direction: 'in' | 'out', data: string) => void;
  log?: (line: string) => void;
  /** Bytes behind one-time drag links (`drag-url.ts`); without it there are none. */
  drag?: DragBodySource;
  /** Bounds of a peer that does not read (peer-flow.ts); tests make them small. */
  flowLimits?: FlowLimits;
}

export interface HostServer {
  url: string;
  origin: string;
  port: number;
  secret: string;
  /** A one-time drag link for a node (only with the `drag` option). */
  issueDragLink?: (nodeId: string) => { url: string; expiresAt: number };
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The path of a request target, or null when it does not parse (e.g. `//[`). */
function pathnameOf(target: string | undefined, base: string): string | null {
  try {
    return new URL(target ?? '/', base).pathname;
  } catch {
    return null;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why an upgrade request is refused (status line and reason for the log), or null to accept it. */
function upgradeRefusal(req: IncomingMessage, origin: string, secret: string): { status: string; why: string } | null {
  const path = pathnameOf(req.url, origin);
  if (path === null) return { status: '400 Bad Request', why: 'unparsable URL' };
  if (path !== '/ipc') return { status: '403 Forbidden', why: 'wrong path' };
  if (req.headers.origin !== origin) return { status: '403 Forbidden', why: 'foreign origin' };
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(SUBPROTOCOL_PREFIX));
  if (!offered || !sameSecret(offered.slice(SUBPROTOCOL_PREFIX.length), secret))
    return { status: '401 Unauthorized', why: 'missing or wrong secret' };
  return null;
}

/** The WebSocket server for `/ipc` (upgrades are checked and handed to it by hand). */
function ipcSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: HOST_MAX_FRAME_BYTES,
    handleProtocols: (protocols) => {
      for (const p of protocols) if (p.startsWith(SUBPROTOCOL_PREFIX)) return p;
      return false;
    },
  });
}

/** A text frame as a contract call, or null when it does not fit the schema (dropped). */
function callFrom(text: string, onFrame: HostServerOptions['onFrame']): HostCall | null {
  onFrame?.('in', text);
  return decodeFrame(hostCall, text);
}

/**
 * The contract over each accepted WebSocket. Each peer's answers and events go out through its own
 * flow (peer-flow.ts): a peer that does not read gets its calls paused, then is dropped; it never
 * holds more than a few MiB of the host.
 */
function serveIpc(
  wss: WebSocketServer,
  options: HostServerOptions,
  origin: () => string,
  log: (line: string) => void,
): { close(): void } {
  const clients = new Map<WebSocket, PeerFlow<HostCall>>();
  const send = (ws: WebSocket, message: HostReply) => {
    const flow = clients.get(ws);
    if (!flow || ws.readyState !== ws.OPEN) return;
    const data = JSON.stringify(message);
    options.onFrame?.('out', data);
    ws.send(data, () => flow.later());
    flow.sent();
  };
  const unsubscribe = options.bus.subscribe((event, payload) => {
    for (const ws of clients.keys()) send(ws, { t: 'event', event, payload });
  });

  wss.on('connection', (ws: WebSocket) => {
    const answer = (call: HostCall) =>
      options.router
        .dispatch(call.channel, call.arg, { senderUrl: origin(), transport: 'websocket' })
        .catch(() => transportError('The host could not answer.'))
        .then((result) => send(ws, { t: 'result', id: call.id, result }));
    const flow = new PeerFlow(ws, answer, { ...(options.flowLimits ? { limits: options.flowLimits } : {}), log });
    clients.set(ws, flow);
    ws.on('close', () => clients.delete(ws));
    // An oversize or malformed frame ends this socket only (ws closes it with 1009/1002).
    ws.on('error', (error) => log(`host: WebSocket closed after a bad frame (${error.message})`));
    ws.on('message', (raw, isBinary) => {
      const text = isBinary ? null : raw.toString();
      const call = text === null ? null : callFrom(text, options.onFrame);
      if (call) flow.received(call, text!.length);
    });
  });

  return {
    close() {
      unsubscribe();
      for (const ws of clients.keys()) ws.terminate();
    },
  };
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const log = options.log ?? (() => {});
  let origin = '';
  const dragLinks = options.drag ? createDragLinks({ secret, origin: () => origin, source: options.drag, log }) : null;

  const server: Server = createServer((req, res) => {
    if (dragLinks?.handle(req, res)) return;
    void serveStatic(req, res, options.rendererDir, () => origin).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const wss = ipcSocketServer();

  server.on('upgrade', (req, socket, head) => {
    // Node drops its own error listener from an upgraded socket: without this, a peer that resets
    // the connection (ECONNRESET) would throw in the host process.
    socket.on('error', (error) =>
      log(`host: WebSocket socket error (${(error as { code?: string }).code ?? 'unknown'})`),
    );
    const refusal = upgradeRefusal(req, origin, secret);
    if (refusal) {
      log(`host: WebSocket refused (${refusal.why})`);
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const ipc = serveIpc(wss, options, () => origin, log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    port,
    secret,
    ...(dragLinks ? { issueDragLink: (nodeId: string) => dragLinks.issue(nodeId) } : {}),
    async close() {
      ipc.close();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  origin: () => string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string | null;
  try {
    pathname = decodeURIComponent(pathnameOf(req.url, origin()) ?? '');
  } catch {
    pathname = null;
  }
  if (!pathname) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request');
    return;
  }
  if (pathname === '/') pathname = '/index.html';
  const file = normalize(join(root, pathname));
  if (!file.startsWith(normalize(root) + sep)) {
    res.writeHead(403).end();
    return;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': cspFor(origin().replace(/^http/, 'ws')),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
