/**
 * Mailboxes, folders and messages for mail "open" mode. Routes and top-level fields follow the doc
 * [seen]: a message's `uid` is `<short uid>@<folder id>`, its routes and its `resource`
 * (`/api/mail/{uuid}/folder/{fid}/message/{short uid}`) take the short uid, its attachments carry a
 * `resource` below it. Whether a personal token gets the raw `.eml` at `{resource}/download` is not
 * known (`settings` of the route: `SimState.mailRaw`). Folder ids look like the real ones (base64 of
 * a deflated folder path) [guess].
 */
import { deflateSync } from 'node:zlib';
import { hashString, uuidFrom } from '../core/prng';
import { parseTimeSpec, rfc5322Date } from '../core/time';
import type { MailboxScenario, MessageScenario, MailFolderSpec } from '../scenario/schema';

interface MessageModel {
  uid: string;
  /** The part of the uid before `@`: what the message routes take (the apps' "short uid") [seen]. */
  short: string;
  folderId: string;
  dateMs: number;
  thread: string;
  spec: MessageScenario;
  raw: Buffer | null;
}

interface FolderModel {
  id: string;
  path: string;
  json: Record<string, unknown>;
  messages: MessageModel[];
}

interface MailboxModel {
  uuid: string;
  json: Record<string, unknown>;
  tree: Record<string, unknown>[];
  folders: Map<string, FolderModel>;
}

const CRLF = '\r\n';

