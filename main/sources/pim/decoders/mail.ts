/** Mail decoders: mailboxes, folders, threads and messages. */
import { z } from 'zod';
import { AppFailure } from '../../../../shared/model/errors';
import { isRecord } from '../../../../shared/model/records';
import { parseApiTime } from '../time';
import { decodeIn, decodeList, unwrapEnvelope } from './lists';
import type { Decoded, MailAddress, MailFolder, MailMailbox, MailMessage, MailThread } from './shapes';
import { compact, decodeEach, first, firstText, idSchema, toBool, toId, toNumber, toText, unixToMs } from './values';

export const MailMailboxSchema = z.looseObject({ uuid: z.string().trim().min(1) }).transform((r): MailMailbox =>
  compact({
    uuid: r.uuid,
    email: firstText(r, ['email', 'address']),
    mailbox: firstText(r, ['mailbox', 'name']),
    is_primary: toBool(r.is_primary) ?? false,
    mailbox_id: toId(r.mailbox_id),
    unseen_messages: toNumber(first(r, ['unseen_messages', 'unread_count'])),
  }),
);

export const MailFolderSchema: z.ZodType<MailFolder> = z.looseObject({ id: idSchema }).transform((r): MailFolder =>
  compact({
    id: r.id,
    name: firstText(r, ['name', 'display_name', 'path']) ?? r.id,
    role: firstText(r, ['role'])?.toLowerCase(),
    unread_count: toNumber(first(r, ['unread_count', 'unseen_messages', 'unread'])),
    total_count: toNumber(first(r, ['total_count', 'count', 'total'])),
    children: decodeList(MailFolderSchema, r.children).items,
  }),
);

export function mailAddressFrom(v: unknown): MailAddress | undefined {
  if (typeof v === 'string') {
    const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(v);
    if (m) return compact({ email: m[2]!.trim(), name: m[1]!.trim() || undefined });
    return v.trim() ? { email: v.trim() } : undefined;
  }
  if (!isRecord(v)) return undefined;
  const email = firstText(v, ['email', 'address', 'mail']);
  const name = firstText(v, ['name', 'display_name']);
  if (!email && !name) return undefined;
  return compact({ email: email ?? '', name });
}

export function mailDateFrom(v: unknown): number | undefined {
  const n = toNumber(v);
  if (n !== undefined) return unixToMs(n);
  if (typeof v !== 'string') return undefined;
  const t = parseApiTime(v);
  if (t?.kind === 'instant') return t.ms;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

export const MailMessageSchema = z.looseObject({}).transform((r, ctx): MailMessage => {
  const uid = toId(r.uid) ?? toId(r.id);
  if (uid === undefined) {
    ctx.issues.push({ code: 'custom', message: 'message has no uid or id', input: r });
    return z.NEVER;
  }
  return compact({
    uid,
    subject: toText(r.subject) ?? '',
    from: decodeEach(r.from, mailAddressFrom),
    date: mailDateFrom(first(r, ['date', 'internal_date', 'received_at', 'sent_at'])),
    resource: firstText(r, ['resource']),
    seen: toBool(first(r, ['seen', 'is_seen'])),
    attachments: toBool(first(r, ['has_attachments', 'has_attachment'])),
    size: toNumber(r.size),
    folder_id: toId(first(r, ['folder_id', 'folder'])),
  });
});

export const MailThreadSchema = z.looseObject({}).transform((r, ctx): MailThread => {
  if (Array.isArray(r.messages)) {
    const decoded = decodeList(MailMessageSchema, r.messages);
    // A message that does not decode makes the thread unknown as a whole (counted as skipped by
    // the listing), never a thread silently missing one message (sync would take it as removed).
    if (decoded.skipped > 0) {
      ctx.issues.push({ code: 'custom', message: 'a message of this thread does not decode', input: r });
      return z.NEVER;
    }
    const messages = decoded.items;
    const newest = messages.reduce<MailMessage | undefined>(
      (a, m) => (a && (a.date ?? 0) >= (m.date ?? 0) ? a : m),
      undefined,
    );
    const id = toId(r.uid) ?? toId(r.id) ?? messages[0]?.uid;
    if (id === undefined || messages.length === 0) {
      ctx.issues.push({ code: 'custom', message: 'thread without messages', input: r });
      return z.NEVER;
    }
    return compact({
      id,
      subject: toText(r.subject) ?? messages[0]?.subject ?? '',
      date: mailDateFrom(r.date) ?? newest?.date,
      messages,
    });
  }
  const single = MailMessageSchema.safeParse(r);
  if (!single.success) {
    ctx.issues.push({ code: 'custom', message: 'neither a thread nor a message', input: r });
    return z.NEVER;
  }
  return compact({
    id: single.data.uid,
    subject: single.data.subject,
    date: single.data.date,
    messages: [single.data],
  });
});

/** `GET /api/mailbox`: `data[]` [seen] or `data.mailboxes[]`. */
export function decodeMailboxes(raw: unknown): Decoded<MailMailbox> {
  return decodeIn(MailMailboxSchema, raw, ['mailboxes', 'items']);
}

/** `GET /api/mail/{uuid}/folder`: `data[]`, `data.folders[]`, or one root folder with `children`. */
export function decodeMailFolders(raw: unknown): Decoded<MailFolder> {
  const data = unwrapEnvelope(raw);
  if (isRecord(data) && !Array.isArray(data.folders) && data.id !== undefined && data.id !== null) {
    return decodeList(MailFolderSchema, [data]);
  }
  return decodeIn(MailFolderSchema, data, ['folders', 'children', 'items']);
}

function totalIn(raw: unknown): number | undefined {
  const data = unwrapEnvelope(raw);
  return isRecord(data) ? toNumber(first(data, ['count', 'total', 'messages_count'])) : undefined;
}

/** `GET /api/mail/{uuid}/folder/{fid}/message?thread=on`: `data.threads[]` (+ `count`) or `data[]`. */
export function decodeMailThreads(raw: unknown): Decoded<MailThread> & { total?: number } {
  const decoded: Decoded<MailThread> & { total?: number } = decodeIn(MailThreadSchema, raw, [
    'threads',
    'messages',
    'items',
  ]);
  const total = totalIn(raw);
  if (total !== undefined) decoded.total = total;
  return decoded;
}

/** The same listing, flattened to messages (newest thread first as the API orders them). */
export function decodeMailMessages(raw: unknown): Decoded<MailMessage> & { total?: number } {
  const threads = decodeMailThreads(raw);
  const out: Decoded<MailMessage> & { total?: number } = {
    items: threads.items.flatMap((t) => t.messages),
    skipped: threads.skipped,
  };
  if (threads.unrecognized) out.unrecognized = true;
  if (threads.total !== undefined) out.total = threads.total;
  return out;
}

/**
 * Parse loudly: an answer whose list is in none of the accepted places is an error, never "no
 * items" (an empty mailbox and a misunderstood answer must not look the same).
 */
export function requireMailList<D extends Decoded<unknown>>(decoded: D, what: string): D {
  if (decoded.unrecognized)
    throw new AppFailure(
      'api_error',
      `Infomaniak's mail service answered the ${what} in a form this app does not know.`,
      undefined,
      { reason: 'unknown_shape' },
    );
  return decoded;
}
