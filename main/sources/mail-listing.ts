/** A mail folder's own messages, page by page (`thread=off`; messages of other folders dropped). */
import { AppFailure } from '../../shared/model/errors';
import type { InfomaniakApi } from '../infomaniak/types';
import { messagesPath } from './mail-routes';
import { decodeMailThreads, requireMailList } from './pim/index';
import type { MailMessage } from './pim/index';

export const MESSAGE_PAGE = 100;

export interface MessagePage {
  messages: MailMessage[];
  /** The folder's message count, when the answer has it. */
  total?: number;
}

export interface FolderPagesOptions {
  signal?: AbortSignal;
  /** Told when a request waits for the token's budget (an export shows it on its transfer). */
  onWait?: (waitMs: number) => void;
  /** Stop after this many listed entries (the tree's bound); none for an export. */
  max?: number;
  /** An export must not lose a message quietly: a record that does not decode fails it. */
  strict?: boolean;
}

/** One request per page of `MESSAGE_PAGE`; stops on a short page, at `total`, or at `max`. */
export async function* folderPages(
  client: InfomaniakApi,
  mailbox: string,
  folder: string,
  options: FolderPagesOptions = {},
): AsyncIterable<MessagePage> {
  let offset = 0;
  for (;;) {
    const answer = await client.get('mail', messagesPath(mailbox, folder, offset, MESSAGE_PAGE), {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onWait ? { onWait: options.onWait } : {}),
    });
    const decoded = requireMailList(decodeMailThreads(answer.data), 'messages of this folder');
    if (options.strict && decoded.skipped > 0)
      throw new AppFailure(
        'api_error',
        `Infomaniak's mail service listed ${decoded.skipped} message(s) of this folder in a form this app does not know; nothing was left out silently, so the export stopped.`,
        undefined,
        { reason: 'unknown_shape', params: { count: decoded.skipped } },
      );
    // Should a server thread anyway, keep only the messages that live in this folder.
    const messages = decoded.items
      .flatMap((t) => t.messages)
      .filter((m) => m.folder_id === undefined || m.folder_id === folder);
    yield decoded.total !== undefined ? { messages, total: decoded.total } : { messages };
    offset += decoded.items.length + decoded.skipped;
    const total = decoded.total;
    if (decoded.items.length + decoded.skipped < MESSAGE_PAGE) return;
    if (total !== undefined && offset >= total) return;
    if (options.max !== undefined && offset >= options.max) return;
  }
}
