import { describe, expect, it } from 'vitest';
import { resolveEventTimes } from './event-times';
import { foldLine, unfold } from './lines';
import type { PimEvent } from './schemas';
import { parseApiTime, wallInZone, zonedWallToMs } from './time';

describe('parseApiTime', () => {
  it('reads dates, instants with offsets, and wall times', () => {
    expect(parseApiTime('2025-03-10')).toEqual({ kind: 'date', date: { year: 2025, month: 3, day: 10 } });
    expect(parseApiTime('2025-03-10T10:00:00+01:00')).toMatchObject({
      kind: 'instant',
      ms: Date.parse('2025-03-10T09:00:00Z'),
      offsetMinutes: 60,
    });
    expect(parseApiTime('2025-03-10T10:00:00+0530')).toMatchObject({ ms: Date.parse('2025-03-10T04:30:00Z') });
    expect(parseApiTime('2025-03-10T10:00Z')).toMatchObject({ ms: Date.parse('2025-03-10T10:00:00Z') });
    expect(parseApiTime('2025-03-10T10:00:00.123-05:00')).toMatchObject({ ms: Date.parse('2025-03-10T15:00:00Z') });
    expect(parseApiTime('20250310T100000Z')).toMatchObject({ ms: Date.parse('2025-03-10T10:00:00Z') });
    expect(parseApiTime('2025-03-10 10:00:00')).toEqual({
      kind: 'wall',
      wall: { year: 2025, month: 3, day: 10, hour: 10, minute: 0, second: 0 },
    });
  });

  it('rejects impossible values', () => {
    for (const bad of [
      '2025-02-29',
      '2025-13-01',
      '2025-03-10T24:00:00Z',
      '2025-03-10T10:61:00Z',
      'tomorrow',
      '',
      '2025-03-10T10:00:00+25:00',
    ]) {
      expect(parseApiTime(bad), bad).toBeUndefined();
    }
  });
});

describe('zonedWallToMs', () => {
  const wall = (day: number, month: number, hour: number, minute = 0) => ({
    year: 2025,
    month,
    day,
    hour,
    minute,
    second: 0,
  });

  it('converts ordinary wall times', () => {
    expect(zonedWallToMs(wall(10, 3, 10), 'Europe/Zurich')).toBe(Date.parse('2025-03-10T09:00:00Z'));
    expect(zonedWallToMs(wall(1, 7, 10), 'Europe/Zurich')).toBe(Date.parse('2025-07-01T08:00:00Z'));
    expect(zonedWallToMs(wall(1, 7, 10), 'America/New_York')).toBe(Date.parse('2025-07-01T14:00:00Z'));
  });

  it('moves a time in the spring gap forward and takes the first of an autumn repeat', () => {
    // 2025-03-30 02:30 does not exist in Zürich: 03:30 CEST.
    expect(zonedWallToMs(wall(30, 3, 2, 30), 'Europe/Zurich')).toBe(Date.parse('2025-03-30T01:30:00Z'));
    // 2025-10-26 02:30 happens twice: the first (CEST) one.
    expect(zonedWallToMs(wall(26, 10, 2, 30), 'Europe/Zurich')).toBe(Date.parse('2025-10-26T00:30:00Z'));
    // The evening of a switch day uses the new offset.
    expect(zonedWallToMs(wall(26, 10, 23), 'Europe/Zurich')).toBe(Date.parse('2025-10-26T22:00:00Z'));
    expect(zonedWallToMs(wall(30, 3, 23), 'Europe/Zurich')).toBe(Date.parse('2025-03-30T21:00:00Z'));
  });

  it('reads an unknown zone as UTC', () => {
    expect(zonedWallToMs(wall(10, 3, 10), 'Nowhere/Land')).toBe(Date.parse('2025-03-10T10:00:00Z'));
  });

  it('round-trips with wallInZone', () => {
    const ms = Date.parse('2025-11-02T05:30:00Z');
    expect(wallInZone(ms, 'America/New_York')).toEqual({
      year: 2025,
      month: 11,
      day: 2,
      hour: 1,
      minute: 30,
      second: 0,
    });
  });
});

