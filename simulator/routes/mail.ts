/**
 * Mail origin. Two modes:
 *   blocked [seed]: /api/mailbox, /api/mail (and below), /api/pim/mail, /api/pim/mailbox,
 *     /api/pim/folder answer 302 to the OAuth authorize page; /api/mail/?account_id=… answers 301 to
 *     an internal http:// host. Tokens are not even looked at.
 *   open [seen in the official mail tool, details guess]: mailboxes, folders, threads, messages, .eml.
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

function blocked(ctx: SimCtx): boolean {
  if (ctx.sim.mailMode !== 'blocked') return false;
  const path = ctx.url.pathname;
  if (path === '/api/mail/' && ctx.query.has('account_id')) {
    redirect(ctx, 301, `${INTERNAL}${path}${ctx.url.search}`);
    return true;
  }
  // [guess] the query of the authorize URL beyond its origin and path
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: 'mail-web',
    redirect_uri: 'https://mail.infomaniak.com/',
    state: randomBytes(8).toString('hex'),
  });
  const html = `<!DOCTYPE html><html><head><title>Redirecting</title></head><body>Redirecting to login.</body></html>`;
  redirect(ctx, 302, `${LOGIN}?${params.toString()}`, html);
  return true;
}

function requireMail(ctx: SimCtx): void {
  ctx.sim.tokens.require(ctx.req, 'workspace:mail');
}

export function registerMailRoutes(r: Router<SimState>): void {
  r.get('/api/mailbox', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const withFields = new Set((ctx.query.get('with') ?? '').split(',').map((s) => s.trim()));
    sendJson(ctx, 200, success(ctx.sim.mail.mailboxes(withFields.has('unseen'))));
  });

  r.get('/api/mail/{uuid}/folder', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
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
    const page = ctx.sim.mail.threads(ctx.params.uuid ?? '', ctx.params.folder ?? '', offset, limit, threaded);
    if (!page) throw errors.notFound('Folder');
    sendJson(ctx, 200, success(page));
  });

  r.get('/api/mail/{uuid}/folder/{folder}/message/{uid}', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const m = ctx.sim.mail.message(ctx.params.uuid ?? '', ctx.params.folder ?? '', ctx.params.uid ?? '');
    if (!m) throw errors.notFound('Message');
    sendJson(ctx, 200, success(m));
  });

  r.get('/api/mail/{uuid}/folder/{folder}/message/{uid}/download', (ctx) => {
    if (blocked(ctx)) return;
    requireMail(ctx);
    const raw = ctx.sim.mail.rawMessage(ctx.params.uuid ?? '', ctx.params.folder ?? '', ctx.params.uid ?? '');
    if (!raw) throw errors.notFound('Message');
    const safe = [...raw.subject].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
    const name = `${safe.slice(0, 100) || 'message'}.eml`;
    writeHead(ctx, 200, {
      'content-type': 'message/rfc822',
      'content-length': raw.bytes.length,
      'content-disposition': contentDisposition(name),
    });
    ctx.res.end(ctx.head ? undefined : raw.bytes);
  });

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
