/**
 * Time helpers: a clock that can start at a fixed "now", relative time specs used by scenarios,
 * and time-zone arithmetic with Intl (no tz database of our own).
 */

export interface Clock {
  /** Simulated now in epoch milliseconds. */
  now(): number;
  /** The simulated start instant (what scenario-relative times are computed from). */
  readonly base: number;
}

export function createClock(now?: Date): Clock {
  const base = now ? now.getTime() : Date.now();
  const realStart = Date.now();
  return { base, now: () => base + (Date.now() - realStart) };
}

const DURATION_PART = /([+-]?\d+(?:\.\d+)?)\s*(w|d|h|m|s)/g;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** Parses "90m", "2h", "1d12h", "-3d" into milliseconds, or null when the string is not a duration. */
export function parseDuration(spec: string): number | null {
  const s = spec.trim();
  if (!/^[+-]?(\d+(\.\d+)?\s*[wdhms]\s*)+$/.test(s)) return null;
  const sign = s.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of s.replace(/^[+-]/, '').matchAll(DURATION_PART)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 0);
  }
  return sign * total;
}

/**
 * A scenario time: unix seconds (number), an ISO 8601 string, "now", or a duration relative to the
 * anchor ("-3d", "+2h", "-1d6h"). Returns epoch milliseconds.
 */
export function parseTimeSpec(spec: number | string, anchorMs: number): number {
  if (typeof spec === 'number') return spec * 1000;
  if (spec === 'now') return anchorMs;
  const rel = parseDuration(spec);
  if (rel !== null) return anchorMs + rel;
  const t = Date.parse(spec);
  if (Number.isNaN(t)) throw new Error(`not a time: ${spec}`);
  return t;
}

export function isTimeSpec(spec: string): boolean {
  if (spec === 'now' || parseDuration(spec) !== null) return true;
  return !Number.isNaN(Date.parse(spec));
}

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

// ---------------------------------------------------------------------------------------------
// Time zones

export interface WallTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an instant in a time zone. */
export function wallTimeIn(ms: number, tz: string): WallTime {
  const parts = formatterFor(tz).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of a time zone from UTC at an instant, in minutes (Zurich in winter: +60). */
export function tzOffsetMinutes(ms: number, tz: string): number {
  const w = wallTimeIn(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The instant at which a time zone's clock shows the given wall time (first match across a DST gap). */
export function wallTimeToInstant(w: WallTime, tz: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let ms = guess - tzOffsetMinutes(guess, tz) * 60_000;
  const second = guess - tzOffsetMinutes(ms, tz) * 60_000;
  if (second !== ms) ms = second;
  return ms;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** "2025-03-05T09:00:00+01:00": ISO 8601 with the zone's offset at that instant. */
export function isoInZone(ms: number, tz: string): string {
  const w = wallTimeIn(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(
    tzOffsetMinutes(ms, tz),
  )}`;
}

export function ymd(w: Pick<WallTime, 'year' | 'month' | 'day'>): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Adds whole days to a calendar date (no time zone involved). */
export function addDays(w: Pick<WallTime, 'year' | 'month' | 'day'>, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date ("Tue, 05 Mar 2025 09:00:00 +0100") in a time zone. */
export function rfc5322Date(ms: number, tz: string): string {
  const w = wallTimeIn(ms, tz);
  const dow = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  const off = tzOffsetMinutes(ms, tz);
  const a = Math.abs(off);
  return `${DAYS[dow]}, ${pad(w.day)} ${MONTHS[w.month - 1]} ${w.year} ${pad(w.hour)}:${pad(w.minute)}:${pad(
    w.second,
  )} ${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/** "YYYY-MM-DD HH:MM:SS" (the PIM event query format), read as UTC. Returns null when malformed. */
export function parsePimQueryTime(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
  if (!m) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
}
