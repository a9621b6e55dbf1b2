/**
 * iCalendar (RFC 5545) export of PIM events, built with ical.js (components, properties, times,
 * recurrence rules, durations, text escaping) and VTIMEZONE blocks from timezones-ical-library.
 *
 * Two things are done by hand on purpose:
 * - folding: ical.js folds at 75 octets without counting the continuation line's leading space,
 *   so its continuation lines can reach 76 octets; the output is unfolded and refolded (lines.ts);
 * - zone conversion: wall times are computed with Intl (the runtime's IANA data), and a TZID is
 *   only written when its VTIMEZONE is included; an unknown zone falls back to UTC times.
 */
import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { resolveEventTimes } from './event-times';
import { CONTROL, CONTROL_EXCEPT_TAB_LF, CRLF, joinContentLines, unfold } from './lines';
import type { PimAlarm, PimAttendee, PimEvent } from './schemas';
import { utcMsToWall, wallInZone, zonedWallToMs, type DateOnly, type WallTime } from './time';

export interface IcsOptions {
  /** Written as X-WR-CALNAME (the name most apps show for an imported calendar). */
  calendarName?: string;
  prodId?: string;
  /** DTSTAMP of every event; defaults to the current time. */
  now?: Date;
}

/**
 * DTSTAMP of generated files kept in sync. Without a METHOD, RFC 5545 reads DTSTAMP as the time the
 * event was last revised; Infomaniak's event records carry no such time, and the export time would
 * make every synced file differ at every run (issue 21.4). A fixed instant keeps an unchanged
 * calendar byte for byte the same; a download keeps the export time.
 */
export const SYNC_DTSTAMP = new Date(Date.UTC(1970, 0, 1));

export const DEFAULT_PRODID = '-//PowerOn Sources//Infomaniak PIM export//EN';
export const UID_DOMAIN = 'poweron-sources';

// ---------------------------------------------------------------------------------------------------
// VTIMEZONE blocks

interface ZoneBlock {
  tzid: string;
  jcal: unknown[];
}

let knownZones: Set<string> | undefined;
const zoneBlocks = new Map<string, ZoneBlock | null>();

/** The library's VTIMEZONE for an IANA name (aliases resolve to the canonical TZID), or null. */
function zoneBlock(name: string): ZoneBlock | null {
  const cached = zoneBlocks.get(name);
  if (cached !== undefined) return cached;
  let block: ZoneBlock | null = null;
  knownZones ??= new Set(tzlib_get_timezones(false) as string[]);
  // Asking the library about a name it does not list makes it log an error: check the list first.
  if (knownZones.has(name)) {
    const result = tzlib_get_ical_block(name, false);
    const text = Array.isArray(result) ? result[0] : undefined;
    if (text) {
      try {
        const jcal = ICAL.parse(text) as unknown[];
        const tzid = new ICAL.Component(jcal).getFirstPropertyValue('tzid');
        if (typeof tzid === 'string' && tzid !== '') block = { tzid, jcal };
      } catch {
        block = null;
      }
    }
  }
  zoneBlocks.set(name, block);
  return block;
}

// ---------------------------------------------------------------------------------------------------
// Value helpers

/** Text as RFC 5545 TEXT allows it: LF newlines (escaped later by ical.js), no other control characters. */
function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_TAB_LF, '');
}

/** Parameter values cannot hold line breaks or control characters. */
function cleanParam(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '')
    .trim();
}

function dateTime(w: WallTime, utc: boolean): ICAL.Time {
  return ICAL.Time.fromData(
    { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: false },
    utc ? ICAL.Timezone.utcTimezone : undefined,
  );
}

function dateValue(d: DateOnly): ICAL.Time {
  return ICAL.Time.fromData({ year: d.year, month: d.month, day: d.day, isDate: true });
}

