/**
 * Tolerant decoders for the Infomaniak PIM (Calendar, Contacts) and Mail JSON, written from
 * docs/infomaniak-api.md. Many sub-shapes there are [guess], so every decoder:
 * - accepts the plausible variants (ids as numbers or strings, booleans as 0/1, lists under
 *   `data.<name>` or as `data` itself, e-mails as strings or objects, …);
 * - ignores unknown fields (loose objects);
 * - normalizes into one plain shape (the exported interfaces), so consumers see one form;
 * - never throws for one bad record: `decodeList` skips it and counts it.
 * Only the fields that identify a record are required (an id, an event's readable start, a mailbox
 * uuid); everything else degrades to "absent".
 */
import { z } from 'zod';
import { parseApiTime } from './time';
import { isRecord } from '../../../shared/model/records';

// ---------------------------------------------------------------------------------------------------
// Output shapes

export interface PimCalendar {
  id: string;
  name: string;
  color?: string;
  description?: string;
  default?: boolean;
  account_id?: string;
}

export interface PimAttendee {
  /** E-mail address without `mailto:`. */
  address: string;
  name?: string;
  organizer: boolean;
  /** As the API gives it (e.g. `NEEDS-ACTION`, `ACCEPTED`); mapped to PARTSTAT when exporting. */
  state?: string;
}

export interface PimAlarm {
  /** Minutes before the event start (negative: after the start). */
  minutesBefore: number;
  action?: string;
  description?: string;
}

export interface PimAttachment {
  url: string;
  name?: string;
  mime?: string;
}

export interface PimEvent {
  id: string;
  /** The API's own iCalendar UID, when it gives one. */
  uid?: string;
  calendar_id?: string;
  title: string;
  description?: string;
  location?: string;
  /** ISO 8601 with offset, `yyyy-MM-dd` (all-day), or `yyyy-MM-dd HH:mm:ss` (wall time). Always readable. */
  start: string;
  /** Same forms as `start`; absent when missing or unreadable. */
  end?: string;
  timezone_start?: string;
  timezone_end?: string;
  /** True for `fullday` true/1/"1"/"true", and for a date-only `start`. */
  fullday: boolean;
  freebusy?: string;
  private?: boolean;
  status?: string;
  /** The rule without a leading `RRULE:` (e.g. `FREQ=WEEKLY;COUNT=5`). */
  rrule?: string;
  attendees?: PimAttendee[];
  alarms?: PimAlarm[];
  attachments?: PimAttachment[];
}

export interface PimAddressBook {
  id: string;
  uuid?: string;
  name: string;
  default: boolean;
  account_name?: string;
}

export interface PimTypedValue {
  value: string;
  /** Lower-case labels as given (`work`, `home`, `mobile`, …); mapped to vCard TYPE on export. */
  types: string[];
  pref?: boolean;
}

export interface PimPostalAddress {
  pobox?: string;
  extended?: string;
  street?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
  types: string[];
}

/** An embedded photo. Remote URLs are not kept: an export must not fetch or leak them. */
export interface PimPhoto {
  mime: string;
  base64: string;
}

export interface PimContact {
  id: string;
  uid?: string;
  addressbook_id?: string;
  name?: string;
  firstname?: string;
  lastname?: string;
  middlename?: string;
  prefix?: string;
  suffix?: string;
  nickname?: string;
  organization?: string;
  title?: string;
  note?: string;
  /** `yyyy-MM-dd`, or `--MM-dd` when the year is unknown. */
  birthday?: string;
  emails?: PimTypedValue[];
  phones?: PimTypedValue[];
  addresses?: PimPostalAddress[];
  urls?: string[];
  photo?: PimPhoto;
  /** Someone the user only corresponded with (`with=others`, docs/infomaniak-api.md): not a contact. */
  other?: boolean;
}

export interface MailMailbox {
  uuid: string;
  email?: string;
  mailbox?: string;
  is_primary: boolean;
  mailbox_id?: string;
  unseen_messages?: number;
}

export interface MailFolder {
  id: string;
  name: string;
  role?: string;
  unread_count?: number;
  total_count?: number;
  children: MailFolder[];
}

export interface MailAddress {
  email: string;
  name?: string;
}

export interface MailMessage {
  uid: string;
  subject: string;
  from: MailAddress[];
  /** Unix milliseconds. */
  date?: number;
  /** API path of the message; the raw `.eml` is at `{resource}/download` [guess]. */
  resource?: string;
  seen?: boolean;
  size?: number;
  /** The folder the message lives in (a thread may bring messages of other folders). */
  folder_id?: string;
}