/** RFC 2047 encoded words for non-ASCII header text, split so each word stays short. */
export function encodeHeader(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (Buffer.byteLength(cur + ch) > 45) {
      words.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) words.push(cur);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${CRLF} `);
}

function address(a: { name: string; email: string }): string {
  if (!a.name) return a.email;
  const name = /^[\w .-]*$/.test(a.name)
    ? a.name
    : /^[\x20-\x7e]*$/.test(a.name)
      ? `"${a.name}"`
      : encodeHeader(a.name);
  return `${name} <${a.email}>`;
}

function base64Lines(buf: Buffer): string {
  return (buf.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

export function buildEml(m: MessageScenario, uid: string, dateMs: number, tz: string): Buffer {
  const boundary = `=_sim_${hashString(uid).toString(16)}`;
  const headers = [
    `From: ${address(m.from)}`,
    `To: ${m.to.map(address).join(', ')}`,
    ...(m.cc.length ? [`Cc: ${m.cc.map(address).join(', ')}`] : []),
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${rfc5322Date(dateMs, tz)}`,
    `Message-ID: <${hashString(uid).toString(36)}.${uid.replace(/[^\w.-]/g, '')}@simulator.poweron.invalid>`,
    'MIME-Version: 1.0',
  ];
  const textPart = [
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(m.body, 'utf8')),
  ].join(CRLF);
  let body: string;
  const alt = m.html
    ? [
        `Content-Type: multipart/alternative; boundary="${boundary}_alt"`,
        '',
        `--${boundary}_alt`,
        textPart,
        `--${boundary}_alt`,
        'Content-Type: text/html; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(Buffer.from(m.html, 'utf8')),
        `--${boundary}_alt--`,
      ].join(CRLF)
    : textPart;
  if (m.attachments.length) {
    const parts = m.attachments.map((a) =>
      [
        `Content-Type: ${a.mime_type}; name="${encodeHeader(a.name)}"`,
        `Content-Disposition: attachment; filename="${encodeHeader(a.name)}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(attachmentBytes(a)),
      ].join(CRLF),
    );
    body = [
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      alt,
      ...parts.flatMap((p) => [`--${boundary}`, p]),
      `--${boundary}--`,
      '',
    ].join(CRLF);
  } else {
    body = `${alt}${CRLF}`;
  }
  return Buffer.from(`${headers.join(CRLF)}${CRLF}${body}`, 'utf8');
}

export class MailModel {
  private readonly boxes: MailboxModel[] = [];

  constructor(
    specs: MailboxScenario[],
    private readonly anchorMs: number,
    private readonly tz: string,
  ) {
    specs.forEach((mb, i) => {
      const uuid = mb.uuid ?? uuidFrom(`mailbox:${mb.email}`);
      const folders = new Map<string, FolderModel>();
      const buildFolder = (f: MailFolderSpec, parentPath: string): Record<string, unknown> => {
        const path = parentPath ? `${parentPath}/${f.name}` : f.name;
        const id = f.id ?? deflateSync(Buffer.from(path, 'utf8')).toString('base64url');
        const messages = (f.messages ?? []).map((m, n) => {
          const uid = m.uid ?? `${n + 1}@${id}`;
          return {
            uid,
            short: uid.split('@')[0] ?? uid,
            folderId: id,
            dateMs: parseTimeSpec(m.date, anchorMs),
            thread: m.thread ?? uid,
            spec: m,
            raw: null,
          };
        });
        const children = (f.children ?? []).map((c) => buildFolder(c, path));
        const json: Record<string, unknown> = {
          id,
          path,
          name: f.name,
          role: f.role ?? null,
          separator: '/',
          unread_count: messages.filter((m) => !m.spec.seen).length,
          total_count: messages.length,
          is_favorite: f.role === 'INBOX',
          children,
        };
        folders.set(id, { id, path, json, messages });
        return json;
      };
      const tree = mb.folders.map((f) => buildFolder(f, ''));
      const unseen = [...folders.values()].reduce((n, f) => n + f.messages.filter((m) => !m.spec.seen).length, 0);
      const [local = mb.email] = mb.email.split('@');
      this.boxes.push({
        uuid,
        tree,
        folders,
        json: {
          uuid,
          email: mb.email,
          mailbox: local,
          is_primary: mb.is_primary,
          mailbox_id: mb.mailbox_id ?? 700_000 + i,
          hosting_id: mb.hosting_id ?? 400_000 + i,
          unseen_messages: unseen,
          is_valid: true,
          is_locked: false,
        },
      });
    });
  }

  /**
   * A message arriving in a folder (by its path, e.g. `INBOX` or `INBOX/Projects`) of the mailbox
   * with this address (default: the first). Returns its uid, or null when there is no such folder.
   */
  addMessage(folderPath: string, spec: MessageScenario, email?: string): string | null {
    const box = email ? this.boxes.find((b) => b.json.email === email) : this.boxes[0];
    const folder = [...(box?.folders.values() ?? [])].find((f) => f.path === folderPath);
    if (!box || !folder) return null;
    const next = 1 + Math.max(0, ...folder.messages.map((m) => Number(m.short)).filter(Number.isFinite));
    const uid = spec.uid ?? `${next}@${folder.id}`;
    const dateMs = parseTimeSpec(spec.date, this.anchorMs);
    folder.messages.push({
      uid,
      short: uid.split('@')[0] ?? uid,
      folderId: folder.id,
      dateMs,
      thread: spec.thread ?? uid,
      spec,
      raw: null,
    });
    this.recount(box);
    return uid;
  }

  /** Marks a message (by uid) seen or not, as another mail program would. False when there is none. */
  setSeen(uid: string, seen: boolean): boolean {
    const box = this.boxes.find((b) => [...b.folders.values()].some((f) => f.messages.some((m) => m.uid === uid)));
    const m = [...(box?.folders.values() ?? [])].flatMap((f) => f.messages).find((x) => x.uid === uid);
    if (!box || !m) return false;
    m.spec = { ...m.spec, seen };
    this.recount(box);
    return true;
  }

  private recount(box: MailboxModel): void {
    let unseen = 0;
    for (const folder of box.folders.values()) {
      const unread = folder.messages.filter((m) => !m.spec.seen).length;
      folder.json.unread_count = unread;
      folder.json.total_count = folder.messages.length;
      unseen += unread;
    }
    box.json.unseen_messages = unseen;
  }

  /** Mailboxes; `unseen_messages` only with `with=unseen` [seen]. */
  mailboxes(withUnseen = true): Record<string, unknown>[] {
    return this.boxes.map((b) => {
      if (withUnseen) return b.json;
      const { unseen_messages: _unseen, ...rest } = b.json;
      return rest;
    });
  }

  folders(uuid: string): Record<string, unknown>[] | null {
    return this.boxes.find((b) => b.uuid === uuid)?.tree ?? null;
  }

  private folder(uuid: string, folderId: string): FolderModel | null {
    return this.boxes.find((b) => b.uuid === uuid)?.folders.get(folderId) ?? null;
  }

  private messageJson(uuid: string, m: MessageModel): Record<string, unknown> {
    const s = m.spec;
    return {
      uid: m.uid,
      msg_id: `<${hashString(m.uid).toString(36)}@simulator.poweron.invalid>`,
      subject: s.subject,
      from: [s.from],
      to: s.to,
      cc: s.cc,
      date: new Date(m.dateMs).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      preview: s.body.replace(/\s+/g, ' ').trim().slice(0, 120),
      seen: s.seen,
      flagged: s.flagged,
      has_attachments: s.attachments.length > 0,
      size: this.raw(m).length,
      folder_id: m.folderId,
      resource: messageResource(uuid, m),
    };
  }

  private raw(m: MessageModel): Buffer {
    m.raw ??= m.spec.eml !== undefined ? Buffer.from(m.spec.eml, 'utf8') : buildEml(m.spec, m.uid, m.dateMs, this.tz);
    return m.raw;
  }

  /**
   * Threads of a folder, newest first, paged by offset/limit over threads. With `thread=on`, a thread
   * that has a message in this folder brings its messages from the mailbox's other folders too (each
   * with its own `folder_id`) [seen]; with `thread=off`, only this folder's messages, one per thread.
   */
  threads(
    uuid: string,
    folderId: string,
    offset: number,
    limit: number,
    threaded: boolean,
  ): { threads: Record<string, unknown>[]; count: number; messages_count: number } | null {
    const f = this.folder(uuid, folderId);
    if (!f) return null;
    const groups = new Map<string, MessageModel[]>();
    for (const m of [...f.messages].sort((a, b) => a.dateMs - b.dateMs)) {
      const key = threaded ? m.thread : m.uid;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    if (threaded) this.addThreadMessagesFromOtherFolders(uuid, folderId, groups);
    const all = [...groups.entries()]
      .map(([key, msgs]) => {
        const last = msgs[msgs.length - 1]!;
        const jsons = msgs.map((m) => this.messageJson(uuid, m));
        return {
          lastMs: last.dateMs,
          json: {
            uid: `thread-${hashString(`${folderId}:${key}`).toString(16)}`,
            subject: msgs[0]!.spec.subject,
            from: [last.spec.from],
            to: last.spec.to,
            date: jsons[jsons.length - 1]!.date,
            messages_count: msgs.length,
            unseen_messages: msgs.filter((m) => !m.spec.seen).length,
            flagged: msgs.some((m) => m.spec.flagged),
            has_attachments: msgs.some((m) => m.spec.attachments.length > 0),
            messages: jsons,
          },
        };
      })
      .sort((a, b) => b.lastMs - a.lastMs);
    return {
      threads: all.slice(offset, offset + limit).map((t) => t.json),
      count: all.length,
      messages_count: f.messages.length,
    };
  }

  private addThreadMessagesFromOtherFolders(uuid: string, folderId: string, groups: Map<string, MessageModel[]>): void {
    const box = this.boxes.find((b) => b.uuid === uuid);
    for (const other of box?.folders.values() ?? []) {
      if (other.id === folderId) continue;
      for (const m of other.messages) {
        const group = groups.get(m.thread);
        if (group) group.push(m);
      }
    }
    for (const group of groups.values()) group.sort((a, b) => a.dateMs - b.dateMs);
  }

  private find(uuid: string, folderId: string, id: string): MessageModel | null {
    return this.folder(uuid, folderId)?.messages.find((x) => x.short === id) ?? null;
  }

  /**
   * One message by its short uid, as `…/message/{uid}?prefered_format=html` answers it: headers as
   * fields, `body {type, value}` (HTML when the message has it and HTML is preferred) [seen], and
   * the attachments' metadata with their `resource` [seen]; part ids from 2 up [guess].
   */
  message(uuid: string, folderId: string, id: string, preferHtml: boolean): Record<string, unknown> | null {
    const m = this.find(uuid, folderId, id);
    if (!m) return null;
    const resource = messageResource(uuid, m);
    const html = preferHtml && m.spec.html !== undefined;
    return {
      ...this.messageJson(uuid, m),
      reply_to: [],
      bcc: [],
      in_reply_to: null,
      references: null,
      body: html ? { value: m.spec.html, type: 'text/html' } : { value: m.spec.body, type: 'text/plain' },
      attachments: m.spec.attachments.map((a, i) => ({
        uuid: hashString(`${m.uid}:${i}`).toString(16),
        part_id: String(i + 2),
        name: a.name,
        mime_type: a.mime_type,
        disposition: 'attachment',
        content_id: null,
        size: attachmentBytes(a).length,
        resource: `${resource}/attachment/${i + 2}`,
      })),
    };
  }

  /** One attachment's bytes by its part id [guess: the id is the last segment of its resource]. */
  attachment(
    uuid: string,
    folderId: string,
    id: string,
    partId: string,
  ): { bytes: Buffer; name: string; mimeType: string } | null {
    const m = this.find(uuid, folderId, id);
    const index = Number(partId) - 2;
    const a = m && /^\d+$/.test(partId) ? m.spec.attachments[index] : undefined;
    return a ? { bytes: attachmentBytes(a), name: a.name, mimeType: a.mime_type } : null;
  }

  rawMessage(uuid: string, folderId: string, id: string): { bytes: Buffer; subject: string; dateMs: number } | null {
    const m = this.find(uuid, folderId, id);
    return m ? { bytes: this.raw(m), subject: m.spec.subject, dateMs: m.dateMs } : null;
  }
}

function messageResource(uuid: string, m: MessageModel): string {
  return `/api/mail/${uuid}/folder/${m.folderId}/message/${m.short}`;
}

function attachmentBytes(a: MessageScenario['attachments'][number]): Buffer {
  return a.base64 !== undefined ? Buffer.from(a.base64, 'base64') : Buffer.from(a.text ?? '', 'utf8');
}
