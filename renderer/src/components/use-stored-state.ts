/**
 * React state remembered in the renderer's localStorage (layout choices: column widths, Details and
 * Sync shown), through the store's `local-storage.ts` (checked against a zod schema; anything
 * unreadable gives the fallback).
 */
import { useCallback, useState } from 'react';
import type { ZodType } from 'zod';
import { readStored, writeStored } from '../store/local-storage';

export { readStored, writeStored };

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
