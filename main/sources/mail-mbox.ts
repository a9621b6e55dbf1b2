/**
 * A mail folder as one `.mbox` (mboxrd: each message after a `From ` line, every line that reads
 * `>*From ` gets one more `>`, LF line ends, a blank line after each message), streamed while it is
 * written: one request per page of messages and one per message (plus its attachments where the
 * message has to be assembled, see mail-eml.ts). A mailbox is a folder of such files, one per mail
 * folder, nested like the folders.
 */
import { AppFailure } from '../../shared/model/errors';
import { appErrorFrom } from '../errors/app-error';
import type { DownloadRequest, DownloadResponse } from '../infomaniak/types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { emlBytes } from './mail-eml';
import type { CallOptions, EmlContext } from './mail-eml';
import { folderPages } from './mail-listing';
import { messageResource } from './mail-routes';
import type { MailFolder, MailMessage } from './pim/index';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `From sender Thu Jan  1 00:00:00 1970` (asctime, UTC). */
export function mboxFromLine(sender: string | undefined, dateMs: number | undefined): string {
  const who = sender && /^[^\s"<>]+$/.test(sender) ? sender : 'MAILER-DAEMON';
  const d = new Date(dateMs ?? 0);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `From ${who} ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${time} ${d.getUTCFullYear()}\n`;
}

/** One message as an mboxrd entry (bytes kept as they are, except line ends and `From ` quoting). */
export function mboxEntry(message: Uint8Array, sender: string | undefined, dateMs: number | undefined): Buffer {
  const text = Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('latin1');
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const quoted = lines.map((line) => (/^>*From /.test(line) ? `>${line}` : line));
  return Buffer.from(`${mboxFromLine(sender, dateMs)}${quoted.join('\n')}\n\n`, 'latin1');
}

/** A folder's messages as mboxrd bytes, message by message; deleted-meanwhile messages are left out. */
async function* mboxBody(
  ctx: EmlContext,
  mailbox: string,
  folder: string,
  options: CallOptions,
): AsyncIterable<Uint8Array> {
  for await (const page of folderPages(ctx.client, mailbox, folder, { ...options, strict: true })) {
    for (const message of page.messages) {
      const resource = messageResource(mailbox, folder, message);
      let bytes: Uint8Array;
      try {
        bytes = await emlBytes(ctx, resource, options);
      } catch (error) {
        // Listed, then gone before its turn (moved or deleted meanwhile): not part of the folder now.
        if (appErrorFrom(error).code === 'not_found') continue;
        throw error;
      }
      yield mboxEntry(bytes, sender(message), message.date);
    }
  }
}

function sender(message: MailMessage): string | undefined {
  return message.from[0]?.email;
}

/** The `fetch` of an `.mbox` item: always the whole file from its start (nothing to resume from). */
export function mboxFetch(
  ctx: EmlContext,
  mailbox: string,
  folder: string,
): (req: Pick<DownloadRequest, 'signal' | 'onWait'>) => Promise<DownloadResponse> {
  return async (req) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const body = mboxBody(ctx, mailbox, folder, {
      signal: controller.signal,
      ...(req.onWait ? { onWait: req.onWait } : {}),
    });
    async function* guarded(): AsyncIterable<Uint8Array> {
      try {
        yield* body;
      } finally {
        req.signal?.removeEventListener('abort', onAbort);
      }
    }
    return {
      status: 200,
      totalSize: null,
      offset: 0,
      etag: null,
      lastModified: null,
      contentType: 'application/mbox',
      body: guarded(),
      cancel: () => controller.abort(new AppFailure('cancelled', 'Cancelled.')),
    };
  };
}

/** A mailbox as a folder named `root` holding one `.mbox` per mail folder, nested like the folders. */
export function mailboxItems(
  ctx: EmlContext,
  mailbox: string,
  root: string,
  tree: MailFolder[],
): Array<DownloadItem | DownloadFolder> {
  const items: Array<DownloadItem | DownloadFolder> = [{ segments: [root] }];
  const visit = (folders: MailFolder[], parents: string[]) => {
    for (const f of folders) {
      items.push({
        segments: [...parents, `${f.name}.mbox`],
        key: `mbox:${f.id}`,
        size: null,
        fetch: mboxFetch(ctx, mailbox, f.id),
        origin: ctx.client.endpoints.mail,
      });
      visit(f.children, [...parents, f.name]);
    }
  };
  visit(tree, [root]);
  return items;
}
