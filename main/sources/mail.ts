/**
 * Mail, where the connection's probe enabled it: mailboxes → folders → messages (subject, sender,
 * date; in pages), on the routes of Infomaniak's own mail server for assistants (mail-routes.ts).
 * A message downloads as `.eml` (mail-eml.ts: raw where the service gives it, else assembled), a
 * folder as one `.mbox`, a mailbox as a folder of `.mbox` files, one per mail folder (mail-mbox.ts),
 * or, with the setting `mailFolderFormat: 'eml'`, both as folders of `.eml` files (mail-eml-files.ts).
 * Quick sync keeps a folder or mailbox as a Maildir (mail-maildir.ts).
 * The message node id carries the message's `resource` path so a download can be rebuilt from the
 * id alone (e.g. after a restart).
 */
import { failWith } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { DownloadJob } from '../transfers/types';
import type { DownloadItem } from '../localfs/types';
import { childId, segment } from './ids';
import type { ParsedId } from './ids';
import { emlResponse, RawEml } from './mail-eml';
import type { EmlContext } from './mail-eml';
import { emlFiles, mailboxEmlFiles } from './mail-eml-files';
import { folderPages } from './mail-listing';
import { infoSeparatorFor, maildirSubtree } from './mail-maildir';
import { mailboxItems, mboxFetch } from './mail-mbox';
import { checkedId, foldersPath, MAILBOXES_PATH, messageResource, resourcePath } from './mail-routes';
import {
  decodeMailboxes,
  decodeMailFolders,
  mailboxDisplayName,
  messageFileName,
  messageSender,
  requireMailList,
} from './pim/index';
import type { MailFolder, MailMailbox, MailMessage } from './pim/index';
import { once } from './jobs';
import type { AdapterContext, ChildPage, SourceAdapter, Subtree, SubtreeOptions } from './types';

export { MESSAGE_PAGE } from './mail-listing';
/** Stop after this many messages in one folder listing of the tree (an export has no such bound). */
const MAX_MESSAGES = 20_000;

export class MailAdapter implements SourceAdapter {
  readonly service = 'mail' as const;
  #folders = new Map<string, Promise<MailFolder[]>>();
  #raw = new RawEml();

