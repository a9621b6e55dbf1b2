/** Contacts decoders: address books and contacts (e-mails, phones, addresses, birthday, photo). */
import { z } from 'zod';
import { isRecord } from '../../../../shared/model/records';
import { parseApiTime } from '../time';
import { decodeIn } from './lists';
import type { Decoded, PimAddressBook, PimContact, PimPhoto, PimPostalAddress, PimTypedValue } from './shapes';
import { compact, first, firstText, idSchema, listOf, toBool, toId, toText, toTrimmed } from './values';

export const PimAddressBookSchema = z.looseObject({ id: idSchema }).transform((r): PimAddressBook =>
  compact({
    id: r.id,
    uuid: firstText(r, ['uuid']),
    name: firstText(r, ['name', 'title', 'display_name']) ?? '',
    default: toBool(first(r, ['default', 'is_default'])) ?? false,
    account_name: firstText(r, ['account_name']),
  }),
);

function labelsFrom(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of raw) {
    const t = toTrimmed(item);
    if (t === undefined) continue;
    for (const part of t.split(',')) {
      const p = part.trim().toLowerCase();
      if (p && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

function typedValueFrom(valueKeys: readonly string[]) {
  return (v: unknown): PimTypedValue | undefined => {
    if (typeof v === 'string' || typeof v === 'number') {
      const value = toTrimmed(v);
      return value ? { value, types: [] } : undefined;
    }
    if (!isRecord(v)) return undefined;
    const value = firstText(v, valueKeys);
    if (!value) return undefined;
    return compact({
      value,
      types: labelsFrom(first(v, ['type', 'types', 'label', 'category', 'kind'])),
      pref: toBool(first(v, ['pref', 'preferred', 'primary', 'is_primary', 'default'])) || undefined,
    });
  };
}

const emailFrom = typedValueFrom(['value', 'email', 'address', 'mail']);
const phoneFrom = typedValueFrom(['value', 'number', 'phone', 'tel']);

function addressFrom(v: unknown): PimPostalAddress | undefined {
  if (typeof v === 'string') return v.trim() ? { street: v.trim(), types: [] } : undefined;
  if (!isRecord(v)) return undefined;
  const streetRaw = first(v, ['street', 'street_address', 'address', 'line1', 'address1']);
  const street = Array.isArray(streetRaw)
    ? streetRaw
        .map(toTrimmed)
        .filter((s) => s !== undefined)
        .join('\n') || undefined
    : toTrimmed(streetRaw);
  const a = compact<PimPostalAddress>({
    pobox: firstText(v, ['pobox', 'po_box', 'post_office_box']),
    extended: firstText(v, ['extended', 'extended_address', 'complement', 'line2', 'address2', 'street2']),
    street,
    locality: firstText(v, ['city', 'locality', 'town']),
    region: firstText(v, ['region', 'state', 'province', 'county']),
    postal_code: firstText(v, ['postal_code', 'zip', 'zipcode', 'zip_code', 'postcode', 'npa']),
    country: firstText(v, ['country', 'country_name', 'country_code']),
    types: labelsFrom(first(v, ['type', 'types', 'label', 'category'])),
  });
  return Object.keys(a).length > 1 ? a : undefined;
}

function urlFrom(v: unknown): string | undefined {
  return isRecord(v) ? firstText(v, ['value', 'url', 'href']) : toTrimmed(v);
}

function birthdayFrom(v: unknown): string | undefined {
  const t = toTrimmed(v);
  if (t === undefined) return undefined;
  let m = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(t);
  if (m) return parseApiTime(`${m[1]}-${m[2]}-${m[3]}`) ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  m = /^--(\d{2})-?(\d{2})$/.exec(t);
  if (m)
    return Number(m[1]) >= 1 && Number(m[1]) <= 12 && Number(m[2]) >= 1 && Number(m[2]) <= 31
      ? `--${m[1]}-${m[2]}`
      : undefined;
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) {
    const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
    return parseApiTime(iso) ? iso : undefined;
  }
  return undefined;
}

function sniffImageMime(base64: string): string {
  if (base64.startsWith('iVBORw0KGgo')) return 'image/png';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  if (base64.startsWith('UklGR')) return 'image/webp';
  if (base64.startsWith('Qk')) return 'image/bmp';
  return 'image/jpeg';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Only embedded pictures (data URL or bare base64) are kept; remote URLs are dropped on purpose. */
function photoFrom(v: unknown): PimPhoto | undefined {
  let mimeHint: string | undefined;
  let text: string | undefined;
  if (isRecord(v)) {
    mimeHint = firstText(v, ['mime', 'mime_type', 'content_type', 'type']);
    text = firstText(v, ['data', 'value', 'base64', 'content', 'url', 'uri']);
  } else text = toTrimmed(v);
  if (text === undefined) return undefined;
  let mime = mimeHint && /^image\/[\w.+-]+$/i.test(mimeHint) ? mimeHint.toLowerCase() : undefined;
  const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[^,;]*)*),(.*)$/is.exec(text);
  let base64: string;
  if (dataUrl) {
    if (!/;base64/i.test(dataUrl[2] ?? '')) return undefined;
    if (dataUrl[1]) mime = dataUrl[1].toLowerCase();
    base64 = (dataUrl[3] ?? '').replace(/\s+/g, '');
  } else {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(text)) return undefined;
    base64 = text.replace(/\s+/g, '');
  }
  if (base64.length < 8 || base64.length % 4 !== 0 || !BASE64.test(base64)) return undefined;
  return { mime: mime ?? sniffImageMime(base64), base64 };
}

