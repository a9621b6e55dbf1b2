import { describe, expect, it } from 'vitest';
import {
  addressBookFileName,
  calendarFileName,
  contactDisplayName,
  contactFileName,
  contactFirstEmail,
  eventFileName,
  eventRange,
  eventWhen,
  mailboxDisplayName,
  messageFileName,
  messageSender,
} from './format';
import type { PimContact, PimEvent } from './schemas';

function ev(fields: Partial<PimEvent> & { start: string }): PimEvent {
  return { id: '1', title: 'T', fullday: false, ...fields };
}

/** ICU puts narrow no-break spaces before AM/PM; compare with plain spaces. */
function plain(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

describe('eventWhen', () => {
  const timed = ev({ start: '2025-03-10T10:00:00+01:00', end: '2025-03-10T11:30:00+01:00' });
  const twoDays = ev({ start: '2025-03-10T10:00:00+01:00', end: '2025-03-12T09:00:00+01:00' });
  const noEnd = ev({ start: '2025-03-10T10:00:00+01:00' });
  const oneDay = ev({ start: '2025-04-18', end: '2025-04-18', fullday: true });
  const longWeekend = ev({ start: '2025-04-18', end: '2025-04-22', fullday: true });

  it('shows date and time in English', () => {
    expect(plain(eventWhen(timed, 'en', 'Europe/Zurich'))).toBe('Mar 10, 2025, 10:00 AM – 11:30 AM');
    expect(plain(eventWhen(twoDays, 'en', 'Europe/Zurich'))).toBe('Mar 10, 2025, 10:00 AM – Mar 12, 2025, 9:00 AM');
    expect(plain(eventWhen(noEnd, 'en', 'Europe/Zurich'))).toBe('Mar 10, 2025, 10:00 AM');
    expect(eventWhen(oneDay, 'en', 'Europe/Zurich')).toBe('Apr 18, 2025 · All day');
    expect(eventWhen(longWeekend, 'en', 'Europe/Zurich')).toBe('Apr 18, 2025 – Apr 21, 2025 · All day');
  });

  it('shows date and time in German', () => {
    expect(eventWhen(timed, 'de', 'Europe/Zurich')).toBe('10.03.2025, 10:00 – 11:30');
    expect(eventWhen(twoDays, 'de', 'Europe/Zurich')).toBe('10.03.2025, 10:00 – 12.03.2025, 09:00');
    expect(eventWhen(oneDay, 'de', 'Europe/Zurich')).toBe('18.04.2025 · Ganztägig');
    expect(eventWhen(longWeekend, 'de', 'America/Los_Angeles')).toBe('18.04.2025 – 21.04.2025 · Ganztägig');
  });

  it('shows timed events in the given zone', () => {
    expect(eventWhen(timed, 'de', 'America/New_York')).toBe('10.03.2025, 05:00 – 06:30');
  });
});

describe('eventRange', () => {
  it('gives instants for timed events', () => {
    expect(eventRange(ev({ start: '2025-03-10T10:00:00+01:00', end: '2025-03-10T11:30:00+01:00' }))).toEqual({
      start: Date.parse('2025-03-10T09:00:00Z'),
      end: Date.parse('2025-03-10T10:30:00Z'),
      allDay: false,
    });
    const noEnd = eventRange(ev({ start: '2025-03-10T10:00:00Z', end: '2025-03-10T09:00:00Z' }));
    expect(noEnd.end).toBe(noEnd.start);
  });

  it('gives local midnights for all-day events, end exclusive', () => {
    expect(eventRange(ev({ start: '2025-04-18', end: '2025-04-22', fullday: true }))).toEqual({
      start: new Date(2025, 3, 18).getTime(),
      end: new Date(2025, 3, 22).getTime(),
      allDay: true,
    });
    expect(eventRange(ev({ start: '2025-04-18', fullday: true })).end).toBe(new Date(2025, 3, 19).getTime());
  });

  it('gives NaN for a start nobody can read', () => {
    expect(eventRange(ev({ start: 'soon' })).start).toBeNaN();
  });
});

describe('contacts', () => {
  const c = (fields: Partial<PimContact>): PimContact => ({ id: '1', ...fields });

  it('picks a display name: name, given + family, organization, e-mail, phone, "Unnamed"', () => {
    expect(contactDisplayName(c({ name: '  Anna\nMüller ', firstname: 'X' }))).toBe('Anna Müller');
    expect(contactDisplayName(c({ firstname: 'Anna', lastname: 'Müller' }))).toBe('Anna Müller');
    expect(contactDisplayName(c({ lastname: 'Müller' }))).toBe('Müller');
    expect(contactDisplayName(c({ organization: 'ACME', emails: [{ value: 'a@x.ch', types: [] }] }))).toBe('ACME');
    expect(contactDisplayName(c({ emails: [{ value: 'a@x.ch', types: [] }] }))).toBe('a@x.ch');
    expect(contactDisplayName(c({ phones: [{ value: '+41 1', types: [] }] }))).toBe('+41 1');
    expect(contactDisplayName(c({}))).toBe('Unnamed');
  });

  it('gives the first e-mail', () => {
    expect(
      contactFirstEmail(
        c({
          emails: [
            { value: 'a@x.ch', types: [] },
            { value: 'b@x.ch', types: [] },
          ],
        }),
      ),
    ).toBe('a@x.ch');
    expect(contactFirstEmail(c({}))).toBeUndefined();
  });
});

describe('file names', () => {
  it('builds raw export names with fallbacks', () => {
    expect(eventFileName(ev({ start: '2025-01-01', title: 'Team: Q1 / plan' }))).toBe('Team: Q1 / plan.ics');
    expect(eventFileName(ev({ start: '2025-01-01', title: '  ' }))).toBe('Event.ics');
    expect(calendarFileName({ id: '1', name: 'Work' })).toBe('Work.ics');
    expect(calendarFileName({ id: '1', name: '' })).toBe('Calendar.ics');
    expect(contactFileName({ id: '1', firstname: 'Anna', lastname: 'Müller' })).toBe('Anna Müller.vcf');
    expect(contactFileName({ id: '1' })).toBe('Unnamed.vcf');
    expect(addressBookFileName({ id: '1', name: 'Family', default: true })).toBe('Family.vcf');
    expect(addressBookFileName({ id: '1', name: '', default: false })).toBe('Contacts.vcf');
    expect(messageFileName({ uid: '1', subject: 'Re: hello', from: [] })).toBe('Re: hello.eml');
    expect(messageFileName({ uid: '1', subject: '', from: [] })).toBe('Message.eml');
  });

  it('labels mailboxes and senders', () => {
    expect(mailboxDisplayName({ uuid: 'u', email: 'me@ik.me', is_primary: true })).toBe('me@ik.me');
    expect(mailboxDisplayName({ uuid: 'u', is_primary: false })).toBe('u');
    expect(messageSender({ uid: '1', subject: '', from: [{ email: 'a@x.ch', name: 'Anna' }] })).toBe('Anna');
    expect(messageSender({ uid: '1', subject: '', from: [{ email: 'a@x.ch' }] })).toBe('a@x.ch');
    expect(messageSender({ uid: '1', subject: '', from: [] })).toBe('');
  });
});
