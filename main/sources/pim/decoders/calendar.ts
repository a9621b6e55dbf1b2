/** Calendar decoders: calendars and events (times, recurrence, attendees, alarms, attachments). */
import { z } from 'zod';
import { isRecord } from '../../../../shared/model/records';
import { parseApiTime } from '../time';
import { decodeIn, unwrapEnvelope } from './lists';
import type { Decoded, PimAlarm, PimAttachment, PimAttendee, PimCalendar, PimEvent } from './shapes';
import {
  anything,
  compact,
  first,
  firstText,
  idSchema,
  listOf,
  toBool,
  toId,
  toNumber,
  toText,
  toTrimmed,
  unixToMs,
} from './values';

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
