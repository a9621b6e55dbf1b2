/**
 * Time helpers for PIM events: parsing the API's date strings, IANA zone conversion (via Intl, which
 * Node ships with full ICU data), and the all-day date arithmetic. Internal to sources/pim.
 */

export interface DateOnly {
  year: number;
  month: number;
  day: number;
}

export interface WallTime extends DateOnly {
  hour: number;
  minute: number;
  second: number;
}

/** What one API time string says. */
export type ApiTime =
  | { kind: 'date'; date: DateOnly }
  /** An instant: the string carried an offset (`Z`, `+01:00`, `+0100`). `wall` is as written. */
  | { kind: 'instant'; ms: number; wall: WallTime; offsetMinutes: number }
  /** A wall-clock time without offset (`yyyy-MM-dd HH:mm:ss`): its zone comes from elsewhere. */
  | { kind: 'wall'; wall: WallTime };

const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(d: DateOnly): boolean {
  return d.year >= 1 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

function parseOffset(text: string): number | undefined {
  if (text.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Parses `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm[:ss[.fff]][Z|±hh[:mm]]` (T or space), or the basic forms. */
export function parseApiTime(input: string): ApiTime | undefined {
  const text = input.trim();
  const m = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!m) return undefined;
  const date: DateOnly = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!validDate(date)) return undefined;
  if (m[4] === undefined) return { kind: 'date', date };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  // A leap second (":60") is read as :59.
  const second = Math.min(Number(m[6] ?? '0'), 59);
  if (hour > 23 || minute > 59) return undefined;
  const wall: WallTime = { ...date, hour, minute, second };
  if (m[7] === undefined) return { kind: 'wall', wall };
  const offsetMinutes = parseOffset(m[7]);
  if (offsetMinutes === undefined) return undefined;
  return { kind: 'instant', ms: wallToUtcMs(wall) - offsetMinutes * 60_000, wall, offsetMinutes };
}

export function wallToUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function utcMsToWall(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function addDays(d: DateOnly, days: number): DateOnly {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function compareDates(a: DateOnly, b: DateOnly): number {
  return Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day);
}

const UTC_NAMES = new Set([
  'utc',
  'z',
  'gmt',
  'uct',
  'zulu',
  'universal',
  'greenwich',
  'gmt0',
  'gmt+0',
  'gmt-0',
  'etc/utc',
  'etc/uct',
  'etc/gmt',
  'etc/gmt0',
  'etc/gmt+0',
  'etc/gmt-0',
  'etc/zulu',
  'etc/universal',
  'etc/greenwich',
]);

export function isUtcZone(tz: string): boolean {
  return UTC_NAMES.has(tz.trim().toLowerCase());
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(tz: string): Intl.DateTimeFormat | null {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      f = null;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** True when the runtime's time-zone database knows the IANA name. */
export function isKnownZone(tz: string): boolean {
  return zoneFormatter(tz) !== null;
}

/** The wall-clock time of an instant in an IANA zone (the zone must be known). */
export function wallInZone(ms: number, tz: string): WallTime {
  const f = zoneFormatter(tz);
  if (!f) return utcMsToWall(ms);
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone at an instant, in ms (local − UTC). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallToUtcMs(wallInZone(whole, tz)) - whole;
}

/**
 * The instant of a wall-clock time in a zone. Ambiguous times (autumn overlap) resolve to the first
 * occurrence; times in the spring gap move forward by the gap, as calendar apps do.
 */
export function zonedWallToMs(wall: WallTime, tz: string): number {
  if (isUtcZone(tz) || !isKnownZone(tz)) return wallToUtcMs(wall);
  const asUtc = wallToUtcMs(wall);
  const before = zoneOffsetMs(asUtc - 86_400_000, tz);
  const after = zoneOffsetMs(asUtc + 86_400_000, tz);
  // Try the earlier (larger) offset first so an ambiguous time gets its first occurrence.
  for (const off of before >= after ? [before, after] : [after, before]) {
    const ms = asUtc - off;
    if (zoneOffsetMs(ms, tz) === off) return ms;
  }
  return asUtc - Math.min(before, after);
}
