/**
 * A message as an `.eml`: the raw message where the mail service gives it
 * (`{resource}/download`, seen with OAuth, unverified for a personal token), otherwise assembled
 * from the message's JSON (headers, text and HTML, attachments fetched from their route) with
 * nodemailer's MailComposer. Whether the raw route answers is learned once per connection (`RawEml`):
 * a probe that does not follow redirects, then every message of that connection takes the same way.
 * A refusal (a redirect, 403/404/405/410/501, or an answer that is not a message) makes the
 * connection assemble from then on.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerAttachment, MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { appErrorFrom } from '../errors/app-error';
import type { DownloadRequest, DownloadResponse, InfomaniakApi, RequestOptions } from '../infomaniak/types';
import { attachmentPath, messageDetailPath, rawMessagePath } from './mail-routes';
import { decodeMailMessageDetail } from './pim/index';
import type { MailAddress, MailMessageDetail } from './pim/index';
import { once } from './jobs';

/** Statuses that mean "this route is not for this token", not "try again". */
const REFUSED = new Set([403, 404, 405, 410, 501]);

/** Per connection: does the raw route answer? (a promise, so parallel downloads probe once) */
export class RawEml {
  #known = new Map<string, Promise<boolean>>();
  /** What the probe found, once it answered (for estimates: no request). */
  #answered = new Map<string, boolean>();

  available(client: InfomaniakApi, connectionId: string, resource: string, options: CallOptions): Promise<boolean> {
    let known = this.#known.get(connectionId);
    if (!known) {
      known = probeRaw(client, resource, options).then((answer) => {
        if (answer === null) this.#known.delete(connectionId);
        else this.#answered.set(connectionId, answer);
        return answer ?? false;
      });
      this.#known.set(connectionId, known);
      known.catch(() => this.#known.delete(connectionId));
    }
    return known;
  }

  refused(connectionId: string): void {
    this.#known.set(connectionId, Promise.resolve(false));
    this.#answered.set(connectionId, false);
  }

  /** Whether the raw route answers this connection, as far as known without asking (null: not known yet). */
  answers(connectionId: string): boolean | null {
    return this.#answered.get(connectionId) ?? null;
  }

  reset(connectionId: string): void {
    this.#known.delete(connectionId);
    this.#answered.delete(connectionId);
  }
}

/** True: the raw route answers a message; false: it is refused; null: no answer either way (e.g. 429, 5xx). */
async function probeRaw(client: InfomaniakApi, resource: string, options: CallOptions): Promise<boolean | null> {
  const result = await client.probe('mail', rawMessagePath(resource), callOptions(options));
  switch (result.kind) {
    case 'not_json':
      return result.status >= 200 && result.status < 300 ? isMessageType(result.contentType) : false;
    case 'redirect':
    case 'json':
      return false;
    case 'http':
      return REFUSED.has(result.status) ? false : null;
  }
}

/** A raw message's content type: a message, or bytes; never a page or JSON. */
export function isMessageType(contentType: string | null): boolean {
  if (contentType === null) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return ['message/rfc822', 'message/global', 'application/octet-stream', 'application/x-eml', 'text/plain'].includes(
    type,
  );
}

function isRefusal(error: unknown): boolean {
  const e = appErrorFrom(error);
  if (e.code === 'unsafe_redirect') return true;
  if (e.code === 'scope_missing' || e.code === 'token_invalid') return false;
  return e.details?.status !== undefined && REFUSED.has(e.details.status);
}

export interface EmlContext {
  client: InfomaniakApi;
  connectionId: string;
  raw: RawEml;
}

type Req = Pick<DownloadRequest, 'start' | 'ifRange' | 'signal' | 'onWait'>;

/** What every request of one download passes on: its abort signal, and who shows a wait for the budget. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'onWait'>;

function callOptions(options: CallOptions): CallOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onWait ? { onWait: options.onWait } : {}),
  };
}

/** One message as a download: the raw body (resumable), else the assembled bytes. */
export async function emlResponse(ctx: EmlContext, resource: string, req: Req): Promise<DownloadResponse> {
  if (await ctx.raw.available(ctx.client, ctx.connectionId, resource, req)) {
    try {
      const response = await ctx.client.download('mail', rawMessagePath(resource), req);
      if (isMessageType(response.contentType)) return response;
      response.cancel();
      ctx.raw.refused(ctx.connectionId);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // The probe saw the route answer: a 404 now is this message (moved or deleted), not the route.
      if (appErrorFrom(error).details?.status !== 404) ctx.raw.refused(ctx.connectionId);
    }
  }
  return bytesResponse(await assembleEml(ctx.client, resource, req));
}

/** One message's whole bytes (for an `.mbox`). */
export async function emlBytes(ctx: EmlContext, resource: string, options: CallOptions): Promise<Uint8Array> {
  const response = await emlResponse(ctx, resource, callOptions(options));
  return readAll(response);
}

export function bytesResponse(bytes: Uint8Array, contentType = 'message/rfc822'): DownloadResponse {
  return {
    status: 200,
    totalSize: bytes.byteLength,
    offset: 0,
    etag: null,
    lastModified: null,
    contentType,
    body: once(bytes),
    cancel: () => undefined,
  };
}

/** Reads a download's body into one buffer. */
export async function readAll(response: DownloadResponse): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of response.body) chunks.push(chunk);
  } catch (error) {
    response.cancel();
    throw error;
  }
  return Buffer.concat(chunks);
}

/** The message's JSON and its attachments → RFC 5322 bytes. */
export async function assembleEml(
  client: InfomaniakApi,
  resource: string,
  call: CallOptions = {},
): Promise<Uint8Array> {
  const options = callOptions(call);
  const answer = await client.get('mail', messageDetailPath(resource), options);
  const detail = decodeMailMessageDetail(answer.data);
  const attachments: MailComposerAttachment[] = [];
  for (const a of detail.attachments) {
    const content = await readAll(await client.download('mail', attachmentPath(resource, a), options));
    attachments.push({
      filename: a.name,
      content: Buffer.from(content.buffer, content.byteOffset, content.byteLength),
      ...(a.mime ? { contentType: a.mime } : {}),
      contentDisposition: a.disposition === 'inline' ? 'inline' : 'attachment',
      ...(a.contentId ? { cid: a.contentId } : {}),
    });
  }
  return composeEml(detail, attachments);
}

function addresses(list: MailAddress[]): MailComposerOptions['to'] {
  return list.map((a) => (a.name ? { name: a.name, address: a.email } : a.email));
}

/** RFC 5322 with MIME parts, built by MailComposer. It never reads files or URLs. */
export async function composeEml(
  detail: MailMessageDetail,
  attachments: MailComposerAttachment[],
): Promise<Uint8Array> {
  const options: MailComposerOptions = {
    from: addresses(detail.from),
    to: addresses(detail.to),
    cc: addresses(detail.cc),
    bcc: addresses(detail.bcc),
    replyTo: addresses(detail.replyTo),
    subject: detail.subject,
    attachments,
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
  };
  if (detail.date !== undefined) options.date = new Date(detail.date);
  if (detail.msgId) options.messageId = detail.msgId;
  if (detail.inReplyTo) options.inReplyTo = detail.inReplyTo;
  if (detail.references) options.references = detail.references;
  if (detail.text !== undefined) options.text = detail.text;
  if (detail.html !== undefined) options.html = detail.html;
  const node = new MailComposer(options).compile();
  // The user's own copy: a Bcc the API shows stays in the file.
  node.keepBcc = true;
  return node.build();
}
