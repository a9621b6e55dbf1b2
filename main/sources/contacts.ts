/**
 * Contacts: address books → contacts (name, first email). A contact or a whole address book
 * downloads as .vcf (vCard 3.0 by default, 4.0 as an option), generated from the JSON.
 */
import { failWith } from '../../shared/model/errors';
import type { SourceNode } from '../../shared/model/sources';
import type { DownloadJob } from '../transfers/types';
import { childId, segment } from './ids';
import type { ParsedId } from './ids';
import {
  addressBookFileName,
  contactDisplayName,
  contactFileName,
  contactFirstEmail,
  contactsToVcf,
  contactToVcf,
  decodeAddressBooks,
  decodeContacts,
} from './pim/index';
import type { PimAddressBook, PimContact } from './pim/index';
import type { Decoded } from './pim/decoders/shapes';
import { expectList } from './pim/schemas';
import { generatedSubtree, uidFileName } from './generated-subtree';
import { exportJob } from './jobs';
import type { AdapterContext, ChildPage, SourceAdapter, Subtree, SubtreeOptions } from './types';

export class ContactsAdapter implements SourceAdapter {
  readonly service = 'contacts' as const;
  /** /pim/contact/all lists every book's contacts at once: fetched once per browse session. */
  #contacts = new Map<string, Promise<Decoded<PimContact>>>();

  reset(connectionId: string): void {
    this.#contacts.delete(connectionId);
  }

  /** The address books; `strict` (sync): an answer without a list is an error, never "no address books". */
  async books(ctx: AdapterContext, strict = false): Promise<PimAddressBook[]> {
    const answer = await ctx.client.get('contacts', '/api/pim/addressbook', { signal: ctx.signal });
    const decoded = decodeAddressBooks(answer.data);
    return (strict ? expectList(decoded, 'the address books') : decoded).items;
  }

  /** Every contact as decoded (with the records that did not decode), once per browse session. */
  #decoded(ctx: AdapterContext): Promise<Decoded<PimContact>> {
    let cached = this.#contacts.get(ctx.connectionId);
    if (!cached) {
      cached = ctx.client
        .get('contacts', '/api/pim/contact/all', { searchParams: { with: 'emails,phones,others' }, signal: ctx.signal })
        // `with=others` also brings people only corresponded with (`other: true`): not contacts.
        .then((a) => {
          const decoded = decodeContacts(a.data);
          return { ...decoded, items: decoded.items.filter((c) => !c.other) };
        });
      this.#contacts.set(ctx.connectionId, cached);
      cached.catch(() => this.#contacts.delete(ctx.connectionId));
    }
    return cached;
  }

  async allContacts(ctx: AdapterContext): Promise<PimContact[]> {
    return (await this.#decoded(ctx)).items;
  }

  /** Contacts of one book. [guess] A contact without addressbook_id belongs to the default (or first) book. */
  async contactsOf(ctx: AdapterContext, bookId: string, known?: PimAddressBook[]): Promise<PimContact[]> {
    const [all, books] = await Promise.all([this.allContacts(ctx), known ?? this.books(ctx)]);
    const fallbackBook = (books.find((b) => b.default) ?? books[0])?.id;
    const collator = new Intl.Collator(ctx.language, { sensitivity: 'base' });
    return all
      .filter((c) => (c.addressbook_id ?? fallbackBook) === bookId)
      .sort((a, b) => collator.compare(contactDisplayName(a), contactDisplayName(b)));
  }

  async *list(ctx: AdapterContext, parent: ParsedId, parentId: string): AsyncIterable<ChildPage> {
    const last = parent.path.at(-1);
    if (!last) {
      const books = await this.books(ctx);
      yield {
        nodes: books.map<SourceNode>((b) => ({
          id: childId(parentId, 'book', b.id),
          parentId,
          kind: 'addressbook',
          service: 'contacts',
          name: b.name,
          expandable: true,
          downloadable: true,
          details: { id: b.id, ...(b.account_name ? { account: b.account_name } : {}) },
        })),
        total: books.length,
      };
      return;
    }
    if (last.type !== 'book') throw failWith('not_found', 'no_children', 'Contacts have no children.');
    const contacts = await this.contactsOf(ctx, last.value);
    yield {
      nodes: contacts.map((c) => {
        const email = contactFirstEmail(c);
        const node: SourceNode = {
          id: childId(parentId, 'ct', c.id),
          parentId,
          kind: 'contact',
          service: 'contacts',
          name: contactDisplayName(c),
          expandable: false,
          downloadable: true,
          details: {
            id: c.id,
            ...(email ? { email } : {}),
            ...(c.organization ? { organization: c.organization } : {}),
          },
        };
        if (email) node.subtitle = email;
        return node;
      }),
      total: contacts.length,
    };
  }

  async job(ctx: AdapterContext, node: ParsedId): Promise<DownloadJob> {
    const bookId = segment(node, 'book');
    const contactId = segment(node, 'ct');
    if (!bookId) throw failWith('not_found', 'not_downloadable', 'This item cannot be downloaded.');
    const version = ctx.settings.vcardVersion;
    if (contactId) {
      const contact = (await this.allContacts(ctx)).find((c) => c.id === contactId);
      if (!contact) throw failWith('not_found', 'contact_gone', 'This contact no longer exists.');
      return exportJob(contactFileName(contact), async () => contactToVcf(contact, { version }));
    }
    const book = (await this.books(ctx)).find((b) => b.id === bookId);
    if (!book) throw failWith('not_found', 'book_gone', 'This address book no longer exists.');
    return exportJob(addressBookFileName(book), async () =>
      contactsToVcf(await this.contactsOf(ctx, bookId), { version }),
    );
  }

  /** Sync: the address book as one `.vcf` or a vdir (one file per contact, named by its UID). */
  async subtree(ctx: AdapterContext, node: ParsedId, _nodeId: string, options: SubtreeOptions): Promise<Subtree> {
    const bookId = segment(node, 'book');
    if (!bookId || node.path.length !== 1)
      throw failWith('not_found', 'not_syncable', 'Only an address book can be synced.');
    return generatedSubtree(async () => {
      this.reset(ctx.connectionId); // the browse cache may be stale: sync reads the current state
      // Parse loudly: a listing of another shape fails the run; a contact that does not decode is unknown.
      const books = await this.books(ctx, true);
      const { unread } = expectList(await this.#decoded(ctx), 'the contacts');
      const book = books.find((b) => b.id === bookId);
      const contacts = await this.contactsOf(ctx, bookId, books);
      const version = ctx.settings.vcardVersion;
      if (options.layout === 'vdir') {
        const files = contacts.map((c) => ({
          id: `ct:${c.id}`,
          name: uidFileName(c.uid ?? `${c.id}@poweron-sources`, '.vcf'),
          text: contactToVcf(c, { version }),
        }));
        return { files, unread: unread && { ids: new Set(unread.ids.map((id) => `ct:${id}`)), all: unread.all } };
      }
      const name = addressBookFileName(book ?? { id: bookId, name: `Contacts ${bookId}`, default: false });
      const id = `book:${bookId}`;
      const files = [{ id, name, text: contactsToVcf(contacts, { version }) }];
      // A contact that did not decode may belong to this book: its one file is not rewritten without it.
      return { files, unread: unread && { ids: new Set([id]), all: false } };
    });
  }
}
