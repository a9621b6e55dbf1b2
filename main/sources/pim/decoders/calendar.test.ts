import { describe, expect, it } from 'vitest';
import { decodeCalendars, decodeEvent, decodeEvents, durationToMinutes } from './calendar';

describe('decodeCalendars', () => {
  it('reads data.calendars [seen] and data as an array alike', () => {
    const cal = { id: 1, name: 'Work', color: '#ff0000', extra: { nested: true } };
    const a = decodeCalendars({ result: 'success', data: { calendars: [cal], user: 'x' } });
    const b = decodeCalendars({ result: 'success', data: [cal] });
    const c = decodeCalendars([cal]);
    for (const d of [a, b, c]) {
      expect(d).toEqual({ items: [{ id: '1', name: 'Work', color: '#ff0000' }], skipped: 0 });
    }
  });

  it('skips and counts a bad record, keeps the rest', () => {
    const d = decodeCalendars({
      data: { calendars: [{ id: 1, name: 'A' }, { name: 'no id' }, null, 'x', { id: '2', title: 'B', is_default: 1 }] },
    });
    expect(d.items).toEqual([
      { id: '1', name: 'A' },
      { id: '2', name: 'B', default: true },
    ]);
    expect(d.skipped).toBe(3);
  });

  it('flags a payload without a list', () => {
    expect(decodeCalendars({ result: 'success', data: { something: 1 } })).toEqual({
      items: [],
      skipped: 0,
      unrecognized: true,
    });
    expect(decodeCalendars('nope').unrecognized).toBe(true);
  });
});

describe('decodeEvents', () => {
  const base = { calendar_id: 7, title: 'T', start: '2025-03-10T10:00:00+01:00', end: '2025-03-10T11:00:00+01:00' };

  it('reads data[] and data.events[]; fullday as boolean, 0/1 or string', () => {
    const raw = [
      { ...base, id: 1, fullday: true },
      { ...base, id: 2, fullday: 1 },
      { ...base, id: 3, fullday: '0' },
      { ...base, id: 4, fullday: false },
      { ...base, id: 5 },
      { ...base, id: 6, start: '2025-03-10', end: '2025-03-11' },
    ];
    const a = decodeEvents({ result: 'success', data: raw });
    const b = decodeEvents({ result: 'success', data: { events: raw } });
    expect(a).toEqual(b);
    expect(a.skipped).toBe(0);
    expect(a.items.map((e) => [e.id, e.fullday])).toEqual([
      ['1', true],
      ['2', true],
      ['3', false],
      ['4', false],
      ['5', false],
      ['6', true], // a date-only start is all-day whatever the flag says
    ]);
    expect(a.items[0]!.calendar_id).toBe('7');
  });

  it('skips events without id or with an unreadable start, and counts them', () => {
    const d = decodeEvents([
      { ...base, id: 1 },
      { ...base, id: 2, start: 'tomorrow' },
      { ...base, id: 3, start: undefined },
      { ...base, id: undefined },
      { ...base, id: 5, start: '2025-02-30' },
    ]);
    expect(d.items.map((e) => e.id)).toEqual(['1']);
    expect(d.skipped).toBe(4);
  });

  it('accepts the start/end forms: offset, Z, space-separated wall time, unix seconds', () => {
    const d = decodeEvents([
      { id: 1, title: 'a', start: '2025-03-10 10:00:00', end: 'garbage' },
      { id: 2, title: 'b', start: 1741600800 },
      { id: 3, title: 'c', start: '2025-03-10T10:00:00.000Z' },
    ]);
    expect(d.skipped).toBe(0);
    expect(d.items[0]).toMatchObject({ start: '2025-03-10 10:00:00' });
    expect(d.items[0]!.end).toBeUndefined();
    expect(d.items[1]!.start).toBe('2025-03-10T10:00:00.000Z');
  });

  it('normalizes rrule, attendees, alarms and location', () => {
    const [e] = decodeEvents([
      {
        id: 1,
        title: 'R',
        start: '2025-03-10T10:00:00Z',
        rrule: 'DTSTART:20250310T100000Z\nRRULE:FREQ=DAILY;COUNT=3',
        attendees: [
          { address: 'MAILTO:a@x.ch', name: 'A', organizer: 1, state: 'ACCEPTED' },
          'b@x.ch',
          { name: 'no address' },
          42,
        ],
        alarms: [
          15,
          '30',
          '-PT1H',
          { minutes: 10 },
          { trigger: '-P1D', action: 'EMAIL' },
          { value: 2, unit: 'hours' },
          { trigger: 'PT5M' },
          { duration: 'PT20M', description: 'Go' },
          { unit: 'fortnights', value: 1 },
          'soon',
          null,
        ],
        location: { name: 'HQ', address: 'Rue 1, Genève' },
        private: 1,
        freebusy: 'busy',
      },
    ]).items;
    expect(e!.rrule).toBe('FREQ=DAILY;COUNT=3');
    expect(e!.attendees).toEqual([
      { address: 'a@x.ch', name: 'A', organizer: true, state: 'ACCEPTED' },
      { address: 'b@x.ch', organizer: false },
    ]);
    expect(e!.alarms).toEqual([
      { minutesBefore: 15 },
      { minutesBefore: 30 },
      { minutesBefore: 60 },
      { minutesBefore: 10 },
      { minutesBefore: 1440, action: 'EMAIL' },
      { minutesBefore: 120 },
      { minutesBefore: -5 },
      { minutesBefore: 20, description: 'Go' },
    ]);
    expect(e!.location).toBe('HQ, Rue 1, Genève');
    expect(e!.private).toBe(true);
    expect(e!.freebusy).toBe('busy');
  });

  it('strips RRULE: with or without parameters, drops a rule without FREQ', () => {
    const d = decodeEvents([
      { id: 1, start: '2025-01-01', rrule: 'RRULE:FREQ=WEEKLY;UNTIL=20250601' },
      { id: 2, start: '2025-01-01', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' },
      { id: 3, start: '2025-01-01', rrule: '' },
      { id: 4, start: '2025-01-01', rrule: 'nonsense' },
      { id: 5, start: '2025-01-01', rrule: null },
    ]);
    expect(d.items.map((e) => e.rrule)).toEqual([
      'FREQ=WEEKLY;UNTIL=20250601',
      'FREQ=MONTHLY;BYMONTHDAY=1',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('decodes one event from `data` or `data.event`', () => {
    expect(decodeEvent({ result: 'success', data: { id: 5, title: 'x', start: '2025-01-01' } })?.id).toBe('5');
    expect(decodeEvent({ result: 'success', data: { event: { id: 6, title: 'y', start: '2025-01-01' } } })?.id).toBe(
      '6',
    );
    expect(decodeEvent({ result: 'success', data: { id: 7 } })).toBeUndefined();
  });
});

describe('durationToMinutes', () => {
  it('reads RFC 5545 durations with their sign', () => {
    expect(durationToMinutes('-PT15M')).toBe(-15);
    expect(durationToMinutes('PT1H30M')).toBe(90);
    expect(durationToMinutes('-P1DT2H')).toBe(-1560);
    expect(durationToMinutes('P1W')).toBe(10080);
    expect(durationToMinutes('PT30S')).toBe(0.5);
    expect(durationToMinutes('P')).toBeUndefined();
    expect(durationToMinutes('15 minutes')).toBeUndefined();
  });
});