export interface MailThread {
  id: string;
  /** The thread's own subject, else its first message's. */
  subject: string;
  /** Unix milliseconds of the newest message. */
  date?: number;
  messages: MailMessage[];
}

export interface Decoded<T> {
  items: T[];
  /** Records that were present but did not decode. */
  skipped: number;
  /** The first few of those records, as received (to name them). */
  rejected?: unknown[];
  /** True when the payload had no list in any of the accepted places. */
  unrecognized?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Value helpers

type Rec = Record<string, unknown>;

/** A non-empty string (numbers become strings); anything else is absent. */
function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function toTrimmed(v: unknown): string | undefined {
  return toText(v)?.trim();
}

function toId(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  }
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function first(r: Rec, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (r[k] !== undefined && r[k] !== null) return r[k];
  }
  return undefined;
}

function firstText(r: Rec, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const t = toTrimmed(r[k]);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Unix seconds (below 1e11) or milliseconds → ms. */
function unixToMs(n: number): number {
  return Math.abs(n) < 1e11 ? n * 1000 : n;
}

/** Moves `undefined` properties out so optional fields are really absent. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}

const anything = z.unknown().optional();
const idSchema = z.union([z.string().trim().min(1), z.number().finite()]).transform((v) => String(v));

/** Decodes each element, dropping the bad ones; a single value counts as a list of one. */
function decodeEach<T>(v: unknown, decode: (v: unknown) => T | undefined): T[] {
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: T[] = [];
  for (const item of arr) {
    const d = decode(item);
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** A list field whose bad elements are dropped (absent means empty). */
function listOf<T>(decode: (v: unknown) => T | undefined) {
  return anything.transform((v): T[] => decodeEach(v, decode));
}

// ---------------------------------------------------------------------------------------------------
// Calendar

export const PimCalendarSchema = z.looseObject({ id: idSchema }).transform((r): PimCalendar =>
  compact({
    id: r.id,
    name: firstText(r, ['name', 'title', 'display_name']) ?? '',
    color: firstText(r, ['color', 'colour']),
    description: firstText(r, ['description']),
    default: toBool(first(r, ['default', 'is_default'])),
    account_id: toId(r.account_id),
  }),
);

/** Dates beyond ±8.64e15 ms cannot be represented (`new Date(1e20)` is invalid). */
const MAX_DATE_MS = 8.64e15;

function timeString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const ms = unixToMs(v);
    return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
  }
  if (typeof v === 'string' && parseApiTime(v) !== undefined) return v.trim();
  return undefined;
}

function normalizeRrule(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const lines = v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A multi-line value (e.g. "DTSTART:…\nRRULE:…") carries the rule on its RRULE line.
  const line = lines.find((l) => /^RRULE[:;]/i.test(l)) ?? lines.find((l) => /FREQ=/i.test(l));
  if (line === undefined) return undefined;
  const rule = line.replace(/^RRULE(;[^:]*)?:/i, '').trim();
  return /FREQ=/i.test(rule) ? rule : undefined;
}

function attendeeFrom(v: unknown): PimAttendee | undefined {
  if (typeof v === 'string') {
    const address = v.replace(/^mailto:/i, '').trim();
    return address ? { address, organizer: false } : undefined;
  }
  if (!isRecord(v)) return undefined;
  const address = firstText(v, ['address', 'email', 'mail'])
    ?.replace(/^mailto:/i, '')
    .trim();
  if (!address) return undefined;
  return compact({
    address,
    name: firstText(v, ['name', 'display_name', 'cn']),
    organizer: toBool(first(v, ['organizer', 'is_organizer'])) ?? false,
    state: firstText(v, ['state', 'status', 'partstat']),
  });
}

const UNIT_MINUTES: Record<string, number> = {
  s: 1 / 60,
  sec: 1 / 60,
  second: 1 / 60,
  seconds: 1 / 60,
  m: 1,
  min: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
  w: 10080,
  week: 10080,
  weeks: 10080,
};

/** An RFC 5545 duration (`-PT15M`, `P1D`, `-P1W`) in minutes, sign kept; undefined if unreadable. */
export function durationToMinutes(text: string): number | undefined {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!m || !/\d/.test(text)) return undefined;
  const minutes =
    Number(m[2] ?? 0) * 10080 +
    Number(m[3] ?? 0) * 1440 +
    Number(m[4] ?? 0) * 60 +
    Number(m[5] ?? 0) +
    Number(m[6] ?? 0) / 60;
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * [guess] The alarm shape is unknown. Accepted: a number (minutes before), a numeric string, an RFC
 * duration string (`-PT15M` = 15 min before, RFC sign), or an object with `trigger` (RFC sign) or
 * `minutes`/`duration`/`before`/`offset`/`value`/`time` (a magnitude before the start; an optional
 * `unit` such as `hours`), plus optional `action` and `description`.
 */
function alarmFrom(v: unknown): PimAlarm | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { minutesBefore: v } : undefined;
  if (typeof v === 'string') {
    const n = toNumber(v);
    if (n !== undefined) return { minutesBefore: n };
    const d = durationToMinutes(v);
    return d === undefined ? undefined : { minutesBefore: -d };
  }
  if (!isRecord(v)) return undefined;
  const unitText = toTrimmed(v.unit)?.toLowerCase();
  const unit = unitText !== undefined ? UNIT_MINUTES[unitText] : 1;
  if (unit === undefined) return undefined;
  let minutesBefore: number | undefined;
  if (v.trigger !== undefined && v.trigger !== null) {
    const t = v.trigger;
    const n = toNumber(t);
    if (n !== undefined) minutesBefore = n * unit;
    else if (typeof t === 'string') {
      const d = durationToMinutes(t);
      if (d !== undefined) minutesBefore = -d;
    }
  } else {
    const raw = first(v, ['minutes', 'duration', 'before', 'offset', 'value', 'time']);
    const n = toNumber(raw);
    if (n !== undefined) minutesBefore = Math.abs(n) * unit;
    else if (typeof raw === 'string') {
      const d = durationToMinutes(raw);
      if (d !== undefined) minutesBefore = Math.abs(d);
    }
  }
  if (minutesBefore === undefined) return undefined;
  return compact({
    minutesBefore,
    action: firstText(v, ['action', 'type']),
    description: firstText(v, ['description', 'message', 'summary']),
  });
}

