/**
 * Reads an event's start/end into either instants (timed) or calendar dates (all-day), applying the
 * [guess] rules for the API's time strings in one place, so the .ics export and the tree rows agree.
 *
 * Timed events:
 * - a string with an offset (`…+01:00`, `…Z`) is that instant;
 * - a string without one (`yyyy-MM-dd HH:mm:ss`) is wall time in `timezone_start` (`timezone_end`
 *   for the end); without a usable zone it is read as UTC [guess];
 * - a missing, unreadable or earlier end means "no end" (zero duration).
 *
 * All-day events (`fullday`, or a date-only start):
 * - the date is the one written in the string; an instant at offset zero with a non-UTC
 *   `timezone_start` is first moved into that zone [guess: the server may normalize to UTC];
 * - the end is exclusive (RFC 5545): a date-only or midnight end after the start is kept as is;
 *   an end with a time of day (e.g. `23:59:59`) is inclusive and becomes the next day; an end on or
 *   before the start (the API may repeat the start for a one-day event) becomes start + 1 day [guess].
 */
import type { PimEvent } from './schemas';
import {
  addDays,
  compareDates,
  isKnownZone,
  isUtcZone,
  parseApiTime,
  wallInZone,
  zonedWallToMs,
  type ApiTime,
  type DateOnly,
  type WallTime,
} from './time';

export interface TimedEventTimes {
  allDay: false;
  startMs: number;
  /** Equal to startMs when the event has no (usable) end. */
  endMs: number;
  hasEnd: boolean;
  /** A zone the runtime knows (`UTC` for UTC), or undefined when the API gave none or an unknown one. */
  startZone?: string;
  endZone?: string;
}

export interface AllDayEventTimes {
  allDay: true;
  startDate: DateOnly;
  /** Exclusive: the day after the last day. */
  endDate: DateOnly;
}

export type EventTimes = TimedEventTimes | AllDayEventTimes;

/** A usable zone name: `UTC` for the UTC aliases, the name when Intl knows it, else undefined. */
export function usableZone(tz: string | undefined): string | undefined {
  if (tz === undefined || tz.trim() === '') return undefined;
  if (isUtcZone(tz)) return 'UTC';
  return isKnownZone(tz.trim()) ? tz.trim() : undefined;
}

function instantOf(t: ApiTime, zone: string | undefined): number {
  switch (t.kind) {
    case 'instant':
      return t.ms;
    case 'wall':
      return zonedWallToMs(t.wall, zone ?? 'UTC');
    case 'date':
      return zonedWallToMs({ ...t.date, hour: 0, minute: 0, second: 0 }, zone ?? 'UTC');
  }
}

function localOf(t: ApiTime, zone: string | undefined): WallTime {
  switch (t.kind) {
    case 'date':
      return { ...t.date, hour: 0, minute: 0, second: 0 };
    case 'wall':
      return t.wall;
    case 'instant':
      return t.offsetMinutes === 0 && zone !== undefined && zone !== 'UTC' ? wallInZone(t.ms, zone) : t.wall;
  }
}

function dateOf(w: WallTime): DateOnly {
  return { year: w.year, month: w.month, day: w.day };
}

export function resolveEventTimes(event: PimEvent): EventTimes | undefined {
  const start = parseApiTime(event.start);
  if (start === undefined) return undefined;
  const end = event.end !== undefined ? parseApiTime(event.end) : undefined;
  const startZone = usableZone(event.timezone_start);
  const endZone = usableZone(event.timezone_end) ?? startZone;

  if (event.fullday || start.kind === 'date') {
    const startDate = dateOf(localOf(start, startZone));
    let endDate = addDays(startDate, 1);
    if (end !== undefined) {
      const endLocal = localOf(end, endZone);
      let candidate = dateOf(endLocal);
      if (endLocal.hour !== 0 || endLocal.minute !== 0 || endLocal.second !== 0) candidate = addDays(candidate, 1);
      if (compareDates(candidate, startDate) > 0) endDate = candidate;
    }
    return { allDay: true, startDate, endDate };
  }

  const startMs = instantOf(start, startZone);
  const endCandidate = end !== undefined ? instantOf(end, endZone) : undefined;
  const hasEnd = endCandidate !== undefined && endCandidate > startMs;
  const times: TimedEventTimes = { allDay: false, startMs, endMs: hasEnd ? endCandidate : startMs, hasEnd };
  if (startZone !== undefined) times.startZone = startZone;
  if (endZone !== undefined) times.endZone = endZone;
  return times;
}
