/**
 * Small display helpers for the Calendar, Contacts and Mail tree rows and their export file names.
 * File names are raw (they may hold `/`, `:` …); the transfer layer makes them safe for the disk.
 */
import { resolveEventTimes } from './event-times';
import type { MailMailbox, MailMessage, PimAddressBook, PimCalendar, PimContact, PimEvent } from './schemas';
import { addDays, type DateOnly } from './time';

export type UiLocale = 'en' | 'de';

export interface EventRange {
  /** Unix ms. All-day events: local midnight of the first day. */
  start: number;
  /** Unix ms, exclusive. All-day events: local midnight of the day after the last day. */
  end: number;
  allDay: boolean;
}

function localMidnight(d: DateOnly): number {
  return new Date(d.year, d.month - 1, d.day).getTime();
}

/**
 * Start and end of an event in unix ms. An event without an end ends at its start. An event whose
 * start cannot be read (only possible for hand-built values; decoded ones always have one) gives NaN.
 */
export function eventRange(event: PimEvent): EventRange {
  const times = resolveEventTimes(event);
  if (times === undefined) return { start: Number.NaN, end: Number.NaN, allDay: event.fullday };
  if (times.allDay) return { start: localMidnight(times.startDate), end: localMidnight(times.endDate), allDay: true };
  return { start: times.startMs, end: times.endMs, allDay: false };
}

const ALL_DAY: Record<UiLocale, string> = { en: 'All day', de: 'Ganztägig' };

function dateFormat(locale: UiLocale, timeZone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
}

function timeFormat(locale: UiLocale, timeZone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/**
 * The row's secondary text: "Mar 10, 2025, 10:00 AM – 11:30 AM", "10.03.2025, 10:00 – 11:30",
 * "Apr 18, 2025 – Apr 20, 2025 · All day". Timed events are shown in `timeZone` (default: the
 * machine's zone); all-day events show their calendar dates whatever the zone.
 */
export function eventWhen(event: PimEvent, locale: UiLocale, timeZone?: string): string {
  const times = resolveEventTimes(event);
  if (times === undefined) return event.start;
  if (times.allDay) {
    const fmt = dateFormat(locale, 'UTC');
    const day = (d: DateOnly) => fmt.format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
    const last = addDays(times.endDate, -1);
    const span =
      last.year === times.startDate.year && last.month === times.startDate.month && last.day === times.startDate.day
        ? day(times.startDate)
        : `${day(times.startDate)} – ${day(last)}`;
    return `${span} · ${ALL_DAY[locale]}`;
  }
  const dates = dateFormat(locale, timeZone);
  const clock = timeFormat(locale, timeZone);
  const startDay = dates.format(times.startMs);
  const startTime = clock.format(times.startMs);
  if (!times.hasEnd) return `${startDay}, ${startTime}`;
  const endDay = dates.format(times.endMs);
  const endTime = clock.format(times.endMs);
  return endDay === startDay
    ? `${startDay}, ${startTime} – ${endTime}`
    : `${startDay}, ${startTime} – ${endDay}, ${endTime}`;
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Name for display and for FN: name, else given + family names, else organization, e-mail, phone, "Unnamed". */
export function contactDisplayName(contact: PimContact): string {
  const full = oneLine(contact.name);
  if (full) return full;
  const parts = oneLine([contact.firstname, contact.middlename, contact.lastname].filter(Boolean).join(' '));
  if (parts) return parts;
  return (
    oneLine(contact.organization) ||
    oneLine(contact.emails?.[0]?.value) ||
    oneLine(contact.phones?.[0]?.value) ||
    oneLine(contact.nickname) ||
    'Unnamed'
  );
}

export function contactFirstEmail(contact: PimContact): string | undefined {
  return contact.emails?.[0]?.value;
}

export function eventFileName(event: PimEvent): string {
  return `${oneLine(event.title) || 'Event'}.ics`;
}

export function calendarFileName(calendar: PimCalendar): string {
  return `${oneLine(calendar.name) || 'Calendar'}.ics`;
}

export function contactFileName(contact: PimContact): string {
  return `${contactDisplayName(contact)}.vcf`;
}

export function addressBookFileName(addressBook: PimAddressBook): string {
  return `${oneLine(addressBook.name) || 'Contacts'}.vcf`;
}

export function mailboxDisplayName(mailbox: MailMailbox): string {
  return oneLine(mailbox.email) || oneLine(mailbox.mailbox) || mailbox.uuid;
}

/** The first sender's name, else address. */
export function messageSender(message: MailMessage): string {
  const from = message.from[0];
  return from ? oneLine(from.name) || oneLine(from.email) : '';
}

export function messageFileName(message: MailMessage): string {
  return `${oneLine(message.subject) || 'Message'}.eml`;
}