function attachmentFrom(v: unknown): PimAttachment | undefined {
  const url = typeof v === 'string' ? v.trim() : isRecord(v) ? firstText(v, ['url', 'href', 'link', 'uri']) : undefined;
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  if (!isRecord(v)) return { url };
  return compact({
    url,
    name: firstText(v, ['name', 'filename', 'file_name', 'title']),
    mime: firstText(v, ['mime', 'mime_type', 'content_type', 'type']),
  });
}

function locationFrom(v: unknown): string | undefined {
  if (isRecord(v)) {
    const parts = [firstText(v, ['name', 'title']), firstText(v, ['address'])].filter((p) => p !== undefined);
    return parts.length ? parts.join(', ') : undefined;
  }
  return toText(v);
}

export const PimEventSchema = z
  .looseObject({
    id: idSchema,
    start: anything.transform(timeString).pipe(z.string({ error: 'start is missing or unreadable' })),
    end: anything.transform(timeString),
    attendees: listOf(attendeeFrom),
    alarms: listOf(alarmFrom),
    attachments: listOf(attachmentFrom),
  })
  .transform((r): PimEvent => {
    const dateOnlyStart = parseApiTime(r.start)?.kind === 'date';
    return compact({
      id: r.id,
      uid: firstText(r, ['uid', 'ical_uid', 'icaluid']),
      calendar_id: toId(r.calendar_id),
      title: firstText(r, ['title', 'summary', 'name']) ?? '',
      description: toText(r.description),
      location: locationFrom(r.location),
      start: r.start,
      end: r.end,
      timezone_start: firstText(r, ['timezone_start', 'timezone', 'tz']),
      timezone_end: firstText(r, ['timezone_end']),
      fullday: (toBool(first(r, ['fullday', 'full_day', 'all_day', 'allday'])) ?? false) || dateOnlyStart,
      freebusy: firstText(r, ['freebusy', 'transparency']),
      private: toBool(r.private),
      status: firstText(r, ['status']),
      rrule: normalizeRrule(r.rrule),
      attendees: r.attendees,
      alarms: r.alarms,
      attachments: r.attachments,
    });
  });

// ---------------------------------------------------------------------------------------------------
// Contacts

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

// ---------------------------------------------------------------------------------------------------
// Mail

