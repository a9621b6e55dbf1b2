/**
 * State remembered in the renderer's localStorage (layout choices: column widths, Details shown).
 * What is read is checked against its zod schema; anything else (missing, corrupt, out of range,
 * storage unavailable) gives the fallback and loses nothing else.
 */
import { useCallback, useState } from 'react';
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

export function useStoredState<T>(key: string, schema: ZodType<T>, fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState(() => readStored(key, schema, fallback));
  const set = useCallback(
    (next: T) => {
      setValue(next);
      writeStored(key, next);
    },
    [key],
  );
  return [value, set];
}
