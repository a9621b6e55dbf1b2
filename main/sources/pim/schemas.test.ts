import { describe, expect, it } from 'vitest';
import {
  decodeAddressBooks,
  decodeCalendars,
  decodeContacts,
  decodeEvent,
  decodeEvents,
  decodeList,
  decodeMailboxes,
  decodeMailFolders,
  decodeMailMessages,
  decodeMailThreads,
  durationToMinutes,
  PimCalendarSchema,
} from './schemas';

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

describe('decodeAddressBooks', () => {
  it('reads data.addressbooks [seen] and data[]; default as 0/1', () => {
    const ab = [
      { id: 1, uuid: 'u-1', name: 'Personal', default: 1, account_name: 'kSuite' },
      { id: 2, name: 'Team', default: false },
      { uuid: 'no-id' },
    ];
    const a = decodeAddressBooks({ result: 'success', data: { addressbooks: ab } });
    const b = decodeAddressBooks({ result: 'success', data: ab });
    expect(a).toEqual(b);
    expect(a.items).toEqual([
      { id: '1', uuid: 'u-1', name: 'Personal', default: true, account_name: 'kSuite' },
      { id: '2', name: 'Team', default: false },
    ]);
    expect(a.skipped).toBe(1);
  });
});

describe('decodeContacts', () => {
  it('reads e-mails and phones as strings or as objects', () => {
    const d = decodeContacts({
      result: 'success',
      data: [
        { id: 1, name: 'A', emails: ['a@x.ch', 'b@x.ch'], phones: ['+41 1'] },
        {
          id: 2,
          name: 'B',
          emails: [
            { value: 'c@x.ch', type: 'work' },
            { email: 'd@x.ch', label: 'Home' },
            { address: 'e@x.ch', types: ['pref', 'work'] },
            { nothing: 1 },
          ],
          phones: [{ number: '+41 2', type: 'mobile' }, { value: '+41 3' }, { phone: '+41 4', label: 'Work, Fax' }],
        },
      ],
    });
    expect(d.skipped).toBe(0);
    expect(d.items[0]!.emails).toEqual([
      { value: 'a@x.ch', types: [] },
      { value: 'b@x.ch', types: [] },
    ]);
    expect(d.items[0]!.phones).toEqual([{ value: '+41 1', types: [] }]);
    expect(d.items[1]!.emails).toEqual([
      { value: 'c@x.ch', types: ['work'] },
      { value: 'd@x.ch', types: ['home'] },
      { value: 'e@x.ch', types: ['pref', 'work'] },
    ]);
    expect(d.items[1]!.phones).toEqual([
      { value: '+41 2', types: ['mobile'] },
      { value: '+41 3', types: [] },
      { value: '+41 4', types: ['work', 'fax'] },
    ]);
  });

  it('reads addresses as objects (zip or postal_code) or strings', () => {
    const [c] = decodeContacts([
      {
        id: 1,
        addresses: [
          { street: 'Rue 1', city: 'Genève', zip: '1200', country: 'CH', type: 'home' },
          { street: ['Line 1', 'Line 2'], locality: 'Bern', postal_code: '3000', state: 'BE' },
          'Somewhere 5, 8000 Zürich',
          {},
        ],
      },
    ]).items;
    expect(c!.addresses).toEqual([
      { street: 'Rue 1', locality: 'Genève', postal_code: '1200', country: 'CH', types: ['home'] },
      { street: 'Line 1\nLine 2', locality: 'Bern', postal_code: '3000', region: 'BE', types: [] },
      { street: 'Somewhere 5, 8000 Zürich', types: [] },
    ]);
  });

  it('keeps only embedded photos', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const d = decodeContacts([
      { id: 1, photo: `data:image/png;base64,${png}` },
      { id: 2, photo: png },
      { id: 3, photo: 'https://example.com/a.jpg' },
      { id: 4, photo: 'not base64 at all!' },
      { id: 5, avatar: { data: '/9j/4AAQSkZJRgABAQ==', mime: 'image/jpeg' } },
      { id: 6, photo: 'data:image/svg+xml,<svg/>' },
    ]);
    expect(d.skipped).toBe(0);
    expect(d.items.map((c) => c.photo)).toEqual([
      { mime: 'image/png', base64: png },
      { mime: 'image/png', base64: png },
      undefined,
      undefined,
      { mime: 'image/jpeg', base64: '/9j/4AAQSkZJRgABAQ==' },
      undefined,
    ]);
  });

  it('normalizes names, organization, birthday and ids; skips a record without id', () => {
    const d = decodeContacts({
      data: {
        contacts: [
          {
            id: 9,
            first_name: 'Jo',
            last_name: 'Do',
            company: { name: 'ACME' },
            birthday: '1990-05-06T00:00:00+02:00',
            addressbook_id: 3,
            uuid: 'abc',
          },
          { id: 10, birthday: '06.05.1990' },
          { id: 11, birthday: '--05-06' },
          { id: 12, birthday: 'someday' },
          { name: 'no id' },
        ],
      },
    });
    expect(d.skipped).toBe(1);
    expect(d.items[0]).toMatchObject({
      id: '9',
      uid: 'abc',
      addressbook_id: '3',
      firstname: 'Jo',
      lastname: 'Do',
      organization: 'ACME',
      birthday: '1990-05-06',
    });
    expect(d.items.slice(1).map((c) => c.birthday)).toEqual(['1990-05-06', '--05-06', undefined]);
  });
});