export const MailMailboxSchema = z.looseObject({ uuid: z.string().trim().min(1) }).transform((r): MailMailbox =>
  compact({
    uuid: r.uuid,
    email: firstText(r, ['email', 'address']),
    mailbox: firstText(r, ['mailbox', 'name']),
    is_primary: toBool(r.is_primary) ?? false,
    mailbox_id: toId(r.mailbox_id),
    unseen_messages: toNumber(first(r, ['unseen_messages', 'unread_count'])),
  }),
);

export const MailFolderSchema: z.ZodType<MailFolder> = z.looseObject({ id: idSchema }).transform((r): MailFolder =>
  compact({
    id: r.id,
    name: firstText(r, ['name', 'display_name', 'path']) ?? r.id,
    role: firstText(r, ['role'])?.toLowerCase(),
    unread_count: toNumber(first(r, ['unread_count', 'unseen_messages', 'unread'])),
    total_count: toNumber(first(r, ['total_count', 'count', 'total'])),
    children: decodeList(MailFolderSchema, r.children).items,
  }),
);

function mailAddressFrom(v: unknown): MailAddress | undefined {
  if (typeof v === 'string') {
    const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(v);
    if (m) return compact({ email: m[2]!.trim(), name: m[1]!.trim() || undefined });
    return v.trim() ? { email: v.trim() } : undefined;
  }
  if (!isRecord(v)) return undefined;
  const email = firstText(v, ['email', 'address', 'mail']);
  const name = firstText(v, ['name', 'display_name']);
  if (!email && !name) return undefined;
  return compact({ email: email ?? '', name });
}

