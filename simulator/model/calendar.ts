/**
 * Calendars and events (PIM). Event fields follow the doc [seen]; `location` [guess]. Timed events
 * carry ISO 8601 with offset and their IANA zones; all-day events carry "yyyy-MM-dd" dates, the end
 * being exclusive [guess]. Relative start times ("+3d 09:30") are days from the simulator's now.
 */
import { addDays, isoInZone, parseDuration, unixSeconds, wallTimeIn, wallTimeToInstant, ymd } from '../core/time';
import type { WallTime } from '../core/time';
import type { CalendarScenario, EventScenario } from '../scenario/schema';

export interface UserInfo {
  id: number;
  display_name: string;
  email: string;
  account_id?: number | undefined;
}

interface EventModel {
  id: number;
  calendarId: number;
  startMs: number;
  /** End of the last occurrence (Infinity for open series). */
  seriesEndMs: number;
  json: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** "+3d", "-21d mon", "+2d 09:30", "-14d mon 08:00": days from now, optionally moved on to a weekday. */
const RELATIVE = /^([+-]\d+)d(?:\s+(mon|tue|wed|thu|fri|sat|sun))?(?:\s+(\d{1,2}):(\d{2}))?$/i;

/** Resolves an event time spec to a wall time in `tz` (date-only specs give midnight). */
function wallTimeOf(spec: string, tz: string, nowMs: number): { wall: WallTime; dateOnly: boolean; instant?: number } {
  const rel = RELATIVE.exec(spec);
  if (rel) {
    const today = wallTimeIn(nowMs, tz);
    let day = addDays(today, Number(rel[1]));
    if (rel[2]) {
      // Move forward to the named weekday, so weekly rules start on a matching day.
      const want = WEEKDAYS.indexOf(rel[2].toLowerCase());
      const have = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
      day = addDays(day, (want - have + 7) % 7);
    }
    const dateOnly = rel[3] === undefined;
    return { wall: { ...day, hour: Number(rel[3] ?? 0), minute: Number(rel[4] ?? 0), second: 0 }, dateOnly };
  }
  const abs = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(spec);
  if (!abs) throw new Error(`bad event time ${spec}`);
  const wall: WallTime = {
    year: Number(abs[1]),
    month: Number(abs[2]),
    day: Number(abs[3]),
    hour: Number(abs[4] ?? 0),
    minute: Number(abs[5] ?? 0),
    second: Number(abs[6] ?? 0),
  };
  if (abs[7]) {
    const instant = Date.parse(spec.replace(' ', 'T'));
    return { wall: wallTimeIn(instant, tz), dateOnly: false, instant };
  }
  return { wall, dateOnly: abs[4] === undefined };
}

/** The end of a recurring series from its RRULE (UNTIL or COUNT); an upper bound is fine here. */
function seriesEnd(rrule: string | undefined, startMs: number, durationMs: number): number {
  if (!rrule) return startMs + durationMs;
  const parts = new Map(
    rrule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((p) => p.split('=') as [string, string]),
  );
  const until = parts.get('UNTIL');
  if (until) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(until);
    if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 23), +(m[5] ?? 59), +(m[6] ?? 59)) + durationMs;
  }
  const count = Number(parts.get('COUNT') ?? NaN);
  if (Number.isFinite(count)) {
    const interval = Number(parts.get('INTERVAL') ?? 1);
    const step = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 }[parts.get('FREQ') ?? 'DAILY'] ?? 1;
    return startMs + count * interval * step * DAY_MS + durationMs;
  }
  return Infinity;
}

export class CalendarModel {
  private readonly calendars: Array<{ id: number; json: Record<string, unknown> }> = [];
  private readonly events = new Map<number, EventModel>();
  /** Records served as written, per calendar (scenario `raw_events`). */
  private readonly raw = new Map<number, Record<string, unknown>[]>();

