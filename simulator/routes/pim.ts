/**
 * Calendar and contacts (PIM). The same routes exist under several prefixes:
 *   calendar origin /api/pim/{calendar,event} [seed], api origin /1/calendar/pim/… [seen],
 *   contacts origin /api/pim/{addressbook,contact} [seen], and both families on the mail origin [seen].
 */
import { errors, success } from '../core/envelope';
import { sendJson, writeHead } from '../core/respond';
import type { Router } from '../core/router';
import { parsePimQueryTime } from '../core/time';
import type { SimState } from '../state';
import { idParam, listQuery } from './common';
import type { SimCtx } from './common';

function requireCalendar(ctx: SimCtx): void {
  ctx.sim.tokens.require(ctx.req, 'workspace:calendar');
}

function requireContacts(ctx: SimCtx): void {
  // [seed] workspace:contact; [seen] the official contact tool's token has "contacts": either works.
  ctx.sim.tokens.require(ctx.req, 'workspace:contact');
}

function timeQuery(ctx: SimCtx, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const t = parsePimQueryTime(raw);
  if (t === null) throw errors.validation(name, 'validation_rule_date', `The ${name} must be "YYYY-MM-DD HH:MM:SS".`);
  return t;
}

export function registerCalendarRoutes(r: Router<SimState>, prefix: string): void {
  r.get(`${prefix}/calendar`, (ctx) => {
    requireCalendar(ctx);
    sendJson(ctx, 200, success(ctx.sim.calendar.list()));
  });

  r.get(`${prefix}/event`, (ctx) => {
    requireCalendar(ctx);
    const raw = ctx.query.get('calendar_id');
    if (raw === null || raw === '') {
      throw errors.validation('calendar_id', 'validation_rule_required', 'The calendar_id field is required.');
    }
    if (!/^\d+$/.test(raw)) throw errors.notFound('Calendar');
    const calendarId = Number(raw);
    if (!ctx.sim.calendar.hasCalendar(calendarId)) throw errors.notFound('Calendar');
    const from = timeQuery(ctx, 'from', -8.64e15);
    const to = timeQuery(ctx, 'to', 8.64e15);
    // [guess] data is the array of events (recurring events once, as their master with rrule)
    sendJson(ctx, 200, success(ctx.sim.calendar.between(calendarId, from, to)));
  });

  r.get(`${prefix}/event/{id}`, (ctx) => {
    requireCalendar(ctx);
    const event = ctx.sim.calendar.event(idParam(ctx, 'id', 'Event'));
    if (!event) throw errors.notFound('Event');
    sendJson(ctx, 200, success(event));
  });
}

export function registerContactRoutes(r: Router<SimState>, prefix: string): void {
  r.get(`${prefix}/addressbook`, (ctx) => {
    requireContacts(ctx);
    sendJson(ctx, 200, success({ addressbooks: ctx.sim.contacts.addressbooks() }));
  });

  r.get(`${prefix}/contact/all`, (ctx) => {
    requireContacts(ctx);
    const raw = ctx.query.get('addressbook_id'); // [guess] optional filter
    let book: number | undefined;
    if (raw !== null && raw !== '') {
      if (!/^\d+$/.test(raw) || !ctx.sim.contacts.hasAddressbook(Number(raw))) throw errors.notFound('AddressBook');
      book = Number(raw);
    }
    const fields = new Set(listQuery(ctx, 'with'));
    sendJson(ctx, 200, success(ctx.sim.contacts.list(fields, ctx.sim.urls.contacts, book)));
  });

  r.get(`${prefix}/contact/{id}`, (ctx) => {
    requireContacts(ctx);
    const fields = new Set(listQuery(ctx, 'with'));
    const c = ctx.sim.contacts.get(idParam(ctx, 'id', 'Contact'), fields, ctx.sim.urls.contacts);
    if (!c) throw errors.notFound('Contact');
    sendJson(ctx, 200, success(c));
  });

  // [guess] where a contact's photo is served
  r.get(`${prefix}/contact/{id}/avatar`, (ctx) => {
    requireContacts(ctx);
    const a = ctx.sim.contacts.avatar(idParam(ctx, 'id', 'Contact'));
    if (!a) throw errors.notFound('Avatar');
    writeHead(ctx, 200, { 'content-type': a.mime, 'content-length': a.bytes.length, 'cache-control': 'private' });
    ctx.res.end(ctx.head ? undefined : a.bytes);
  });
}
