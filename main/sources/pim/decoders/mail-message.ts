/**
 * One message as `…/message/{uid}?prefered_format=html&with=auto_uncrypt,thread_context` answers it
 * (docs/infomaniak-api.md, Mail): the fields an `.eml` is assembled from. Parsed loudly: an answer
 * that is not one message, or an attachment that cannot be fetched, is an error (an `.eml` missing
 * an attachment would be a silent loss). Where the record is unsure, both plausible shapes are read:
 * `body` as `{type, value}` or a string, an `html` field beside it, `in_reply_to` as a string or a
 * list, `references` as a string or a list, addresses as objects or `Name <a@b>` strings.
 */
import { AppFailure } from '../../../../shared/model/errors';
import { isRecord } from '../../../../shared/model/records';
import { mailAddressFrom, mailDateFrom } from './mail';
import { unwrapEnvelope } from './lists';
import type { MailAddress, MailAttachmentMeta, MailMessageDetail } from './shapes';
import { compact, decodeEach, first, firstText, toId, toNumber, toText } from './values';

type Rec = Record<string, unknown>;

function unknownShape(what: string): AppFailure {
  return new AppFailure(
    'api_error',
    `Infomaniak's mail service described ${what} in a form this app does not know.`,
    undefined,
    { reason: 'unknown_shape' },
  );
}

function addresses(v: unknown): MailAddress[] {
  return decodeEach(v, mailAddressFrom);
}

/** A string, or the strings of a list joined by `sep` (the first only when `sep` is null). */
function textOrList(v: unknown, sep: string | null): string | undefined {
  if (Array.isArray(v)) {
    const parts = v.map(toText).filter((x): x is string => x !== undefined);
    if (parts.length === 0) return undefined;
    return sep === null ? parts[0] : parts.join(sep);
  }
  return toText(v);
}

/** The text and HTML bodies: `body {type, value}` (or a string) and an optional `html` field. */
function bodies(r: Rec): { text?: string; html?: string } {
  const out: { text?: string; html?: string } = {};
  const body = r.body;
  if (typeof body === 'string') out.text = body;
  else if (isRecord(body)) {
    const value = typeof body.value === 'string' ? body.value : undefined;
    const type = firstText(body, ['type', 'mime_type'])?.toLowerCase();
    if (value !== undefined) {
      if (type?.includes('html')) out.html = value;
      else out.text = value;
    }
  } else if (body !== undefined && body !== null) throw unknownShape('a message body');
  if (out.html === undefined && typeof r.html === 'string' && r.html !== '') out.html = r.html;
  if (out.text === undefined && typeof r.text === 'string') out.text = r.text;
  return out;
}

function attachmentFrom(v: unknown): MailAttachmentMeta {
  if (!isRecord(v)) throw unknownShape('an attachment');
  const resource = firstText(v, ['resource']);
  const id = (resource ? resource.split('/').at(-1) : undefined) ?? toId(first(v, ['part_id', 'uuid', 'id']));
  if (!id) throw unknownShape('an attachment');
  const contentId = firstText(v, ['content_id', 'cid'])?.replace(/^<|>$/g, '');
  return compact({
    resource,
    id,
    name: firstText(v, ['name', 'filename', 'file_name']) ?? `attachment-${id}`,
    mime: firstText(v, ['mime_type', 'content_type', 'type']),
    size: toNumber(v.size),
    disposition: firstText(v, ['disposition'])?.toLowerCase(),
    contentId: contentId || undefined,
  });
}

/** `…/message/{uid}` → the message. Throws `api_error` for an answer of another shape. */
export function decodeMailMessageDetail(raw: unknown): MailMessageDetail {
  const r = unwrapEnvelope(raw);
  if (!isRecord(r)) throw unknownShape('this message');
  const uid = toId(r.uid) ?? toId(r.id);
  if (uid === undefined) throw unknownShape('this message');
  const list = r.attachments;
  if (list !== undefined && list !== null && !Array.isArray(list)) throw unknownShape('the attachments');
  return compact({
    uid,
    msgId: firstText(r, ['msg_id', 'message_id']),
    subject: toText(r.subject) ?? '',
    from: addresses(r.from),
    to: addresses(r.to),
    cc: addresses(r.cc),
    bcc: addresses(r.bcc),
    replyTo: addresses(r.reply_to),
    date: mailDateFrom(first(r, ['date', 'internal_date', 'received_at', 'sent_at'])),
    inReplyTo: textOrList(r.in_reply_to, null),
    references: textOrList(r.references, ' '),
    ...bodies(r),
    attachments: (list ?? []).map(attachmentFrom),
  });
}