  reset(connectionId: string): void {
    for (const key of this.#folders.keys()) if (key.startsWith(`${connectionId}\u0000`)) this.#folders.delete(key);
    this.#raw.reset(connectionId);
  }

  folders(ctx: AdapterContext, mailbox: string): Promise<MailFolder[]> {
    const key = `${ctx.connectionId}\u0000${mailbox}`;
    let cached = this.#folders.get(key);
    if (!cached) {
      cached = ctx.client
        .get('mail', foldersPath(mailbox), { signal: ctx.signal })
        .then((a) => requireMailList(decodeMailFolders(a.data), 'folders of this mailbox').items);
      this.#folders.set(key, cached);
      cached.catch(() => this.#folders.delete(key));
    }
    return cached;
  }

  async *list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage> {
    const last = parent.path.at(-1);
    if (!last) {
      const answer = await ctx.client.get('mail', MAILBOXES_PATH, { signal: ctx.signal });
      const boxes = requireMailList(decodeMailboxes(answer.data), 'mailboxes').items;
      yield { nodes: boxes.map((b) => mailboxNode(b, parentId)), total: boxes.length };
      return;
    }
    const mailbox = checkedId(segment(parent, 'mbx'), 'mailbox');
    const tree = await this.folders(ctx, mailbox);
    const mailboxNodeId = parentId.slice(0, parentId.indexOf('/mbx:')) + `/mbx:${encodeURIComponent(mailbox)}`;
    if (last.type === 'mbx') {
      yield { nodes: tree.map((f) => folderNode(f, parentId, mailboxNodeId)), total: tree.length };
      return;
    }
    if (last.type !== 'fld') throw failWith('not_found', 'no_children', 'Messages have no children.');
    const folder = checkedId(last.value, 'folder');
    const subfolders = (findFolder(tree, folder)?.children ?? []).map((f) => folderNode(f, parentId, mailboxNodeId));
    if (subfolders.length > 0) yield { nodes: subfolders };
    const pages = folderPages(ctx.client, mailbox, folder, { signal: ctx.signal, max: MAX_MESSAGES });
    for await (const page of pages) {
      const nodes = page.messages.map((m) => messageNode(m, parentId, messageResource(mailbox, folder, m)));
      yield page.total !== undefined ? { nodes, total: page.total + subfolders.length } : { nodes };
    }
  }

  /** Sync: a mail folder (with its subfolders) or a whole mailbox as Maildirs. */
  async subtree(ctx: AdapterContext, node: ParsedId, _nodeId: string, options: SubtreeOptions): Promise<Subtree> {
    const last = node.path.at(-1);
    if (options.layout !== 'maildir' || (last?.type !== 'mbx' && last?.type !== 'fld'))
      throw failWith('unavailable', 'not_syncable', 'A mailbox or a mail folder is kept in sync as a Maildir.');
    const mailbox = checkedId(segment(node, 'mbx'), 'mailbox');
    return maildirSubtree(
      { client: ctx.client, connectionId: ctx.connectionId, raw: this.#raw },
      {
        mailbox,
        folder: last.type === 'fld' ? checkedId(last.value, 'folder') : null,
        infoSeparator: infoSeparatorFor(process.platform),
      },
    );
  }

  async job(ctx: AdapterContext, node: ParsedId, nodeId: string): Promise<DownloadJob> {
    const last = node.path.at(-1);
    const mailbox = checkedId(segment(node, 'mbx'), 'mailbox');
    const eml: EmlContext = { client: ctx.client, connectionId: ctx.connectionId, raw: this.#raw };
    const known = ctx.lookup(nodeId);
    const name = known?.name ?? ctx.hint?.name ?? null;
    const asEml = ctx.settings.mailFolderFormat === 'eml';
    if (last?.type === 'fld') {
      const folder = checkedId(last.value, 'folder');
      if (asEml) {
        const children = findFolder(await this.folders(ctx, mailbox), folder)?.children ?? [];
        const root = name ?? folder;
        const items = emlFiles(eml, mailbox, { id: folder, children }, [root], { signal: ctx.signal, recurse: true });
        return { name: root, kind: 'folder', items, filesTotal: null, bytesTotal: null };
      }
      const fileName = `${name ?? folder}.mbox`;
      const item: DownloadItem = {
        segments: [fileName],
        size: null,
        fetch: mboxFetch(eml, mailbox, folder),
        origin: ctx.client.endpoints.mail,
      };
      return { name: fileName, kind: 'export', items: once(item), filesTotal: 1, bytesTotal: null };
    }
    if (last?.type === 'mbx') {
      const tree = await this.folders(ctx, mailbox);
      const root = name ?? mailbox;
      if (asEml) {
        const items = mailboxEmlFiles(eml, mailbox, root, tree, ctx.signal);
        return { name: root, kind: 'folder', items, filesTotal: null, bytesTotal: null };
      }
      const items = mailboxItems(eml, mailbox, root, tree);
      return { name: root, kind: 'folder', items: list(items), filesTotal: items.length - 1, bytesTotal: null };
    }
    const resource = segment(node, 'msg');
    if (!resource) throw failWith('unavailable', 'service_unsupported', 'This item of Mail cannot be downloaded.');
    const path = resourcePath(resource, mailbox, segment(node, 'fld'), ctx.client.endpoints.mail);
    const fileName = known?.details?.file ?? (ctx.hint?.name ? `${ctx.hint.name}.eml` : 'message.eml');
    const item: DownloadItem = {
      segments: [fileName],
      size: null,
      fetch: (req) => emlResponse(eml, path, req),
      origin: ctx.client.endpoints.mail,
    };
    return { name: fileName, kind: 'file', items: once(item), filesTotal: 1, bytesTotal: null };
  }
}

async function* list<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

function findFolder(tree: MailFolder[], id: string): MailFolder | undefined {
  for (const f of tree) {
    if (f.id === id) return f;
    const inner = findFolder(f.children, id);
    if (inner) return inner;
  }
  return undefined;
}

function mailboxNode(b: MailMailbox, parentId: string): SourceNode {
  return {
    id: childId(parentId, 'mbx', b.uuid),
    parentId,
    kind: 'mailbox',
    service: 'mail',
    name: mailboxDisplayName(b),
    expandable: true,
    downloadable: true,
    ...(b.unseen_messages ? { subtitle: String(b.unseen_messages) } : {}),
    details: { ...(b.email ? { email: b.email } : {}) },
  };
}

function folderNode(folder: MailFolder, parentId: string, mailboxNodeId: string): SourceNode {
  const node: SourceNode = {
    id: childId(mailboxNodeId, 'fld', folder.id),
    parentId,
    kind: 'mailfolder',
    service: 'mail',
    name: folder.name,
    expandable: true,
    downloadable: true,
    details: { ...(folder.role ? { role: folder.role } : {}) },
  };
  if (folder.total_count !== undefined) node.childCount = folder.total_count + folder.children.length;
  if (folder.unread_count) node.subtitle = String(folder.unread_count);
  return node;
}

function messageNode(message: MailMessage, parentId: string, resource: string): SourceNode {
  const sender = messageSender(message);
  const node: SourceNode = {
    id: childId(parentId, 'msg', resource),
    parentId,
    kind: 'message',
    service: 'mail',
    name: message.subject || '—',
    expandable: false,
    downloadable: true,
    details: { ...(sender ? { from: sender } : {}), file: messageFileName(message) },
  };
  if (sender) node.subtitle = sender;
  if (message.date !== undefined) node.modifiedAt = message.date;
  if (message.size !== undefined) node.size = message.size;
  return node;
}