describe('resolveEventTimes', () => {
  const ev = (fields: Partial<PimEvent> & { start: string }): PimEvent => ({
    id: '1',
    title: 'T',
    fullday: false,
    ...fields,
  });

  it('makes all-day ends exclusive [guess rules]', () => {
    const dates = (e: PimEvent) => {
      const t = resolveEventTimes(e);
      if (!t?.allDay) throw new Error('not all-day');
      return [t.startDate.day, t.endDate.day];
    };
    expect(dates(ev({ fullday: true, start: '2025-04-18', end: '2025-04-18' }))).toEqual([18, 19]); // same day
    expect(dates(ev({ fullday: true, start: '2025-04-18', end: '2025-04-17' }))).toEqual([18, 19]); // before
    expect(dates(ev({ fullday: true, start: '2025-04-18', end: '2025-04-20' }))).toEqual([18, 20]); // exclusive
    expect(dates(ev({ fullday: true, start: '2025-04-18' }))).toEqual([18, 19]); // none
    // An end with a time of day is inclusive.
    expect(dates(ev({ fullday: true, start: '2025-04-18T00:00:00+02:00', end: '2025-04-19T23:59:59+02:00' }))).toEqual([
      18, 20,
    ]);
    // A midnight end is exclusive.
    expect(dates(ev({ fullday: true, start: '2025-04-18T00:00:00+02:00', end: '2025-04-20T00:00:00+02:00' }))).toEqual([
      18, 20,
    ]);
    // Normalized to UTC by the server: moved back into the event's zone.
    expect(
      dates(
        ev({
          fullday: true,
          start: '2025-04-17T22:00:00Z',
          end: '2025-04-18T22:00:00Z',
          timezone_start: 'Europe/Zurich',
        }),
      ),
    ).toEqual([18, 19]);
  });

  it('treats a missing or earlier end of a timed event as no end', () => {
    expect(resolveEventTimes(ev({ start: '2025-03-10T10:00:00Z', end: '2025-03-10T09:00:00Z' }))).toMatchObject({
      hasEnd: false,
    });
    expect(resolveEventTimes(ev({ start: '2025-03-10T10:00:00Z' }))).toMatchObject({ hasEnd: false });
  });

  it('reads wall times in their own zones', () => {
    expect(
      resolveEventTimes(
        ev({
          start: '2025-03-10 10:00:00',
          end: '2025-03-10 18:00:00',
          timezone_start: 'Europe/Zurich',
          timezone_end: 'America/New_York',
        }),
      ),
    ).toMatchObject({
      startMs: Date.parse('2025-03-10T09:00:00Z'),
      endMs: Date.parse('2025-03-10T22:00:00Z'),
      startZone: 'Europe/Zurich',
      endZone: 'America/New_York',
    });
    expect(resolveEventTimes(ev({ start: '2025-03-10 10:00:00', timezone_start: 'Etc/UTC' }))).toMatchObject({
      startMs: Date.parse('2025-03-10T10:00:00Z'),
      startZone: 'UTC',
    });
  });
});

describe('foldLine', () => {
  const octets = (s: string) => new TextEncoder().encode(s).length;

  it('folds at 75 octets counting the leading space, and unfolds back', () => {
    for (const text of [
      'x'.repeat(300),
      'ä'.repeat(200),
      '😀'.repeat(100),
      'a' + '😀'.repeat(100),
      'ab' + '€'.repeat(100),
    ]) {
      const folded = foldLine(`DESCRIPTION:${text}`);
      const lines = folded.split('\r\n');
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(75);
      for (const l of lines.slice(1)) expect(l.startsWith(' ')).toBe(true);
      expect(unfold(folded)).toBe(`DESCRIPTION:${text}`);
    }
    expect(octets(foldLine('x'.repeat(300)).split('\r\n')[0]!)).toBe(75);
  });

  it('leaves short lines alone', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
  });
});