  constructor(
    specs: CalendarScenario[],
    private readonly user: UserInfo | undefined,
    defaultTz: string,
    nowMs: number,
  ) {
    let nextCal = 1;
    let nextEvent = 1001;
    const usedEvents = new Set(specs.flatMap((c) => c.events.map((e) => e.id).filter((id) => id !== undefined)));
    for (const c of specs) {
      const id = c.id ?? nextCal++;
      this.raw.set(id, c.raw_events);
      // [guess] calendar fields beyond id and name; account_id/user_id only when the scenario has a user.
      this.calendars.push({
        id,
        json: {
          id,
          name: c.name,
          color: c.color,
          description: c.description,
          is_default: c.is_default,
          type: 'personal',
          ...(user ? { user_id: user.id, account_id: user.account_id ?? null, owner: user.display_name } : {}),
        },
      });
      for (const e of c.events) {
        let eid = e.id;
        if (eid === undefined) {
          while (usedEvents.has(nextEvent)) nextEvent++;
          eid = nextEvent++;
        }
        this.events.set(eid, this.buildEvent(eid, id, e, defaultTz, nowMs));
      }
    }
  }

  private buildEvent(id: number, calendarId: number, e: EventScenario, defaultTz: string, nowMs: number): EventModel {
    const tz = e.timezone ?? defaultTz;
    const tzEnd = e.timezone_end ?? tz;
    const start = wallTimeOf(e.start, tz, nowMs);
    let startMs: number;
    let endMs: number;
    let startField: string;
    let endField: string;
    if (e.all_day) {
      const startDate = start.wall;
      const endDate = e.end
        ? wallTimeOf(e.end, tz, nowMs).wall
        : addDays(startDate, Math.max(1, Math.round((parseDuration(e.duration ?? '1d') ?? DAY_MS) / DAY_MS)));
      startMs = wallTimeToInstant({ ...startDate, hour: 0, minute: 0, second: 0 }, tz);
      endMs = wallTimeToInstant({ ...endDate, hour: 0, minute: 0, second: 0 }, tz);
      startField = ymd(startDate);
      endField = ymd(endDate);
    } else {
      startMs = start.instant ?? wallTimeToInstant(start.wall, tz);
      if (e.end) {
        const end = wallTimeOf(e.end, tzEnd, nowMs);
        endMs = end.instant ?? wallTimeToInstant(end.wall, tzEnd);
      } else {
        endMs = startMs + (parseDuration(e.duration ?? '1h') ?? 3_600_000);
      }
      startField = isoInZone(startMs, tz);
      endField = isoInZone(endMs, tzEnd);
    }
    const json: Record<string, unknown> = {
      id,
      calendar_id: calendarId,
      type: 'event',
      title: e.title,
      description: e.description,
      location: e.location,
      start: startField,
      end: endField,
      timezone_start: tz,
      timezone_end: tzEnd,
      fullday: e.all_day,
      freebusy: e.freebusy,
      private: e.private,
      rrule: e.rrule ?? null, // [guess] null when the event does not repeat
      attendees: e.attendees.map((a) => ({ address: a.address, name: a.name, organizer: a.organizer, state: a.state })),
      alarms: e.alarms, // [guess] {trigger: "-PT15M", action: "DISPLAY"}
      attachments: e.attachments,
      created_at: unixSeconds(startMs) - 14 * 86_400,
      updated_at: unixSeconds(startMs) - 7 * 86_400,
    };
    return { id, calendarId, startMs, seriesEndMs: seriesEnd(e.rrule, startMs, endMs - startMs), json };
  }

  list(): { calendars: Record<string, unknown>[]; user?: UserInfo } {
    return { calendars: this.calendars.map((c) => c.json), ...(this.user ? { user: this.user } : {}) };
  }

  hasCalendar(id: number): boolean {
    return this.calendars.some((c) => c.id === id);
  }

  /** Events of a calendar overlapping [from, to); a recurring event is listed once, as its master [guess]. */
  between(calendarId: number, fromMs: number, toMs: number): Record<string, unknown>[] {
    return [...this.events.values()]
      .filter((e) => e.calendarId === calendarId && e.startMs < toMs && e.seriesEndMs > fromMs)
      .sort((a, b) => a.startMs - b.startMs || a.id - b.id)
      .map((e) => e.json)
      .concat(this.raw.get(calendarId) ?? []);
  }

  event(id: number): Record<string, unknown> | null {
    const raw = [...this.raw.values()].flat().find((r) => r.id === id);
    return this.events.get(id)?.json ?? raw ?? null;
  }
}
