import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { eventsToIcs, eventToIcs } from './ics';
import { decodeEvents, type PimEvent } from './schemas';
import { expectContentLines } from './test-support';

const NOW = new Date('2025-01-15T12:34:56.789Z');

const LONG_TEXT = (
  'Grüße aus Zürich – Übermäßig schöne Äpfel, Öl & Süßes 🍏🍎🫒🍰 für alle 🎉. ' +
  'Ärger? Nö! Straße, Maß, Fuß 😀👍🏽🇨🇭 … '
).repeat(3);

/** What the API might send (decoded first, so the decoders are exercised too), and what must come back. */
interface Case {
  raw: Record<string, unknown>;
  summary?: string;
  description?: string;
  location?: string;
  /** Instants in ms for timed events; `yyyy-MM-dd` for all-day (end exclusive). */
  start: number | string;
  end?: number | string;
  tzid?: string;
  rrule?: Record<string, unknown>;
  attendees?: { address: string; cn?: string; partstat?: string }[];
  organizer?: { address: string; cn?: string };
  alarms?: number[];
}

const CASES: Case[] = [
  {
    raw: {
      id: 101,
      calendar_id: 1,
      title: 'Stand-up Zürich',
      start: '2025-03-10T10:00:00+01:00',
      end: '2025-03-10T10:15:00+01:00',
      timezone_start: 'Europe/Zurich',
      timezone_end: 'Europe/Zurich',
      fullday: false,
    },
    summary: 'Stand-up Zürich',
    start: Date.parse('2025-03-10T09:00:00Z'),
    end: Date.parse('2025-03-10T09:15:00Z'),
    tzid: 'Europe/Zurich',
  },
  {
    raw: {
      id: 102,
      title: 'Summer in Zürich',
      start: '2025-07-01T18:30:00+02:00',
      end: '2025-07-01T20:00:00+02:00',
      timezone_start: 'Europe/Zurich',
      fullday: 0,
    },
    summary: 'Summer in Zürich',
    start: Date.parse('2025-07-01T16:30:00Z'),
    end: Date.parse('2025-07-01T18:00:00Z'),
    tzid: 'Europe/Zurich',
  },
  {
    raw: {
      id: 103,
      title: 'New York call',
      // Wall time without offset: read in timezone_start.
      start: '2025-01-20 09:00:00',
      end: '2025-01-20 10:00:00',
      timezone_start: 'America/New_York',
      timezone_end: 'America/New_York',
      fullday: false,
      location: 'Room 5, 3rd floor; Building B',
    },
    summary: 'New York call',
    location: 'Room 5, 3rd floor; Building B',
    start: Date.parse('2025-01-20T14:00:00Z'),
    end: Date.parse('2025-01-20T15:00:00Z'),
    tzid: 'America/New_York',
  },
  {
    raw: { id: 104, title: 'UTC sync', start: '2025-05-05T08:00:00Z', end: '2025-05-05T09:00:00Z', fullday: false },
    summary: 'UTC sync',
    start: Date.parse('2025-05-05T08:00:00Z'),
    end: Date.parse('2025-05-05T09:00:00Z'),
  },
  {
    raw: { id: 105, title: 'Holiday', start: '2025-04-18', end: '2025-04-18', fullday: true },
    summary: 'Holiday',
    start: '2025-04-18',
    end: '2025-04-19',
  },
  {
    raw: { id: 106, title: 'Easter break', start: '2025-04-18', end: '2025-04-22', fullday: 1 },
    summary: 'Easter break',
    start: '2025-04-18',
    end: '2025-04-22',
  },
  {
    raw: {
      id: 107,
      title: 'Christmas',
      start: '2025-12-24T00:00:00+01:00',
      end: '2025-12-26T23:59:59+01:00',
      timezone_start: 'Europe/Zurich',
      fullday: '1',
    },
    summary: 'Christmas',
    start: '2025-12-24',
    end: '2025-12-27',
  },
  {
    raw: {
      id: 108,
      title: 'Weekly review',
      start: '2025-02-03T14:00:00+01:00',
      end: '2025-02-03T15:00:00+01:00',
      timezone_start: 'Europe/Zurich',
      fullday: false,
      rrule: 'RRULE:FREQ=WEEKLY;COUNT=20;BYDAY=MO,WE',
    },
    summary: 'Weekly review',
    start: Date.parse('2025-02-03T13:00:00Z'),
    end: Date.parse('2025-02-03T14:00:00Z'),
    tzid: 'Europe/Zurich',
    rrule: { freq: 'WEEKLY', count: 20, byday: ['MO', 'WE'] },
  },
  {
    raw: {
      id: 109,
      title: 'Fortnightly 1:1',
      start: '2025-03-04T16:00:00-05:00',
      end: '2025-03-04T16:30:00-05:00',
      timezone_start: 'America/New_York',
      fullday: false,
      // UNTIL as floating local time: made UTC as RFC 5545 requires with a TZID start.
      rrule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20250630T235959',
    },
    summary: 'Fortnightly 1:1',
    start: Date.parse('2025-03-04T21:00:00Z'),
    end: Date.parse('2025-03-04T21:30:00Z'),
    tzid: 'America/New_York',
    rrule: { freq: 'WEEKLY', interval: 2, until: Date.parse('2025-07-01T03:59:59Z') },
  },
  {
    raw: {
      id: 110,
      title: 'Birthday',
      start: '2025-06-01',
      end: '2025-06-02',
      fullday: true,
      rrule: 'FREQ=YEARLY;UNTIL=20300601T000000Z',
    },
    summary: 'Birthday',
    start: '2025-06-01',
    end: '2025-06-02',
    rrule: { freq: 'YEARLY', untilDate: '2030-06-01' },
  },
  {
    raw: {
      id: 111,
      title: 'Project kick-off',
      start: '2025-09-01T09:00:00+02:00',
      end: '2025-09-01T11:00:00+02:00',
      timezone_start: 'Europe/Zurich',
      fullday: false,
      attendees: [
        { address: 'anna@example.ch', name: 'Müller, Anna', organizer: true, state: 'ACCEPTED' },
        { address: 'mailto:bob@example.com', name: 'Bob "The Builder"', organizer: false, state: 'NEEDS-ACTION' },
        { address: 'carla@example.it', organizer: 0, state: 'declined' },
        { name: 'No address' },
      ],
      alarms: [15, { trigger: '-P1D', action: 'DISPLAY' }],
    },
    summary: 'Project kick-off',
    start: Date.parse('2025-09-01T07:00:00Z'),
    end: Date.parse('2025-09-01T09:00:00Z'),
    tzid: 'Europe/Zurich',
    organizer: { address: 'anna@example.ch', cn: 'Müller, Anna' },
    attendees: [
      { address: 'anna@example.ch', cn: 'Müller, Anna', partstat: 'ACCEPTED' },
      { address: 'bob@example.com', cn: 'Bob "The Builder"', partstat: 'NEEDS-ACTION' },
      { address: 'carla@example.it', partstat: 'DECLINED' },
    ],
    alarms: [15, 1440],
  },
  {
    raw: {
      id: 112,
      title: 'Budget, Q3; review\\draft',
      description: 'Agenda:\n1. numbers, costs; risks\r\n2. back\\slash\n\n3. end',
      start: '2025-10-10T13:00:00+02:00',
      end: '2025-10-10T14:00:00+02:00',
      timezone_start: 'Europe/Zurich',
      fullday: false,
    },
    summary: 'Budget, Q3; review\\draft',
    description: 'Agenda:\n1. numbers, costs; risks\n2. back\\slash\n\n3. end',
    start: Date.parse('2025-10-10T11:00:00Z'),
    end: Date.parse('2025-10-10T12:00:00Z'),
    tzid: 'Europe/Zurich',
  },
  {
    raw: {
      id: 113,
      title: 'Ümlaut-Ärger 😀',
      description: LONG_TEXT,
      start: '2025-11-11T11:11:00+01:00',
      end: '2025-11-11T12:00:00+01:00',
      timezone_start: 'Europe/Zurich',
      fullday: false,
    },
    summary: 'Ümlaut-Ärger 😀',
    description: LONG_TEXT,
    start: Date.parse('2025-11-11T10:11:00Z'),
    end: Date.parse('2025-11-11T11:00:00Z'),
    tzid: 'Europe/Zurich',
  },
  {
    // Only the required fields.
    raw: { id: 'bare', title: 'Bare', start: '2025-08-08T08:00:00+00:00' },
    summary: 'Bare',
    start: Date.parse('2025-08-08T08:00:00Z'),
  },
  {
    // A zone the VTIMEZONE library does not know: UTC times, no TZID.
    raw: {
      id: 115,
      title: 'On Mars',
      start: '2025-08-09T10:00:00+02:00',
      end: '2025-08-09T11:00:00+02:00',
      timezone_start: 'Mars/Olympus_Mons',
    },
    summary: 'On Mars',
    start: Date.parse('2025-08-09T08:00:00Z'),
    end: Date.parse('2025-08-09T09:00:00Z'),
  },
];

