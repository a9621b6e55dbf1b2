/**
 * Address books and contacts (PIM). Address book fields are [seen]; contact sub-shapes are [guess]:
 * emails (and phones) are plain strings by default, as in android-kMail's Contact model, or
 * {id,type,value} objects (settings.contact_email_shape = "objects"). `with=others` adds addresses,
 * birthday, note, website [guess], and the people the user only corresponded with: `other: true`,
 * `addressbook_id: null` [seen: `other: true`, no address book; the null is a guess]. Photos are
 * served at an avatar URL on the contacts origin [guess].
 */
import { uuidFrom } from '../core/prng';
import type { AddressBookScenario, ContactScenario, CorrespondentScenario } from '../scenario/schema';
import { pngPortrait } from './media';

interface ContactModel {
  id: number;
  addressbookId: number;
  spec: ContactScenario;
  uuid: string;
}

export class ContactsModel {
  private readonly books: Array<Record<string, unknown> & { id: number }> = [];
  private readonly contacts: ContactModel[] = [];
  private readonly avatars = new Map<number, Buffer>();

  constructor(
    specs: AddressBookScenario[],
    private readonly emailShape: 'strings' | 'objects',
    defaultAccountName: string,
    private readonly correspondents: CorrespondentScenario[] = [],
  ) {
    let nextBook = 1;
    let nextContact = 5001;
    const used = new Set(specs.flatMap((b) => b.contacts.map((c) => c.id).filter((id) => id !== undefined)));
    for (const b of specs) {
      const id = b.id ?? nextBook++;
      this.books.push({
        id,
        uuid: b.uuid ?? uuidFrom(`addressbook:${id}:${b.name}`),
        name: b.name,
        default: b.default,
        account_name: b.account_name ?? defaultAccountName,
        color: b.color,
        is_shared: false,
      });
      for (const c of b.contacts) {
        let cid = c.id;
        if (cid === undefined) {
          while (used.has(nextContact)) nextContact++;
          cid = nextContact++;
        }
        this.contacts.push({ id: cid, addressbookId: id, spec: c, uuid: uuidFrom(`contact:${cid}`) });
      }
    }
  }

  addressbooks(): Record<string, unknown>[] {
    return this.books;
  }

  hasAddressbook(id: number): boolean {
    return this.books.some((b) => b.id === id);
  }

  /** `withFields`: the comma list of the `with` query (emails, phones, others). */
  list(withFields: Set<string>, avatarBase: string, addressbookId?: number): Record<string, unknown>[] {
    const contacts = this.contacts
      .filter((c) => addressbookId === undefined || c.addressbookId === addressbookId)
      .map((c) => this.toJson(c, withFields, avatarBase));
    // [guess] correspondents belong to no book, so a book filter leaves them out
    if (!withFields.has('others') || addressbookId !== undefined) return contacts;
    return [...contacts, ...this.correspondents.map((p, i) => this.correspondentJson(p, i, withFields))];
  }

  private correspondentJson(p: CorrespondentScenario, index: number, withFields: Set<string>): Record<string, unknown> {
    const id = p.id ?? 900_001 + index;
    const out: Record<string, unknown> = {
      id,
      uuid: uuidFrom(`correspondent:${id}`),
      addressbook_id: null,
      name: p.name || p.email,
      firstname: '',
      lastname: '',
      other: true,
    };
    if (withFields.has('emails')) {
      out.emails = this.emailShape === 'strings' ? [p.email] : [{ id: id * 10, type: 'other', value: p.email }];
    }
    return out;
  }

  get(id: number, withFields: Set<string>, avatarBase: string): Record<string, unknown> | null {
    const c = this.contacts.find((x) => x.id === id);
    return c ? this.toJson(c, withFields, avatarBase) : null;
  }

  avatar(id: number): { bytes: Buffer; mime: string } | null {
    const c = this.contacts.find((x) => x.id === id);
    const photo = c?.spec.photo;
    if (!c || !photo) return null;
    if ('base64' in photo) return { bytes: Buffer.from(photo.base64, 'base64'), mime: photo.mime_type };
    let bytes = this.avatars.get(id);
    if (!bytes) {
      bytes = pngPortrait(photo.seed);
      this.avatars.set(id, bytes);
    }
    return { bytes, mime: 'image/png' };
  }

  private toJson(c: ContactModel, withFields: Set<string>, avatarBase: string): Record<string, unknown> {
    const s = c.spec;
    const name = [s.firstname, s.lastname].filter(Boolean).join(' ') || s.organization || '';
    const out: Record<string, unknown> = {
      id: c.id,
      uuid: c.uuid,
      addressbook_id: c.addressbookId,
      name,
      firstname: s.firstname,
      lastname: s.lastname,
      nickname: s.nickname ?? null,
      organization: s.organization ?? null,
      job_title: s.job_title ?? null,
      avatar: s.photo ? `${avatarBase}/api/pim/contact/${c.id}/avatar` : null,
    };
    const shaped = (items: Array<{ type: string; value: string }>, prefix: number): unknown[] =>
      this.emailShape === 'strings'
        ? items.map((i) => i.value)
        : items.map((i, n) => ({ id: prefix + n, type: i.type, value: i.value }));
    if (withFields.has('emails')) {
      out.emails = shaped(
        s.emails.map((e) => ({ type: e.type, value: e.address })),
        c.id * 10,
      );
    }
    if (withFields.has('phones')) {
      out.phones = shaped(
        s.phones.map((p) => ({ type: p.type, value: p.number })),
        c.id * 10,
      );
    }
    if (withFields.has('others')) {
      out.addresses = s.addresses.map((a, n) => ({ id: c.id * 10 + n, ...a }));
      out.birthday = s.birthday ?? null;
      out.note = s.note ?? null;
      out.website = s.website ?? null;
    }
    return out;
  }
}
