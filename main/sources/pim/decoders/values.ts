/** Value helpers shared by the PIM / Mail decoders: tolerant reads of one field. */
import { z } from 'zod';

type Rec = Record<string, unknown>;

/** A non-empty string (numbers become strings); anything else is absent. */
export function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function toTrimmed(v: unknown): string | undefined {
  return toText(v)?.trim();
}

export function toId(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  }
  return undefined;
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function first(r: Rec, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (r[k] !== undefined && r[k] !== null) return r[k];
  }
  return undefined;
}

export function firstText(r: Rec, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const t = toTrimmed(r[k]);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Unix seconds (below 1e11) or milliseconds → ms. */
export function unixToMs(n: number): number {
  return Math.abs(n) < 1e11 ? n * 1000 : n;
}

/** Moves `undefined` properties out so optional fields are really absent. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}

export const anything = z.unknown().optional();
export const idSchema = z.union([z.string().trim().min(1), z.number().finite()]).transform((v) => String(v));

/** Decodes each element, dropping the bad ones; a single value counts as a list of one. */
export function decodeEach<T>(v: unknown, decode: (v: unknown) => T | undefined): T[] {
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: T[] = [];
  for (const item of arr) {
    const d = decode(item);
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** A list field whose bad elements are dropped (absent means empty). */
export function listOf<T>(decode: (v: unknown) => T | undefined) {
  return anything.transform((v): T[] => decodeEach(v, decode));
}
