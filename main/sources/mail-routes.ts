/**
 * The mail routes, exactly as Infomaniak's own mail server for assistants calls them with a personal
 * token (docs/infomaniak-api.md, Mail), and the checks that keep every path built from an id on
 * them. Queries are written out (not URL-encoded) so the commas of `with=` go as the evidence sends
 * them.
 */
import { failWith } from '../../shared/model/errors';
import type { MailAttachmentMeta, MailMessage } from './pim/index';

/** The mailboxes (also the connection's Mail probe, main/connections/validation.ts). */
export const MAILBOXES_PATH = '/api/mailbox?with=aliases,permissions,accountId,count_users';

export function foldersPath(mailbox: string): string {
  return `/api/mail/${encodeURIComponent(checkedId(mailbox, 'mailbox'))}/folder?with=ik-static`;
}

/** One page of a folder's own messages (`thread=off`: a thread would bring other folders' messages). */
export function messagesPath(mailbox: string, folder: string, offset: number, limit: number): string {
  const base = `/api/mail/${encodeURIComponent(checkedId(mailbox, 'mailbox'))}/folder/${encodeURIComponent(checkedId(folder, 'folder'))}`;
  return `${base}/message?offset=${offset}&thread=off&severywhere=0&limit=${limit}`;
}

/** One message's JSON (headers, body, attachments metadata). */
export function messageDetailPath(resource: string): string {
  return `${resource}?prefered_format=html&with=auto_uncrypt,thread_context`;
}

/** The raw `.eml` (seen with OAuth; for a personal token unverified). */
export function rawMessagePath(resource: string): string {
  return `${resource}/download`;
}

/** An attachment's bytes: its own `resource` when it lies below the message's, else built from its id. */
export function attachmentPath(resource: string, attachment: MailAttachmentMeta): string {
  if (attachment.resource !== undefined) {
    const m = /^(.*)\/attachment\/([^/?#]+)$/.exec(attachment.resource);
    if (!m || m[1] !== resource || !ID_SEGMENT.test(safeDecode(m[2]!) ?? ''))
      throw failWith('api_error', 'unknown_shape', 'Infomaniak named an attachment of this message at another place.');
    return attachment.resource;
  }
  return `${resource}/attachment/${encodeURIComponent(checkedId(attachment.id, 'attachment'))}`;
}

/**
 * One id-derived path segment (mailbox uuid, folder id, message uid): visible characters of ids,
 * never `.` or `..`, never a slash (8.15: a crafted id must not steer main to another path).
 */
const ID_SEGMENT = /^(?!\.{1,2}$)[\w.~@=+:,-]{1,256}$/;

export function checkedId(value: string | null | undefined, what: string): string {
  if (value === null || value === undefined || !ID_SEGMENT.test(value))
    throw failWith('not_found', 'invalid_id', `This ${what} id is not valid.`);
  return value;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * A listed message's resource: its own `resource`, else built from the part of its uid before `@`
 * (the "short uid" the message routes take; a listing's uid reads `<short uid>@<folder id>`).
 */
export function messageResource(mailbox: string, folder: string, message: MailMessage): string {
  if (message.resource !== undefined) return message.resource;
  const short = message.uid.split('@')[0] ?? message.uid;
  return `/api/mail/${encodeURIComponent(mailbox)}/folder/${encodeURIComponent(folder)}/message/${encodeURIComponent(short)}`;
}

/**
 * A message's resource as a path on the mail host, only in its documented shape
 * `/api/mail/{mailbox}/folder/{folder}/message/{uid}` and only for the mailbox and folder of the
 * node itself; an absolute URL must be on the mail host.
 */
export function resourcePath(
  resource: string,
  mailbox: string | null,
  folder: string | null,
  mailOrigin: string,
): string {
  let path = resource;
  if (/^[a-z][a-z0-9+.-]*:/i.test(resource)) {
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      throw failWith('not_found', 'invalid_id', 'This message id is not valid.');
    }
    if (url.origin !== new URL(mailOrigin).origin || url.search || url.hash)
      throw failWith('not_found', 'invalid_id', 'This message id is not valid.');
    path = url.pathname;
  }
  const m = /^\/?api\/mail\/([^/]+)\/folder\/([^/]+)\/message\/([^/]+)$/.exec(path);
  if (!m || m[1] !== checkedId(mailbox, 'mailbox') || m[2] !== encodeURIComponent(checkedId(folder, 'folder')))
    throw failWith('not_found', 'invalid_id', 'This message id is not valid.');
  checkedId(safeDecode(m[3]!), 'message');
  return `/api/mail/${m[1]}/folder/${m[2]}/message/${m[3]}`;
}