export const PimContactSchema = z
  .looseObject({
    id: idSchema,
    emails: listOf(emailFrom),
    phones: listOf(phoneFrom),
    addresses: listOf(addressFrom),
  })
  .transform((r): PimContact => {
    const orgRaw = first(r, ['organization', 'organisation', 'company', 'org']);
    const urls = [
      ...(Array.isArray(r.urls) ? r.urls : []),
      ...(Array.isArray(r.websites) ? r.websites : []),
      ...(r.url !== undefined ? [r.url] : []),
      ...(r.website !== undefined ? [r.website] : []),
    ]
      .map(urlFrom)
      .filter((u) => u !== undefined);
    return compact({
      id: r.id,
      uid: firstText(r, ['uid', 'uuid']),
      addressbook_id: toId(first(r, ['addressbook_id', 'address_book_id'])),
      name: firstText(r, ['name', 'display_name', 'fullname', 'full_name']),
      firstname: firstText(r, ['firstname', 'first_name', 'given_name']),
      lastname: firstText(r, ['lastname', 'last_name', 'family_name']),
      middlename: firstText(r, ['middlename', 'middle_name', 'additional_name']),
      prefix: firstText(r, ['prefix', 'honorific_prefix', 'civility']),
      suffix: firstText(r, ['suffix', 'honorific_suffix']),
      nickname: firstText(r, ['nickname']),
      organization: isRecord(orgRaw) ? firstText(orgRaw, ['name', 'value']) : toTrimmed(orgRaw),
      title: firstText(r, ['job_title', 'title', 'job', 'position', 'function']),
      note: toText(first(r, ['note', 'notes', 'comment'])),
      birthday: birthdayFrom(first(r, ['birthday', 'bday', 'birthdate', 'birth_date'])),
      emails: r.emails,
      phones: r.phones,
      addresses: r.addresses,
      urls: urls.length ? urls : undefined,
      photo: photoFrom(first(r, ['photo', 'avatar', 'picture', 'image'])),
      other: r.other === true || r.is_other === true ? true : undefined,
    });
  });

/** `GET …/pim/addressbook`: `data.addressbooks[]` [seen] or `data[]`. */
export function decodeAddressBooks(raw: unknown): Decoded<PimAddressBook> {
  return decodeIn(PimAddressBookSchema, raw, ['addressbooks', 'address_books', 'addressBooks', 'items']);
}

/** `GET …/pim/contact/all?with=emails,phones,others`: `data[]` [seen] or `data.contacts[]`. */
export function decodeContacts(raw: unknown): Decoded<PimContact> {
  return decodeIn(PimContactSchema, raw, ['contacts', 'items']);
}
