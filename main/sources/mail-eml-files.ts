/**
 * A mail folder or mailbox as folders of `.eml` files (the "A folder of .eml files" setting): one
 * item per message, found page by page while the transfer runs, each written like a downloaded file
 * (mail-eml.ts: raw where the route answers, else assembled). Subfolders become folders below
 * their folder. Requests: one per page of messages and one per message (plus attachments where a
 * message is assembled).
 */
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { emlResponse } from './mail-eml';
import type { EmlContext } from './mail-eml';
import { folderPages } from './mail-listing';
import { messageResource } from './mail-routes';
import { messageFileName } from './pim/index';
import type { MailFolder } from './pim/index';

/** The messages of `folder` (and, with `recurse`, of its subfolders) below the folder `path`. */
export async function* emlFiles(
  ctx: EmlContext,
  mailbox: string,
  folder: Pick<MailFolder, 'id' | 'children'>,
  path: string[],
  options: { signal: AbortSignal; recurse: boolean },
): AsyncIterable<DownloadItem | DownloadFolder> {
  yield { segments: path };
  for await (const page of folderPages(ctx.client, mailbox, folder.id, { signal: options.signal, strict: true })) {
    for (const message of page.messages) {
      const resource = messageResource(mailbox, folder.id, message);
      const item: DownloadItem = {
        segments: [...path, messageFileName(message)],
        key: `eml:${resource}`,
        // The listed size is the raw message's: an assembled one differs, so no size is promised.
        size: null,
        fetch: (req) => emlResponse(ctx, resource, req),
        origin: ctx.client.endpoints.mail,
      };
      if (message.date !== undefined) item.modifiedAt = message.date;
      yield item;
    }
  }
  if (!options.recurse) return;
  for (const child of folder.children) yield* emlFiles(ctx, mailbox, child, [...path, child.name], options);
}

/** A mailbox as a folder `root` of folders of `.eml` files, one per mail folder. */
export async function* mailboxEmlFiles(
  ctx: EmlContext,
  mailbox: string,
  root: string,
  tree: MailFolder[],
  signal: AbortSignal,
): AsyncIterable<DownloadItem | DownloadFolder> {
  yield { segments: [root] };
  for (const f of tree) yield* emlFiles(ctx, mailbox, f, [root, f.name], { signal, recurse: true });
}
