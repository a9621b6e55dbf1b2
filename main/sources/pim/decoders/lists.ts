/** Lists in PIM / Mail answers: found in their accepted places, decoded record by record. */
import type { z } from 'zod';
import { failWith } from '../../../../shared/model/errors';
import { isRecord } from '../../../../shared/model/records';
import type { Decoded } from './shapes';

/**
 * Decodes each element on its own: a bad record is skipped and counted, never thrown. Anything that
 * is not a list is `unrecognized` (no items): a caller for whom an empty list would mean "all gone"
 * (a sync listing) asks `expectList`, which throws.
 */
export function decodeList<T>(schema: z.ZodType<T>, raw: unknown): Decoded<T> {
  if (!Array.isArray(raw)) return { items: [], skipped: 0, unrecognized: true };
  const items: T[] = [];
  const rejected: unknown[] = [];
  const unread = { ids: [] as string[], all: false };
  let skipped = 0;
  for (const element of raw) {
    let r: ReturnType<typeof schema.safeParse>;
    try {
      r = schema.safeParse(element);
    } catch {
      // A transform that throws on a value no check foresaw: still this record's problem only.
      r = { success: false } as ReturnType<typeof schema.safeParse>;
    }
    if (r.success) items.push(r.data);
    else {
      skipped++;
      if (rejected.length < MAX_REJECTED) rejected.push(element);
      const id = recordId(element);
      if (id === undefined) unread.all = true;
      else unread.ids.push(id);
    }
  }
  return skipped > 0 ? { items, skipped, rejected, unread } : { items, skipped };
}

/**
 * Parse loudly (an answer that does not have the shape we expect is an error, never an empty list):
 * the decoded list, or `api_error` naming `what` when the answer held no list where one belongs.
 */
export function expectList<T>(decoded: Decoded<T>, what: string): Decoded<T> {
  if (decoded.unrecognized) {
    throw failWith(
      'api_error',
      'unknown_shape',
      `Infomaniak described ${what} in a form this app does not know, so nothing was changed here.`,
    );
  }
  return decoded;
}

/** A raw record's own `id` (a non-empty string or a finite number), as a string. */
export function recordId(record: unknown): string | undefined {
  const id = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}

/** How many skipped records a decode keeps, to name them. */
const MAX_REJECTED = 20;

/** Strips the `{result, data}` envelope when given the whole body. */
export function unwrapEnvelope(raw: unknown): unknown {
  if (isRecord(raw) && 'data' in raw && ('result' in raw || Object.keys(raw).length === 1)) return raw.data;
  return raw;
}

function listIn(raw: unknown, keys: readonly string[]): unknown[] | undefined {
  const data = unwrapEnvelope(raw);
  if (Array.isArray(data)) return data;
  if (!isRecord(data)) return undefined;
  for (const k of keys) {
    const v = data[k];
    if (Array.isArray(v)) return v;
  }
  return undefined;
}

export function decodeIn<T>(schema: z.ZodType<T>, raw: unknown, keys: readonly string[]): Decoded<T> {
  const list = listIn(raw, keys);
  if (list === undefined) return { items: [], skipped: 0, unrecognized: true };
  return decodeList(schema, list);
}
