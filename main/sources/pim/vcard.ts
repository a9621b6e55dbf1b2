/**
 * vCard export (3.0 by default, RFC 2426; 4.0 as an option, RFC 6350).
 *
 * A small writer of our own rather than ical.js's vCard stringifier, which (ical.js 2.2) gets
 * several details wrong for our data: it escapes the comma inside a 4.0 `PHOTO:data:…;base64,…`
 * URI, leaves `;` unescaped in a single-valued ORG (which then reads back as two components), does
 * not escape `;` in 3.0 text as RFC 2426 requires, and folds continuation lines to 76 octets.
 * ical.js is still the parser the tests read every generated card back with.
 */
import { contactDisplayName } from './format';
import { CONTROL, CONTROL_EXCEPT_TAB_LF, joinContentLines } from './lines';
import type { PimContact, PimPostalAddress, PimTypedValue } from './schemas';

export type VcardVersion = '3.0' | '4.0';

export interface VcfOptions {
  /** Default 3.0, the most widely understood. */
  version?: VcardVersion;
  prodId?: string;
}

export const DEFAULT_VCARD_PRODID = '-//PowerOn Sources//Infomaniak PIM export//EN';
const UID_DOMAIN = 'poweron-sources';

function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_TAB_LF, '');
}

/**
 * Escapes a text value. Backslash, newline and comma always; semicolon in 3.0 (RFC 2426 forbids it
 * unescaped in text) and in the components of structured values (N, ADR, ORG) in both versions.
 */
function escapeText(text: string, version: VcardVersion, component = false): string {
  const semicolon = version === '3.0' || component;
  return clean(text).replace(/[\\\n,;]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === ',') return '\\,';
    return semicolon ? '\\;' : ';';
  });
}

function structured(parts: readonly (string | undefined)[], version: VcardVersion): string {
  return parts.map((p) => escapeText(p ?? '', version, true)).join(';');
}

/** A URI value: not escaped (RFC 6350 §4), but stripped of whitespace and control characters. */
function uriValue(text: string): string {
  return text.replace(/\s+/g, '').replace(CONTROL, '');
}

const TYPE_WORDS: Record<string, string> = {
  work: 'work',
  professional: 'work',
  business: 'work',
  office: 'work',
  job: 'work',
  home: 'home',
  private: 'home',
  personal: 'home',
  cell: 'cell',
  mobile: 'cell',
  cellular: 'cell',
  handy: 'cell',
  portable: 'cell',
  fax: 'fax',
  telefax: 'fax',
  pager: 'pager',
  voice: 'voice',
  landline: 'voice',
  text: 'text',
  sms: 'text',
  video: 'video',
  postal: 'postal',
  parcel: 'parcel',
  pref: 'pref',
  preferred: 'pref',
  primary: 'pref',
};

const ALLOWED: Record<'email' | 'tel' | 'adr', Record<VcardVersion, readonly string[]>> = {
  email: { '3.0': ['work', 'home', 'pref'], '4.0': ['work', 'home', 'pref'] },
  tel: {
    '3.0': ['work', 'home', 'cell', 'fax', 'pager', 'voice', 'video', 'msg', 'pref'],
    '4.0': ['work', 'home', 'cell', 'fax', 'pager', 'voice', 'video', 'text', 'pref'],
  },
  adr: { '3.0': ['work', 'home', 'postal', 'parcel', 'pref'], '4.0': ['work', 'home', 'pref'] },
};

