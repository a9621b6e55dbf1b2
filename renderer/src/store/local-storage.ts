/**
 * Values remembered in the renderer's localStorage (layout choices: column widths, the sort, Details
 * and Sync shown). What is read is checked against its zod schema; anything else (missing, corrupt,
 * out of range, storage unavailable) gives the fallback and loses nothing else.
 */
import type { ZodType } from 'zod';

export function readStored<T>(key: string, schema: ZodType<T>, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (raw == null) return fallback;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function writeStored<T>(key: string, value: T): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: the choice holds for this session only.
  }
}