describe('mail decoders', () => {
  it('reads mailboxes', () => {
    const d = decodeMailboxes({
      result: 'success',
      data: [
        { uuid: 'u1', email: 'me@ik.me', mailbox: 'me', is_primary: true, mailbox_id: 12, unseen_messages: '3' },
        { email: 'no-uuid@ik.me' },
      ],
    });
    expect(d.items).toEqual([
      { uuid: 'u1', email: 'me@ik.me', mailbox: 'me', is_primary: true, mailbox_id: '12', unseen_messages: 3 },
    ]);
    expect(d.skipped).toBe(1);
  });

  it('reads folders recursively, dropping a bad child', () => {
    const d = decodeMailFolders({
      result: 'success',
      data: [
        {
          id: 'INBOX',
          name: 'Inbox',
          role: 'INBOX',
          unread_count: 2,
          total_count: 10,
          children: [{ id: 'INBOX/Work', name: 'Work', children: [{ id: 7, name: 'Deep' }] }, { name: 'bad' }],
        },
        { id: 'Sent', name: 'Sent', role: 'SENT' },
      ],
    });
    expect(d.skipped).toBe(0);
    expect(d.items[0]).toEqual({
      id: 'INBOX',
      name: 'Inbox',
      role: 'inbox',
      unread_count: 2,
      total_count: 10,
      children: [{ id: 'INBOX/Work', name: 'Work', children: [{ id: '7', name: 'Deep', children: [] }] }],
    });
    expect(d.items[1]!.children).toEqual([]);
    expect(decodeMailFolders({ data: { folders: [{ id: 1, name: 'A' }] } }).items).toHaveLength(1);
  });

  it('reads threads with messages, and messages given as threads', () => {
    const raw = {
      result: 'success',
      data: {
        count: 42,
        threads: [
          {
            uid: 't1',
            messages: [
              {
                uid: 'm1',
                subject: 'Hi',
                from: [{ email: 'a@x.ch', name: 'A' }],
                date: '2025-03-10T10:00:00+01:00',
                resource: '/api/mail/u/folder/f/message/m1',
                seen: 1,
              },
              { uid: 'm2', subject: 'Re: Hi', from: { email: 'b@x.ch' }, date: 1741600800 },
            ],
          },
          { id: 'm3', subject: 'Solo', from: 'Carla <c@x.it>', date: '2025-03-11T08:00:00Z' },
          { messages: [] },
          { subject: 'no id' },
        ],
      },
    };
    const threads = decodeMailThreads(raw);
    expect(threads.total).toBe(42);
    expect(threads.skipped).toBe(2);
    expect(threads.items.map((t) => [t.id, t.subject, t.messages.length])).toEqual([
      ['t1', 'Hi', 2],
      ['m3', 'Solo', 1],
    ]);
    expect(threads.items[0]!.date).toBe(Date.parse('2025-03-10T10:00:00Z'));

    const messages = decodeMailMessages(raw);
    expect(messages.items.map((m) => m.uid)).toEqual(['m1', 'm2', 'm3']);
    expect(messages.items[0]).toEqual({
      uid: 'm1',
      subject: 'Hi',
      from: [{ email: 'a@x.ch', name: 'A' }],
      date: Date.parse('2025-03-10T09:00:00Z'),
      resource: '/api/mail/u/folder/f/message/m1',
      seen: true,
    });
    expect(messages.items[1]!.date).toBe(1741600800 * 1000);
    expect(messages.items[2]!.from).toEqual([{ email: 'c@x.it', name: 'Carla' }]);
    expect(messages.total).toBe(42);
  });
});

describe('decodeList', () => {
  it('returns nothing for a non-array and never throws', () => {
    expect(decodeList(PimCalendarSchema, { id: 1 })).toEqual({ items: [], skipped: 0 });
    expect(decodeList(PimCalendarSchema, [undefined, { id: Number.NaN }, { id: 'ok' }])).toEqual({
      items: [{ id: 'ok', name: '' }],
      skipped: 2,
      rejected: [undefined, { id: Number.NaN }],
    });
  });
});
