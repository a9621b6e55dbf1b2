/**
 * A mail folder or a mailbox as sync needs it (`SourceAdapter.subtree`, layout `maildir`): one
 * Maildir per mail folder (`cur/`, `new/`, `tmp/`), subfolders nested inside their folder (a folder
 * pair: the pair's folder is the folder's Maildir; a mailbox pair: one folder per top-level mail
 * folder). One file per message, named as the Maildir spec asks (`<time>.<unique>.<host>`), the
 * unique part derived from the message's folder and uid so every run names it the same. A message
 * marked seen is in `cur/` with the info `:2,S` (`;2,S` on Windows, where `:` cannot be in a name);
 * one not seen (or not known) is in `new/` without info. When the seen state changes remotely the
 * file moves (same entry, new path: a rename, no bytes).
 *
 * Requests: the folder tree (1) and each folder's messages in pages of 100 per listing (a second
 * unchanged run sends only these); each new message is one download (raw `.eml`), or its JSON plus
 * one request per attachment where it has to be assembled (mail-eml.ts).
 */
import { createHash } from 'node:crypto';
import { AppFailure } from '../../shared/model/errors';
import type { RemoteEntry, Subtree } from './types';
import { emlResponse } from './mail-eml';
import type { EmlContext } from './mail-eml';
import { folderPages } from './mail-listing';
import { foldersPath, messageResource } from './mail-routes';
import { decodeMailFolders, requireMailList } from './pim/index';
import type { MailFolder, MailMessage } from './pim/index';

export const MAILDIR_DIRS = ['cur', 'new', 'tmp'] as const;
/** The "host" part of every message name: this app wrote it. */
const HOST = 'poweron-sources';

export interface MaildirTarget {
  mailbox: string;
  /** The folder of a folder pair; null for a mailbox pair. */
  folder: string | null;
  /** `:` (POSIX) or `;` (Windows): what separates a message name from its info. */
  infoSeparator: ':' | ';';
}

/** The separator a platform's mail programs use (mbsync and mutt take `;` on Windows). */
export function infoSeparatorFor(platform: string): ':' | ';' {
  return platform === 'win32' ? ';' : ':';
}

/** `1748685600.M3f9a0c2b7d1e4a56.poweron-sources`: the message time, then a hash of its folder and uid. */
export function maildirName(folderId: string, message: Pick<MailMessage, 'uid' | 'date'>): string {
  const seconds = Math.max(0, Math.floor((message.date ?? 0) / 1000));
  const unique = createHash('sha256').update(`${folderId}\u0000${message.uid}`).digest('hex').slice(0, 16);
  return `${seconds}.M${unique}.${HOST}`;
}

/** A subfolder named like a Maildir's own folders gets another name (its messages stay its own). */
function folderName(name: string): string {
  return (MAILDIR_DIRS as readonly string[]).includes(name.toLowerCase()) ? `${name} (folder)` : name;
}

function findFolder(tree: MailFolder[], id: string): MailFolder | undefined {
  for (const f of tree) {
    if (f.id === id) return f;
    const inner = findFolder(f.children, id);
    if (inner) return inner;
  }
  return undefined;
}

const dir = (id: string, parent: string | null, name: string): RemoteEntry => ({
  id,
  parent,
  name,
  type: 'dir',
  size: 0,
  mtime: null,
});

interface Listed {
  resource: string;
  attachments: boolean;
}

export function maildirSubtree(ctx: EmlContext, target: MaildirTarget): Subtree {
  const listed = new Map<string, Listed>();
  const { mailbox, infoSeparator } = target;

  async function addFolder(
    entries: Map<string, RemoteEntry>,
    folder: MailFolder,
    parent: string | null,
    isRoot: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    let home = parent;
    if (!isRoot) {
      home = `d:${folder.id}`;
      entries.set(home, dir(home, parent, folderName(folder.name)));
    }
    for (const sub of MAILDIR_DIRS) entries.set(`d:${folder.id}/${sub}`, dir(`d:${folder.id}/${sub}`, home, sub));
    // Strict: a message that does not decode fails the listing (it must never look removed).
    for await (const page of folderPages(ctx.client, mailbox, folder.id, { signal, strict: true })) {
      for (const m of page.messages) {
        const id = `m:${folder.id}/${m.uid}`;
        const seen = m.seen === true;
        const entry: RemoteEntry = {
          id,
          parent: `d:${folder.id}/${seen ? 'cur' : 'new'}`,
          name: maildirName(folder.id, m),
          type: 'file',
          size: m.size ?? 0,
          mtime: m.date ?? null,
        };
        if (seen) entry.nameSuffix = `${infoSeparator}2,S`;
        entries.set(id, entry);
        listed.set(id, { resource: messageResource(mailbox, folder.id, m), attachments: m.attachments === true });
      }
    }
    for (const child of folder.children) await addFolder(entries, child, home, false, signal);
  }

  return {
    async list(signal) {
      const answer = await ctx.client.get('mail', foldersPath(mailbox), { signal });
      const decoded = requireMailList(decodeMailFolders(answer.data), 'folders of this mailbox');
      if (decoded.skipped > 0)
        throw new AppFailure(
          'api_error',
          `Infomaniak's mail service listed ${decoded.skipped} folder(s) in a form this app does not know; nothing was changed.`,
        );
      const entries = new Map<string, RemoteEntry>();
      listed.clear();
      if (target.folder === null) {
        for (const f of decoded.items) await addFolder(entries, f, null, false, signal);
      } else {
        const folder = findFolder(decoded.items, target.folder);
        if (!folder) throw new AppFailure('not_found', 'This mail folder no longer exists.');
        await addFolder(entries, folder, null, true, signal);
      }
      return entries;
    },
    itemFor(entry) {
      const known = listed.get(entry.id);
      if (!known) throw new AppFailure('not_found', 'This message is no longer listed.');
      const item = {
        segments: [entry.name],
        key: entry.id,
        // The listed size is the raw message's: an assembled one differs, so no size is promised.
        size: null,
        fetch: (req: Parameters<typeof emlResponse>[2]) => emlResponse(ctx, known.resource, req),
        origin: ctx.client.endpoints.mail,
      };
      return entry.mtime !== null ? { ...item, modifiedAt: entry.mtime } : item;
    },
    requestsFor(entry) {
      if (ctx.raw.answers(ctx.connectionId) === true) return 1;
      // Assembled: the message's JSON, and its attachments (at least one request when it has any).
      return 1 + (listed.get(entry.id)?.attachments ? 1 : 0);
    },
  };
}