/** Maps free labels ("Mobile", "work_fax", "private") to the registered TYPE values of the version. */
function typesOf(labels: readonly string[], kind: 'email' | 'tel' | 'adr', version: VcardVersion): string[] {
  const out: string[] = [];
  for (const label of labels) {
    for (const word of label.toLowerCase().split(/[\s_/-]+/)) {
      let t = TYPE_WORDS[word];
      if (t === 'text' && version === '3.0') t = 'msg';
      if (t !== undefined && ALLOWED[kind][version].includes(t) && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** `;TYPE=…` (and `;PREF=1` in 4.0); 3.0 e-mails always carry INTERNET. */
function typeParams(types: string[], pref: boolean, kind: 'email' | 'tel' | 'adr', version: VcardVersion): string {
  let list = types.filter((t) => t !== 'pref');
  const isPref = pref || types.includes('pref');
  if (version === '3.0') {
    if (kind === 'email') list = ['internet', ...list];
    if (isPref) list.push('pref');
    return list.length ? `;TYPE=${list.map((t) => t.toUpperCase()).join(',')}` : '';
  }
  return (list.length ? `;TYPE=${list.join(',')}` : '') + (isPref ? ';PREF=1' : '');
}

function typedLines(
  name: 'EMAIL' | 'TEL',
  values: readonly PimTypedValue[] | undefined,
  kind: 'email' | 'tel',
  version: VcardVersion,
): string[] {
  const lines: string[] = [];
  for (const v of values ?? []) {
    const value = clean(v.value)
      .replace(/\s*\n\s*/g, ' ')
      .trim();
    if (value === '') continue;
    lines.push(
      `${name}${typeParams(typesOf(v.types, kind, version), v.pref === true, kind, version)}:${escapeText(value, version)}`,
    );
  }
  return lines;
}

function adrLine(a: PimPostalAddress, version: VcardVersion): string {
  const params = typeParams(typesOf(a.types, 'adr', version), false, 'adr', version);
  const parts = [a.pobox, a.extended, a.street, a.locality, a.region, a.postal_code, a.country];
  return `ADR${params}:${structured(parts, version)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uidLine(contact: PimContact, version: VcardVersion): string {
  const uid = clean(contact.uid ?? `${contact.id}@${UID_DOMAIN}`).replace(/\s+/g, '');
  if (version === '3.0') return `UID:${escapeText(uid, version)}`;
  if (UUID.test(uid)) return `UID:urn:uuid:${uid.toLowerCase()}`;
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(uid)) return `UID:${uriValue(uid)}`;
  return `UID;VALUE=text:${escapeText(uid, version)}`;
}

function bdayLine(birthday: string, version: VcardVersion): string | undefined {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday);
  if (full) return version === '3.0' ? `BDAY:${birthday}` : `BDAY:${full[1]}${full[2]}${full[3]}`;
  const noYear = /^--(\d{2})-(\d{2})$/.exec(birthday);
  if (noYear) return version === '3.0' ? `BDAY:--${noYear[1]}-${noYear[2]}` : `BDAY:--${noYear[1]}${noYear[2]}`;
  return undefined;
}

function photoLine(contact: PimContact, version: VcardVersion): string | undefined {
  const photo = contact.photo;
  if (!photo || !/^[A-Za-z0-9+/]+={0,2}$/.test(photo.base64)) return undefined;
  const mime = /^image\/[\w.+-]+$/i.test(photo.mime) ? photo.mime.toLowerCase() : 'image/jpeg';
  if (version === '3.0') {
    const subtype = mime.slice('image/'.length).replace(/^x-/, '').toUpperCase();
    return `PHOTO;ENCODING=b;TYPE=${subtype === 'JPG' ? 'JPEG' : subtype}:${photo.base64}`;
  }
  return `PHOTO:data:${mime};base64,${photo.base64}`;
}

function cardLines(contact: PimContact, version: VcardVersion, prodId: string): string[] {
  const lines = ['BEGIN:VCARD', `VERSION:${version}`, `PRODID:${escapeText(prodId, version)}`];
  lines.push(`FN:${escapeText(contactDisplayName(contact), version)}`);
  lines.push(
    `N:${structured([contact.lastname, contact.firstname, contact.middlename, contact.prefix, contact.suffix], version)}`,
  );
  if (contact.nickname) lines.push(`NICKNAME:${escapeText(contact.nickname, version)}`);
  if (contact.organization) lines.push(`ORG:${structured([contact.organization], version)}`);
  if (contact.title) lines.push(`TITLE:${escapeText(contact.title, version)}`);
  lines.push(...typedLines('EMAIL', contact.emails, 'email', version));
  lines.push(...typedLines('TEL', contact.phones, 'tel', version));
  for (const a of contact.addresses ?? []) lines.push(adrLine(a, version));
  for (const url of contact.urls ?? []) {
    const u = uriValue(url);
    if (u) lines.push(`URL:${u}`);
  }
  const bday = contact.birthday ? bdayLine(contact.birthday, version) : undefined;
  if (bday) lines.push(bday);
  if (contact.note && clean(contact.note).trim() !== '') lines.push(`NOTE:${escapeText(contact.note, version)}`);
  const photo = photoLine(contact, version);
  if (photo) lines.push(photo);
  lines.push(uidLine(contact, version));
  lines.push('END:VCARD');
  return lines;
}

/** One contact as a .vcf (CRLF line ends, folded at 75 octets, UTF-8 text). */
export function contactToVcf(contact: PimContact, options: VcfOptions = {}): string {
  return contactsToVcf([contact], options);
}

/** Several contacts as one .vcf: the cards one after the other. */
export function contactsToVcf(contacts: readonly PimContact[], options: VcfOptions = {}): string {
  const version = options.version ?? '3.0';
  const prodId = options.prodId ?? DEFAULT_VCARD_PRODID;
  if (contacts.length === 0) return '';
  return joinContentLines(contacts.flatMap((c) => cardLines(c, version, prodId)));
}