const PARTSTAT: Record<string, string> = {
  'needs-action': 'NEEDS-ACTION',
  needs_action: 'NEEDS-ACTION',
  needsaction: 'NEEDS-ACTION',
  pending: 'NEEDS-ACTION',
  invited: 'NEEDS-ACTION',
  accepted: 'ACCEPTED',
  accept: 'ACCEPTED',
  yes: 'ACCEPTED',
  declined: 'DECLINED',
  decline: 'DECLINED',
  refused: 'DECLINED',
  no: 'DECLINED',
  tentative: 'TENTATIVE',
  maybe: 'TENTATIVE',
  delegated: 'DELEGATED',
};

export function partstatOf(state: string | undefined): string | undefined {
  return state === undefined ? undefined : PARTSTAT[state.trim().toLowerCase()];
}

const STATUS: Record<string, string> = {
  confirmed: 'CONFIRMED',
  tentative: 'TENTATIVE',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

// ---------------------------------------------------------------------------------------------------
// VEVENT

class EventWriter {
  /** Block per canonical TZID used by the written events. */
  readonly usedZones = new Map<string, ZoneBlock>();

  constructor(private readonly dtstamp: ICAL.Time) {}

  /** Sets DTSTART/DTEND to an instant: local time with TZID when the zone has a VTIMEZONE, else UTC. */
  private setInstant(component: ICAL.Component, name: string, ms: number, zone: string | undefined): void {
    const block = zone !== undefined && zone !== 'UTC' ? zoneBlock(zone) : null;
    if (block && zone !== undefined) {
      this.usedZones.set(block.tzid, block);
      const prop = component.addPropertyWithValue(name, dateTime(wallInZone(ms, zone), false));
      prop.setParameter('tzid', block.tzid);
      return;
    }
    component.addPropertyWithValue(name, dateTime(utcMsToWall(ms), true));
  }

  private addRrule(vevent: ICAL.Component, rule: string, allDay: boolean, zone: string | undefined): void {
    let recur: ICAL.Recur;
    try {
      recur = ICAL.Recur.fromString(rule);
    } catch {
      return; // An unreadable rule is left out rather than written broken.
    }
    const until = recur.until;
    if (until) {
      // RFC 5545 §3.3.10: UNTIL has DTSTART's value type, and is UTC when DTSTART has a TZID or is UTC.
      if (allDay) {
        recur.until = dateValue({ year: until.year, month: until.month, day: until.day });
      } else if (until.isDate || until.zone !== ICAL.Timezone.utcTimezone) {
        const wall: WallTime = until.isDate
          ? { year: until.year, month: until.month, day: until.day, hour: 23, minute: 59, second: 59 }
          : {
              year: until.year,
              month: until.month,
              day: until.day,
              hour: until.hour,
              minute: until.minute,
              second: until.second,
            };
        recur.until = dateTime(utcMsToWall(zonedWallToMs(wall, zone ?? 'UTC')), true);
      }
    }
    vevent.addPropertyWithValue('rrule', recur);
  }

  private addPerson(vevent: ICAL.Component, name: 'organizer' | 'attendee', a: PimAttendee): void {
    const address = cleanParam(a.address).replace(/\s+/g, '');
    if (address === '') return;
    const prop = vevent.addPropertyWithValue(name, `mailto:${address}`);
    const cn = a.name !== undefined ? cleanParam(a.name) : '';
    if (cn !== '') prop.setParameter('cn', cn);
    if (name === 'attendee') {
      const partstat = partstatOf(a.state);
      if (partstat) prop.setParameter('partstat', partstat);
    }
  }

  private addAlarm(vevent: ICAL.Component, alarm: PimAlarm, title: string): void {
    if (!Number.isFinite(alarm.minutesBefore)) return;
    const valarm = new ICAL.Component('valarm');
    valarm.addPropertyWithValue('action', 'DISPLAY');
    valarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-Math.round(alarm.minutesBefore * 60)));
    const description = cleanText(alarm.description ?? '') || cleanText(title) || 'Reminder';
    valarm.addPropertyWithValue('description', description);
    vevent.addSubcomponent(valarm);
  }

  /** The VEVENT, or undefined when the event's start cannot be read. */
  write(event: PimEvent): ICAL.Component | undefined {
    const times = resolveEventTimes(event);
    if (times === undefined) return undefined;
    const vevent = new ICAL.Component('vevent');
    vevent.addPropertyWithValue('uid', cleanText(event.uid ?? `${event.id}@${UID_DOMAIN}`));
    vevent.addPropertyWithValue('dtstamp', this.dtstamp.clone());

    if (times.allDay) {
      vevent.addPropertyWithValue('dtstart', dateValue(times.startDate));
      vevent.addPropertyWithValue('dtend', dateValue(times.endDate));
    } else {
      this.setInstant(vevent, 'dtstart', times.startMs, times.startZone);
      if (times.hasEnd) this.setInstant(vevent, 'dtend', times.endMs, times.endZone);
    }

    const title = cleanText(event.title);
    if (title !== '') vevent.addPropertyWithValue('summary', title);
    if (event.description !== undefined && cleanText(event.description) !== '') {
      vevent.addPropertyWithValue('description', cleanText(event.description));
    }
    if (event.location !== undefined && cleanText(event.location) !== '') {
      vevent.addPropertyWithValue('location', cleanText(event.location));
    }
    // A floating UNTIL is wall time in the event's zone, whichever form DTSTART was written in.
    if (event.rrule) this.addRrule(vevent, event.rrule, times.allDay, times.allDay ? undefined : times.startZone);
    if (event.private) vevent.addPropertyWithValue('class', 'PRIVATE');
    if (event.freebusy !== undefined) {
      const fb = event.freebusy.trim().toLowerCase();
      vevent.addPropertyWithValue('transp', fb === 'free' || fb === 'transparent' ? 'TRANSPARENT' : 'OPAQUE');
    }
    const status = event.status !== undefined ? STATUS[event.status.trim().toLowerCase()] : undefined;
    if (status) vevent.addPropertyWithValue('status', status);

    const attendees = event.attendees ?? [];
    const organizer = attendees.find((a) => a.organizer);
    if (organizer) this.addPerson(vevent, 'organizer', organizer);
    // The organizer is also listed as an attendee, so their participation status is kept.
    for (const a of attendees) this.addPerson(vevent, 'attendee', a);

    for (const att of event.attachments ?? []) {
      const prop = vevent.addPropertyWithValue('attach', att.url);
      if (att.mime && /^[\w.+-]+\/[\w.+-]+$/.test(att.mime)) prop.setParameter('fmttype', att.mime);
    }
    for (const alarm of event.alarms ?? []) this.addAlarm(vevent, alarm, event.title);
    return vevent;
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API

/** One VCALENDAR holding the events (those whose start cannot be read are left out). */
export function eventsToIcs(events: readonly PimEvent[], options: IcsOptions = {}): string {
  const now = options.now ?? new Date();
  const dtstamp = dateTime(utcMsToWall(Math.floor(now.getTime() / 1000) * 1000), true);
  const writer = new EventWriter(dtstamp);
  const vevents: ICAL.Component[] = [];
  for (const event of events) {
    const vevent = writer.write(event);
    if (vevent) vevents.push(vevent);
  }

  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', cleanText(options.prodId ?? DEFAULT_PRODID));
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  const calendarName = cleanText(options.calendarName ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (calendarName !== '') {
    // ical.js writes X- properties verbatim (type "unknown"): escape as TEXT, as calendar apps read it.
    calendar.addPropertyWithValue(
      'x-wr-calname',
      calendarName.replace(/[\\;,]/g, (c) => `\\${c}`),
    );
  }
  const zones = [...writer.usedZones.values()].sort((a, b) => a.tzid.localeCompare(b.tzid));
  for (const zone of zones) calendar.addSubcomponent(new ICAL.Component(structuredClone(zone.jcal)));
  for (const vevent of vevents) calendar.addSubcomponent(vevent);

  return joinContentLines(unfold(calendar.toString()).split(CRLF));
}

/** A VCALENDAR with a single event. */
export function eventToIcs(event: PimEvent, options: IcsOptions = {}): string {
  return eventsToIcs([event], options);
}
