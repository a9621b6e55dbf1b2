/**
 * Mail, where the connection's probe enabled it: mailboxes → folders → messages (subject, sender,
 * date; in pages), each message downloadable as .eml. The message node id carries the message's
 * `resource` path so a download can be rebuilt from the id alone (e.g. after a restart).
 */
import { AppFailure } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { DownloadJob } from '../transfers/types';
import type { DownloadItem } from '../localfs/types';
import { childId, segment } from './ids';
import type { ParsedId } from './ids';
import {
  decodeMailboxes,
  decodeMailFolders,
  decodeMailThreads,
  mailboxDisplayName,
  messageFileName,
  messageSender,
} from './pim/index';
import type { MailFolder, MailMessage } from './pim/index';
import { once } from './jobs';
import type { AdapterContext, ChildPage, SourceAdapter } from './types';

export const MESSAGE_PAGE = 100;
/** Stop after this many messages in one folder listing; the details pane says so. */
const MAX_MESSAGES = 20_000;

export class MailAdapter implements SourceAdapter {
  readonly service = 'mail' as const;
  #folders = new Map<string, Promise<MailFolder[]>>();

  reset(connectionId: string): void {
    for (const key of this.#folders.keys()) if (key.startsWith(`${connectionId}\u0000`)) this.#folders.delete(key);
  }

  folders(ctx: AdapterContext, mailbox: string): Promise<MailFolder[]> {
    const key = `${ctx.connectionId}\u0000${mailbox}`;
    let cached = this.#folders.get(key);
    if (!cached) {
      cached = ctx.client
        .get('mail', `/api/mail/${encodeURIComponent(mailbox)}/folder`, { signal: ctx.signal })
        .then((a) => decodeMailFolders(a.data).items);
      this.#folders.set(key, cached);
      cached.catch(() => this.#folders.delete(key));
    }
    return cached;
  }

  async *list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage> {
    const last = parent.path.at(-1);
    if (!last) {
      // `unseen_messages` (the count shown) only comes with `with=unseen`.
      const answer = await ctx.client.get('mail', '/api/mailbox', {
        searchParams: { with: 'unseen' },
        signal: ctx.signal,
      });
      const boxes = decodeMailboxes(answer.data).items;
      yield {
        nodes: boxes.map<SourceNode>((b) => ({
          id: childId(parentId, 'mbx', b.uuid),
          parentId,
          kind: 'mailbox',
          service: 'mail',
          name: mailboxDisplayName(b),
          expandable: true,
          downloadable: false,
          ...(b.unseen_messages ? { subtitle: String(b.unseen_messages) } : {}),
          details: { ...(b.email ? { email: b.email } : {}) },
        })),
        total: boxes.length,
      };
      return;
    }
    const mailbox = segment(parent, 'mbx');
    if (!mailbox) throw new AppFailure('not_found', 'This item is not part of a mailbox.');
    checkedId(mailbox, 'mailbox');
    const tree = await this.folders(ctx, mailbox);
    const mailboxNodeId = parentId.slice(0, parentId.indexOf('/mbx:')) + `/mbx:${encodeURIComponent(mailbox)}`;
    if (last.type === 'mbx') {
      yield { nodes: tree.map((f) => folderNode(f, parentId, mailboxNodeId)), total: tree.length };
      return;
    }
    if (last.type !== 'fld') throw new AppFailure('not_found', 'Messages have no children.');
    checkedId(last.value, 'folder');
    const folder = findFolder(tree, last.value);
    const subfolders = (folder?.children ?? []).map((f) => folderNode(f, parentId, mailboxNodeId));
    if (subfolders.length > 0) yield { nodes: subfolders };
    let offset = 0;
    for (;;) {
      const answer = await ctx.client.get(
        'mail',
        `/api/mail/${encodeURIComponent(mailbox)}/folder/${encodeURIComponent(last.value)}/message`,
        {
          // thread=on would bring each thread's messages from other folders (Sent replies…).
          searchParams: { offset, limit: MESSAGE_PAGE, thread: 'off' },
          signal: ctx.signal,
        },
      );
      const decoded = decodeMailThreads(answer.data);
      // Should a server thread anyway, keep only the messages that live in this folder.
      const messages = decoded.items
        .flatMap((t) => t.messages)
        .filter((m) => m.folder_id === undefined || m.folder_id === last.value);
      const total = decoded.total !== undefined ? decoded.total + subfolders.length : undefined;
      yield { nodes: messages.map((m) => messageNode(m, parentId)), ...(total !== undefined ? { total } : {}) };
      offset += decoded.items.length;
      if (
        decoded.items.length < MESSAGE_PAGE ||
        offset >= MAX_MESSAGES ||
        (decoded.total !== undefined && offset >= decoded.total)
      )
        return;
    }
  }

  async job(ctx: AdapterContext, node: ParsedId, nodeId: string): Promise<DownloadJob> {
    const resource = segment(node, 'msg');
    if (!resource) throw new AppFailure('unavailable', 'Only single messages can be downloaded from Mail.');
    const client = ctx.client;
    const path = resourcePath(resource, segment(node, 'mbx'), segment(node, 'fld'), client.endpoints.mail);
    const fileName = ctx.lookup(nodeId)?.details?.file ?? 'message.eml';
    const item: DownloadItem = {
      segments: [fileName],
      size: null,
      fetch: (req) => client.download('mail', `${path}/download`, req),
      origin: client.endpoints.mail,
    };
    return { name: fileName, kind: 'file', items: once(item), filesTotal: 1, bytesTotal: null };
  }
}

/**
 * One id-derived path segment (mailbox uuid, folder id, message uid): visible characters of ids,
 * never `.` or `..`, never a slash (8.15: a crafted id must not steer main to another path).
 */
const ID_SEGMENT = /^(?!\.{1,2}$)[\w.~@=+:,-]{1,256}$/;

function checkedId(value: string | null, what: string): string {
  if (value === null || !ID_SEGMENT.test(value)) throw new AppFailure('not_found', `This ${what} id is not valid.`);
  return value;
}

/**
 * A message's resource as a path on the mail host, only in its documented shape
 * `/api/mail/{mailbox}/folder/{folder}/message/{uid}` and only for the mailbox and folder of the
 * node itself; an absolute URL must be on the mail host.
 */
function resourcePath(resource: string, mailbox: string | null, folder: string | null, mailOrigin: string): string {
  let path = resource;
  if (/^[a-z][a-z0-9+.-]*:/i.test(resource)) {
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      throw new AppFailure('not_found', 'This message id is not valid.');
    }
    if (url.origin !== new URL(mailOrigin).origin || url.search || url.hash)
      throw new AppFailure('not_found', 'This message id is not valid.');
    path = url.pathname;
  }
  const m = /^\/?api\/mail\/([^/]+)\/folder\/([^/]+)\/message\/([^/]+)$/.exec(path);
  if (!m || m[1] !== checkedId(mailbox, 'mailbox') || m[2] !== encodeURIComponent(checkedId(folder, 'folder')))
    throw new AppFailure('not_found', 'This message id is not valid.');
  let uid: string | null = null;
  try {
    uid = decodeURIComponent(m[3]!);
  } catch {
    // malformed escapes: not an id
  }
  checkedId(uid, 'message');
  return `/api/mail/${m[1]}/folder/${m[2]}/message/${m[3]}`;
}

function findFolder(tree: MailFolder[], id: string): MailFolder | undefined {
  for (const f of tree) {
    if (f.id === id) return f;
    const inner = findFolder(f.children, id);
    if (inner) return inner;
  }
  return undefined;
}

function folderNode(folder: MailFolder, parentId: string, mailboxNodeId: string): SourceNode {
  const node: SourceNode = {
    id: childId(mailboxNodeId, 'fld', folder.id),
    parentId,
    kind: 'mailfolder',
    service: 'mail',
    name: folder.name,
    expandable: true,
    downloadable: false,
    details: { ...(folder.role ? { role: folder.role } : {}) },
  };
  if (folder.total_count !== undefined) node.childCount = folder.total_count + folder.children.length;
  if (folder.unread_count) node.subtitle = String(folder.unread_count);
  return node;
}

function messageNode(message: MailMessage, parentId: string): SourceNode {
  const sender = messageSender(message);
  const node: SourceNode = {
    id: childId(parentId, 'msg', message.resource ?? message.uid),
    parentId,
    kind: 'message',
    service: 'mail',
    name: message.subject || '—',
    expandable: false,
    downloadable: Boolean(message.resource),
    details: { ...(sender ? { from: sender } : {}), file: messageFileName(message) },
  };
  if (sender) node.subtitle = sender;
  if (message.date !== undefined) node.modifiedAt = message.date;
  if (message.size !== undefined) node.size = message.size;
  return node;
}