function mailDateFrom(v: unknown): number | undefined {
  const n = toNumber(v);
  if (n !== undefined) return unixToMs(n);
  if (typeof v !== 'string') return undefined;
  const t = parseApiTime(v);
  if (t?.kind === 'instant') return t.ms;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

export const MailMessageSchema = z.looseObject({}).transform((r, ctx): MailMessage => {
  const uid = toId(r.uid) ?? toId(r.id);
  if (uid === undefined) {
    ctx.issues.push({ code: 'custom', message: 'message has no uid or id', input: r });
    return z.NEVER;
  }
  return compact({
    uid,
    subject: toText(r.subject) ?? '',
    from: decodeEach(r.from, mailAddressFrom),
    date: mailDateFrom(first(r, ['date', 'internal_date', 'received_at', 'sent_at'])),
    resource: firstText(r, ['resource']),
    seen: toBool(first(r, ['seen', 'is_seen'])),
    size: toNumber(r.size),
    folder_id: toId(first(r, ['folder_id', 'folder'])),
  });
});

export const MailThreadSchema = z.looseObject({}).transform((r, ctx): MailThread => {
  if (Array.isArray(r.messages)) {
    const messages = decodeList(MailMessageSchema, r.messages).items;
    const newest = messages.reduce<MailMessage | undefined>(
      (a, m) => (a && (a.date ?? 0) >= (m.date ?? 0) ? a : m),
      undefined,
    );
    const id = toId(r.uid) ?? toId(r.id) ?? messages[0]?.uid;
    if (id === undefined || messages.length === 0) {
      ctx.issues.push({ code: 'custom', message: 'thread without messages', input: r });
      return z.NEVER;
    }
    return compact({
      id,
      subject: toText(r.subject) ?? messages[0]?.subject ?? '',
      date: mailDateFrom(r.date) ?? newest?.date,
      messages,
    });
  }
  const single = MailMessageSchema.safeParse(r);
  if (!single.success) {
    ctx.issues.push({ code: 'custom', message: 'neither a thread nor a message', input: r });
    return z.NEVER;
  }
  return compact({
    id: single.data.uid,
    subject: single.data.subject,
    date: single.data.date,
    messages: [single.data],
  });
});

// ---------------------------------------------------------------------------------------------------
// Lists

/** Decodes each element on its own: a bad record is skipped and counted, never thrown. */
export function decodeList<T>(schema: z.ZodType<T>, raw: unknown): Decoded<T> {
  if (!Array.isArray(raw)) return { items: [], skipped: 0 };
  const items: T[] = [];
  const rejected: unknown[] = [];
  let skipped = 0;
  for (const element of raw) {
    let r: ReturnType<typeof schema.safeParse>;
    try {
      r = schema.safeParse(element);
    } catch {
      // A transform that throws on a value no check foresaw: still this record's problem only.
      r = { success: false } as ReturnType<typeof schema.safeParse>;
    }
    if (r.success) items.push(r.data);
    else {
      skipped++;
      if (rejected.length < MAX_REJECTED) rejected.push(element);
    }
  }
  return skipped > 0 ? { items, skipped, rejected } : { items, skipped };
}

/** How many skipped records a decode keeps, to name them. */
const MAX_REJECTED = 20;

/** Strips the `{result, data}` envelope when given the whole body. */
export function unwrapEnvelope(raw: unknown): unknown {
  if (isRecord(raw) && 'data' in raw && ('result' in raw || Object.keys(raw).length === 1)) return raw.data;
  return raw;
}

function listIn(raw: unknown, keys: readonly string[]): unknown[] | undefined {
  const data = unwrapEnvelope(raw);
  if (Array.isArray(data)) return data;
  if (!isRecord(data)) return undefined;
  for (const k of keys) {
    const v = data[k];
    if (Array.isArray(v)) return v;
  }
  return undefined;
}

function decodeIn<T>(schema: z.ZodType<T>, raw: unknown, keys: readonly string[]): Decoded<T> {
  const list = listIn(raw, keys);
  if (list === undefined) return { items: [], skipped: 0, unrecognized: true };
  return decodeList(schema, list);
}

/** `GET …/pim/calendar`: `data.calendars[]` [seen] or `data[]`. */
export function decodeCalendars(raw: unknown): Decoded<PimCalendar> {
  return decodeIn(PimCalendarSchema, raw, ['calendars', 'items']);
}

/** `GET …/pim/event?calendar_id=…`: `data[]` or `data.events[]`. */
export function decodeEvents(raw: unknown): Decoded<PimEvent> {
  return decodeIn(PimEventSchema, raw, ['events', 'items']);
}

/** `GET …/pim/event/{id}`: `data` is the event (or `data.event`). */
export function decodeEvent(raw: unknown): PimEvent | undefined {
  const data = unwrapEnvelope(raw);
  const target = isRecord(data) && isRecord(data.event) ? data.event : data;
  const r = PimEventSchema.safeParse(target);
  return r.success ? r.data : undefined;
}

/** `GET …/pim/addressbook`: `data.addressbooks[]` [seen] or `data[]`. */
export function decodeAddressBooks(raw: unknown): Decoded<PimAddressBook> {
  return decodeIn(PimAddressBookSchema, raw, ['addressbooks', 'address_books', 'addressBooks', 'items']);
}

/** `GET …/pim/contact/all?with=emails,phones,others`: `data[]` [seen] or `data.contacts[]`. */
export function decodeContacts(raw: unknown): Decoded<PimContact> {
  return decodeIn(PimContactSchema, raw, ['contacts', 'items']);
}

/** `GET /api/mailbox`: `data[]` [seen] or `data.mailboxes[]`. */
export function decodeMailboxes(raw: unknown): Decoded<MailMailbox> {
  return decodeIn(MailMailboxSchema, raw, ['mailboxes', 'items']);
}

/** `GET /api/mail/{uuid}/folder`: `data[]`, `data.folders[]`, or one root folder with `children`. */
export function decodeMailFolders(raw: unknown): Decoded<MailFolder> {
  const data = unwrapEnvelope(raw);
  if (isRecord(data) && !Array.isArray(data.folders) && data.id !== undefined && data.id !== null) {
    return decodeList(MailFolderSchema, [data]);
  }
  return decodeIn(MailFolderSchema, data, ['folders', 'children', 'items']);
}

function totalIn(raw: unknown): number | undefined {
  const data = unwrapEnvelope(raw);
  return isRecord(data) ? toNumber(first(data, ['count', 'total', 'messages_count'])) : undefined;
}

/** `GET /api/mail/{uuid}/folder/{fid}/message?thread=on`: `data.threads[]` (+ `count`) or `data[]`. */
export function decodeMailThreads(raw: unknown): Decoded<MailThread> & { total?: number } {
  const decoded: Decoded<MailThread> & { total?: number } = decodeIn(MailThreadSchema, raw, [
    'threads',
    'messages',
    'items',
  ]);
  const total = totalIn(raw);
  if (total !== undefined) decoded.total = total;
  return decoded;
}

/** The same listing, flattened to messages (newest thread first as the API orders them). */
export function decodeMailMessages(raw: unknown): Decoded<MailMessage> & { total?: number } {
  const threads = decodeMailThreads(raw);
  const out: Decoded<MailMessage> & { total?: number } = {
    items: threads.items.flatMap((t) => t.messages),
    skipped: threads.skipped,
  };
  if (threads.unrecognized) out.unrecognized = true;
  if (threads.total !== undefined) out.total = threads.total;
  return out;
}
