/**
 * Mail origin. Two modes:
 *   blocked [seed]: /api/mailbox, /api/mail (and below), /api/pim/mail, /api/pim/mailbox,
 *     /api/pim/folder answer 302 to the OAuth authorize page; /api/mail/?account_id=… answers 301 to
 *     an internal http:// host. Tokens are not even looked at.
 *   open [seen in Infomaniak's own mail server for assistants, which uses a personal token]:
 *     `/api/mailbox?with=…`, `/api/mail/{uuid}/folder?with=ik-static`,
 *     `…/folder/{f}/message?offset=&thread=on|off&severywhere=&limit=`,
 *     `…/message/{uid}?prefered_format=html&with=…`, `…/message/{uid}/attachment/{part}`, and the raw
 *     `…/message/{uid}/download` (seen in the Android app with OAuth; for a personal token unknown:
 *     `SimState.mailRaw` makes it answer, refuse (403 / 404) or redirect to the login page).
 * On the api origin /1/mail and /2/mail are 404 in both modes (no such route).
 */
import { randomBytes } from 'node:crypto';
import { errors, success } from '../core/envelope';
import { contentDisposition, redirect, sendJson, writeHead } from '../core/respond';
import type { Router } from '../core/router';
import type { SimState } from '../state';
import { intQuery } from './common';
import type { SimCtx } from './common';

const LOGIN = 'https://login.infomaniak.com/authorize';
const INTERNAL = 'http://mail.infomaniak.com:5000';

function toLogin(ctx: SimCtx): void {
  // [guess] the query of the authorize URL beyond its origin and path
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: 'mail-web',
    redirect_uri: 'https://mail.infomaniak.com/',
    state: randomBytes(8).toString('hex'),
  });
  const html = `<!DOCTYPE html><html><head><title>Redirecting</title></head><body>Redirecting to login.</body></html>`;
  redirect(ctx, 302, `${LOGIN}?${params.toString()}`, html);
}

function blocked(ctx: SimCtx): boolean {
  if (ctx.sim.mailMode !== 'blocked') return false;
  const path = ctx.url.pathname;
  if (path === '/api/mail/' && ctx.query.has('account_id')) {
    redirect(ctx, 301, `${INTERNAL}${path}${ctx.url.search}`);
    return true;
  }
  toLogin(ctx);
  return true;
}

function requireMail(ctx: SimCtx): void {
  ctx.sim.tokens.require(ctx.req, 'workspace:mail');
}

function withSet(ctx: SimCtx): Set<string> {
  return new Set((ctx.query.get('with') ?? '').split(',').map((s) => s.trim()));
}

/** A file answer: bytes with their type and name. */
function sendFile(ctx: SimCtx, bytes: Buffer, type: string, name: string): void {
  writeHead(ctx, 200, {
    'content-type': type,
    'content-length': bytes.length,
    'content-disposition': contentDisposition(name),
  });
  ctx.res.end(ctx.head ? undefined : bytes);
}

function registerMessageRoutes(r: Router<SimState>): void {
  const base = '/api/mail/{uuid}/folder/{folder}/message/{uid}';
  r.get(base, (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const p = ctx.params;
    const preferHtml = ctx.query.get('prefered_format') === 'html';
    const m = ctx.sim.mail.message(p.uuid ?? '', p.folder ?? '', p.uid ?? '', preferHtml);
    if (!m) throw errors.notFound('Message');
    sendJson(ctx, 200, success(m));
  });

  r.get(`${base}/attachment/{part}`, (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const p = ctx.params;
    const a = ctx.sim.mail.attachment(p.uuid ?? '', p.folder ?? '', p.uid ?? '', p.part ?? '');
    if (!a) throw errors.notFound('Attachment');
    sendFile(ctx, a.bytes, a.mimeType, a.name);
  });

  r.get(`${base}/download`, (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const raw = ctx.sim.mail.rawMessage(ctx.params.uuid ?? '', ctx.params.folder ?? '', ctx.params.uid ?? '');
    if (!raw) throw errors.notFound('Message');
    switch (ctx.sim.mailRaw) {
      case 'forbidden':
        throw errors.accessDenied('Message');
      case 'missing':
        throw errors.routeNotFound();
      case 'redirect':
        return toLogin(ctx);
      default: {
        const safe = [...raw.subject].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
        sendFile(ctx, raw.bytes, 'message/rfc822', `${safe.slice(0, 100) || 'message'}.eml`);
      }
    }
  });
}

export function registerMailRoutes(r: Router<SimState>): void {
  r.get('/api/mailbox', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    // `aliases`, `permissions`, `accountId`, `count_users` [seen, asked by the mail server for
    // assistants] add fields this simulator does not serve [guess]; `unseen` adds the count [seen].
    sendJson(ctx, 200, success(ctx.sim.mail.mailboxes(withSet(ctx).has('unseen'))));
  });

  r.get('/api/mail/{uuid}/folder', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    // `with=ik-static` [seen]: what it adds is not known; the tree is the same without it [guess].
    const folders = ctx.sim.mail.folders(ctx.params.uuid ?? '');
    if (!folders) throw errors.notFound('Mailbox');
    sendJson(ctx, 200, success(folders));
  });

  r.get('/api/mail/{uuid}/folder/{folder}/message', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const offset = intQuery(ctx, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intQuery(ctx, 'limit', 50, 1, 1000);
    const threaded = (ctx.query.get('thread') ?? 'on') !== 'off';
    // `severywhere=1` searches every folder [seen]; only the folder itself is served here.
    const page = ctx.sim.mail.threads(ctx.params.uuid ?? '', ctx.params.folder ?? '', offset, limit, threaded);
    if (!page) throw errors.notFound('Folder');
    sendJson(ctx, 200, success(page));
  });

  registerMessageRoutes(r);

  // Blocked-mode routes of the seed; in open mode they do not exist.
  for (const path of [
    '/api/mail',
    '/api/mail/',
    '/api/pim/mail',
    '/api/pim/mailbox',
    '/api/pim/folder',
    '/api/mail/*',
  ]) {
    r.get(path, (ctx) => {
      if (blocked(ctx)) return;
      throw errors.routeNotFound();
    });
  }
}
