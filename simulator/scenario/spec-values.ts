/** Value specs every part of a scenario uses: integers, times, sizes, offsets, time zones. */
import { z } from 'zod';
import { SIZE_PATTERN } from '../core/units';
import { isTimeSpec, isTimeZone } from '../core/time';

export const int = () => z.number().int();
export const posInt = () => z.number().int().positive();

/** Unix seconds, an ISO 8601 string, "now", or relative to the scenario epoch: "-3d", "+2h", "-1d6h". */
export const TimeSpec = z.union([
  int(),
  z.string().refine(isTimeSpec, 'expected a time: unix seconds, ISO 8601, "now" or relative like "-3d"'),
]);

/** Bytes, or "64 MiB", "1 GiB", "20 kB". */
export const SizeSpec = z.union([
  int().nonnegative(),
  z.string().regex(SIZE_PATTERN, 'expected a size: bytes or a string like "64 MiB"'),
]);

/** A byte offset: bytes, a size string, or a share of the file ("60%"). */
export const OffsetSpec = z.union([
  int().nonnegative(),
  z.string().regex(/^(\d+(\.\d+)?%|\s*\d+(\.\d+)?\s*([kmgt]i?b|b)?\s*)$/i, 'expected bytes, a size or a percentage'),
]);

export const TimeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Zurich"');
