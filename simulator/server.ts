/**
 * One HTTPS server per origin on 127.0.0.1 (api, calendar, contacts, mail, storage, notify), all sharing one
 * state. Every request goes: log → route match → latency → rate limit → injected faults → handler;
 * handler errors become the error envelope.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenStore } from './core/auth';
import { ApiError, errors } from './core/envelope';
import type { Origin } from './core/log';
import type { FaultSpec } from './core/faults';
import { closed, sendError, sendJson } from './core/respond';
import { Router } from './core/router';
import type { Ctx } from './core/router';
import type { CertBundle } from './core/cert';
import { registerDownloadRoutes, registerStorageRoutes } from './routes/download';
import { registerDriveRoutes } from './routes/drive';
import { registerFileExtraRoutes } from './routes/file-extras';
import { registerShareRoutes } from './routes/shares';
import { registerActivityRoutes } from './routes/activities';
import { registerListingFeedRoutes } from './routes/listing-feed';
import { registerDriveFeedRoutes } from './routes/drive-feed';
import { registerNotifyRoutes } from './routes/notify';
import { registerMailRoutes } from './routes/mail';
import { registerCalendarRoutes, registerContactRoutes } from './routes/pim';
import type { SimState } from './state';

export const ORIGINS: readonly Origin[] = ['api', 'calendar', 'contacts', 'mail', 'storage', 'notify'];

export function buildRouters(): Record<Origin, Router<SimState>> {
  const api = new Router<SimState>();
  registerShareRoutes(api); // before the drive routes: `files/shared_with_me` is not a file id
  registerDriveRoutes(api);
  registerFileExtraRoutes(api);
  registerActivityRoutes(api);
  registerListingFeedRoutes(api);
  registerDriveFeedRoutes(api);
  registerDownloadRoutes(api);
  registerCalendarRoutes(api, '/1/calendar/pim');
  registerContactRoutes(api, '/1/calendar/pim'); // [guess] seen in third-party clients
  const calendar = new Router<SimState>();
  registerCalendarRoutes(calendar, '/api/pim');
  const contacts = new Router<SimState>();
  registerContactRoutes(contacts, '/api/pim');
  const mail = new Router<SimState>();
  registerMailRoutes(mail);
  registerCalendarRoutes(mail, '/api/pim');
  registerContactRoutes(mail, '/api/pim');
  const storage = new Router<SimState>();
  registerStorageRoutes(storage);
  const notify = new Router<SimState>();
  registerNotifyRoutes(notify);
  return { api, calendar, contacts, mail, storage, notify };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The answer of an injected fault: a 500, or a 503 that may ask to come back (Retry-After). */
function injectedError(spec: FaultSpec): ApiError {
  return spec.errorStatus === 503 ? errors.unavailable(spec.retryAfterSeconds) : errors.internal();
}

async function handle(
  sim: SimState,
  origin: Origin,
  router: Router<SimState>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const head = req.method === 'HEAD';
  const method = head ? 'GET' : (req.method ?? 'GET');
  const match = router.match(method, url.pathname);
  const entry = sim.log.add({
    origin,
    method: req.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    status: 0,
    authorization: req.headers.authorization !== undefined,
    at: Date.now(),
    route: match?.key ?? 'unmatched',
  });
  if (!sim.quiet) {
    res.on('close', () =>
      process.stderr.write(`${origin.padEnd(8)} ${entry.method} ${entry.path} → ${entry.status || 'aborted'}\n`),
    );
  }
  const ctx: Ctx<SimState> = {
    origin,
    req,
    res,
    method,
    head,
    url,
    query: url.searchParams,
    params: match?.params ?? {},
    route: entry.route,
    entry,
    sim,
  };
  let rateHeaders: Record<string, string> = {};
  try {
    const delay = sim.latency.delayFor(entry.route);
    if (delay > 0) await sleep(delay);
    const bearer = origin === 'storage' ? null : TokenStore.bearer(req);
    if (bearer !== null) {
      const decision = sim.limiter.check(bearer, Date.now(), entry.route);
      if (decision) {
        rateHeaders = decision.headers;
        if (!decision.ok) throw errors.tooManyRequests(decision.retryAfter, decision.headers);
      }
    }
    if (sim.faults.shouldHang(entry.route)) {
      await closed(ctx);
      return;
    }
    if (sim.faults.shouldFail(entry.route, origin)) throw injectedError(sim.faults.get());
    if (sim.faults.refusesTokens(origin)) throw errors.notAuthorized();
    if (!match) throw errors.routeNotFound();
    for (const [k, v] of Object.entries(rateHeaders)) res.setHeader(k, v);
    const envelope = takeEnvelope(sim, entry.route);
    if (envelope === 'redirect') {
      // The answer is elsewhere: here, the same request again (the next answer is the data).
      sendJson(ctx, 200, { result: 'redirect', uri: `${sim.urls[origin]}${url.pathname}${url.search}` });
      return;
    }
    if (envelope) ctx.envelope = envelope;
    await match.handler(ctx);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ApiError) {
      sendError(ctx, error, rateHeaders);
    } else {
      process.stderr.write(`simulator: ${origin} ${entry.method} ${entry.path} failed: ${String(error)}\n`);
      sendError(ctx, new ApiError(500, 'internal_error', 'Internal simulator error'));
    }
  }
}

function takeEnvelope(sim: SimState, route: string): 'redirect' | 'asynchronous' | null {
  const rule = sim.envelopes.find((e) => e.route === route && (e.left === null || e.left > 0));
  if (!rule) return null;
  if (rule.left !== null) rule.left -= 1;
  return rule.result;
}

export interface Listening {
  servers: Map<Origin, Server>;
  urls: Record<Origin, string>;
}

export async function listen(sim: SimState, cert: CertBundle, port: number | undefined): Promise<Listening> {
  const routers = buildRouters();
  const servers = new Map<Origin, Server>();
  const urls = { api: '', calendar: '', contacts: '', mail: '', storage: '', notify: '' } as Record<Origin, string>;
  try {
    for (const [i, origin] of ORIGINS.entries()) {
      const server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
        // A request the handler cannot even start on (e.g. `GET //[`) costs that request only.
        handle(sim, origin, routers[origin], req, res).catch(() => {
          if (res.headersSent) res.destroy();
          else res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Bad request');
        });
      });
      server.keepAliveTimeout = 5000;
      servers.set(origin, server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port === undefined ? 0 : port + i, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      urls[origin] = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
  return { servers, urls };
}

export async function closeAll(servers: Map<Origin, Server>): Promise<void> {
  await Promise.all(
    [...servers.values()].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
}