function decodeAll(): PimEvent[] {
  const decoded = decodeEvents({ result: 'success', data: CASES.map((c) => c.raw) });
  expect(decoded.skipped).toBe(0);
  expect(decoded.items).toHaveLength(CASES.length);
  return decoded.items;
}

function parseCalendar(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

function eventById(cal: ICAL.Component, uid: string): ICAL.Component {
  const found = cal.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === uid);
  if (!found) throw new Error(`no VEVENT ${uid}`);
  return found;
}

function timeOf(vevent: ICAL.Component, name: string): ICAL.Time | null {
  const v = vevent.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? v : null;
}

function isoDate(t: ICAL.Time): string {
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

function checkEvent(vevent: ICAL.Component, c: Case): void {
  expect(vevent.getFirstPropertyValue('summary') ?? undefined).toBe(c.summary);
  expect(vevent.getFirstPropertyValue('description') ?? undefined).toBe(c.description);
  expect(vevent.getFirstPropertyValue('location') ?? undefined).toBe(c.location);

  const start = timeOf(vevent, 'dtstart');
  const end = timeOf(vevent, 'dtend');
  expect(start).not.toBeNull();
  if (typeof c.start === 'string') {
    expect(start!.isDate).toBe(true);
    expect(end!.isDate).toBe(true);
    expect(isoDate(start!)).toBe(c.start);
    expect(isoDate(end!)).toBe(c.end);
    expect(vevent.getFirstProperty('dtstart')!.toICALString()).toMatch(/^DTSTART;VALUE=DATE:\d{8}$/);
  } else {
    expect(start!.isDate).toBe(false);
    expect(start!.toUnixTime() * 1000).toBe(c.start);
    if (c.end === undefined) expect(end).toBeNull();
    else expect(end!.toUnixTime() * 1000).toBe(c.end);
    const tzid = vevent.getFirstProperty('dtstart')!.getParameter('tzid');
    expect(tzid ?? undefined).toBe(c.tzid);
    if (c.tzid === undefined) expect(start!.zone).toBe(ICAL.Timezone.utcTimezone);
  }

  const rrule = vevent.getFirstPropertyValue('rrule');
  if (c.rrule === undefined) expect(rrule).toBeNull();
  else {
    expect(rrule).toBeInstanceOf(ICAL.Recur);
    const r = rrule as ICAL.Recur;
    expect(r.freq).toBe(c.rrule.freq);
    if ('count' in c.rrule) expect(r.count).toBe(c.rrule.count);
    if ('interval' in c.rrule) expect(r.interval).toBe(c.rrule.interval);
    if ('byday' in c.rrule) expect(r.parts.BYDAY).toEqual(c.rrule.byday);
    if ('until' in c.rrule) {
      expect(r.until!.zone).toBe(ICAL.Timezone.utcTimezone);
      expect(r.until!.toUnixTime() * 1000).toBe(c.rrule.until);
    }
    if ('untilDate' in c.rrule) {
      expect(r.until!.isDate).toBe(true);
      expect(isoDate(r.until!)).toBe(c.rrule.untilDate);
    }
  }

  const attendees = vevent.getAllProperties('attendee').map((p) => {
    const a: { address: string; cn?: string; partstat?: string } = {
      address: String(p.getFirstValue()).replace(/^mailto:/i, ''),
    };
    const cn = p.getParameter('cn');
    const partstat = p.getParameter('partstat');
    if (typeof cn === 'string') a.cn = cn;
    if (typeof partstat === 'string') a.partstat = partstat;
    return a;
  });
  expect(attendees).toEqual(c.attendees ?? []);
  const organizer = vevent.getFirstProperty('organizer');
  if (c.organizer === undefined) expect(organizer).toBeNull();
  else {
    expect(String(organizer!.getFirstValue())).toBe(`mailto:${c.organizer.address}`);
    expect(organizer!.getParameter('cn')).toBe(c.organizer.cn);
  }

  const alarms = vevent.getAllSubcomponents('valarm');
  expect(alarms.map((a) => -(a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds() / 60)).toEqual(
    c.alarms ?? [],
  );
  for (const a of alarms) {
    expect(a.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(a.getFirstPropertyValue('description')).toBe(c.summary);
  }
}

describe('eventsToIcs', () => {
  const events = decodeAll();
  const text = eventsToIcs(events, { calendarName: 'Work; Team, 2025', now: NOW });
  const cal = parseCalendar(text);

  it('writes RFC 5545 content lines: CRLF, at most 75 octets, UTF-8 never split', () => {
    expectContentLines(text);
    // The long description is folded many times.
    expect(text.split('\r\n ').length).toBeGreaterThan(5);
  });

  it('parses back with ical.js to the same events', () => {
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    // ical.js reads X- properties verbatim, without TEXT unescaping.
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Work\\; Team\\, 2025');
    expect(cal.getAllSubcomponents('vevent')).toHaveLength(CASES.length);
    for (const c of CASES) {
      checkEvent(eventById(cal, `${String(c.raw.id)}@poweron-sources`), c);
    }
  });

  it('includes one VTIMEZONE for each TZID used, and none for UTC', () => {
    const zones = cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    expect(zones.sort()).toEqual(['America/New_York', 'Europe/Zurich']);
    const used = new Set<string>();
    for (const v of cal.getAllSubcomponents('vevent')) {
      for (const p of v.getAllProperties()) {
        const tzid = p.getParameter('tzid');
        if (typeof tzid === 'string') used.add(tzid);
      }
    }
    expect([...used].sort()).toEqual(['America/New_York', 'Europe/Zurich']);
    // The zone definitions are real: ical.js computes the same offsets as the original strings.
    const zurich = cal
      .getAllSubcomponents('vtimezone')
      .find((z) => z.getFirstPropertyValue('tzid') === 'Europe/Zurich')!;
    expect(zurich.getAllSubcomponents('daylight')).toHaveLength(1);
    expect(zurich.getAllSubcomponents('standard')).toHaveLength(1);
  });

  it('expands the recurrences as written', () => {
    const weekly = new ICAL.Event(eventById(cal, '108@poweron-sources'));
    const it = weekly.iterator();
    const starts: number[] = [];
    for (let next = it.next(); next; next = it.next()) starts.push(next.toUnixTime() * 1000);
    expect(starts).toHaveLength(20);
    expect(starts[0]).toBe(Date.parse('2025-02-03T13:00:00Z'));
    expect(starts[1]).toBe(Date.parse('2025-02-05T13:00:00Z'));
    expect(starts[15]).toBe(Date.parse('2025-03-26T13:00:00Z'));
    // 2025-03-31 is after the switch to summer time (Mar 30): still 14:00 in Zürich, so 12:00Z.
    expect(starts[16]).toBe(Date.parse('2025-03-31T12:00:00Z'));
    expect(starts[19]).toBe(Date.parse('2025-04-09T12:00:00Z'));

    const fortnightly = new ICAL.Event(eventById(cal, '109@poweron-sources')).iterator();
    const nyStarts: number[] = [];
    for (let next = fortnightly.next(); next; next = fortnightly.next()) nyStarts.push(next.toUnixTime() * 1000);
    expect(nyStarts).toHaveLength(9); // Mar 4 … Jun 24, every two weeks.
    // Mar 18 is after the US switch to daylight time: 16:00 local is 20:00Z.
    expect(nyStarts[1]).toBe(Date.parse('2025-03-18T20:00:00Z'));
  });

  it('escapes text on the wire', () => {
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Budget\\, Q3\\; review\\\\draft\r\n');
    expect(unfolded).toContain('DESCRIPTION:Agenda:\\n1. numbers\\, costs\\; risks\\n2. back\\\\slash\\n\\n3. end\r\n');
    expect(unfolded).toContain('X-WR-CALNAME:Work\\; Team\\, 2025\r\n');
    expect(unfolded).toContain('ORGANIZER;CN="Müller, Anna":mailto:anna@example.ch\r\n');
  });

  it('stamps DTSTAMP from options.now, in UTC, without milliseconds', () => {
    for (const v of cal.getAllSubcomponents('vevent')) {
      expect(v.getFirstProperty('dtstamp')!.toICALString()).toBe('DTSTAMP:20250115T123456Z');
    }
  });

  it('leaves out an event whose start cannot be read', () => {
    const broken: PimEvent = { id: 'x', title: 'Broken', start: 'someday', fullday: false };
    const out = parseCalendar(eventsToIcs([broken, events[0]!], { now: NOW }));
    expect(out.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('summary'))).toEqual([
      'Stand-up Zürich',
    ]);
  });

  it('writes an empty but valid calendar for no events', () => {
    const empty = eventsToIcs([], { now: NOW });
    expectContentLines(empty);
    const c = parseCalendar(empty);
    expect(c.getAllSubcomponents('vevent')).toHaveLength(0);
    expect(c.getAllSubcomponents('vtimezone')).toHaveLength(0);
  });
});

describe('eventToIcs', () => {
  it('exports one event with only the VTIMEZONE it needs', () => {
    const [event] = decodeEvents([CASES[2]!.raw]).items;
    const text = eventToIcs(event!, { now: NOW, prodId: '-//Test//EN' });
    expectContentLines(text);
    const cal = parseCalendar(text);
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//Test//EN');
    expect(cal.getFirstProperty('x-wr-calname')).toBeNull();
    expect(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual([
      'America/New_York',
    ]);
    checkEvent(eventById(cal, '103@poweron-sources'), CASES[2]!);
  });

  it('keeps the UID the API gives and is stable across exports', () => {
    const event: PimEvent = {
      id: '9',
      uid: 'abc-123@infomaniak',
      title: 'T',
      start: '2025-01-01T10:00:00Z',
      fullday: false,
    };
    const a = eventToIcs(event, { now: NOW });
    expect(a).toBe(eventToIcs(event, { now: NOW }));
    expect(parseCalendar(a).getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid')).toBe('abc-123@infomaniak');
  });

  it('maps private and free/busy', () => {
    const event: PimEvent = {
      id: '10',
      title: 'Doctor',
      start: '2025-01-01T10:00:00Z',
      fullday: false,
      private: true,
      freebusy: 'free',
    };
    const v = parseCalendar(eventToIcs(event, { now: NOW })).getFirstSubcomponent('vevent')!;
    expect(v.getFirstPropertyValue('class')).toBe('PRIVATE');
    expect(v.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
  });

  it('resolves aliases to the canonical VTIMEZONE (US/Eastern → America/New_York)', () => {
    const event: PimEvent = {
      id: '11',
      title: 'Alias',
      start: '2025-06-01T09:00:00-04:00',
      timezone_start: 'US/Eastern',
      fullday: false,
    };
    const cal = parseCalendar(eventToIcs(event, { now: NOW }));
    const v = cal.getFirstSubcomponent('vevent')!;
    expect(v.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('America/New_York');
    expect((v.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime() * 1000).toBe(
      Date.parse('2025-06-01T13:00:00Z'),
    );
    expect(cal.getAllSubcomponents('vtimezone')).toHaveLength(1);
  });

  it('drops an unreadable rrule instead of writing it broken', () => {
    const event: PimEvent = {
      id: '12',
      title: 'R',
      start: '2025-01-01T10:00:00Z',
      fullday: false,
      rrule: 'FREQ=SOMETIMES',
    };
    const v = parseCalendar(eventToIcs(event, { now: NOW })).getFirstSubcomponent('vevent')!;
    expect(v.getFirstProperty('rrule')).toBeNull();
  });
});
