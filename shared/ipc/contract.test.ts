import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, MAX_CALENDAR_WINDOWS, settingsPatch } from './contract';
import { hostCall } from './host-messages';

/**
 * Every string, array and record a schema accepts must carry a maximum. Returns the paths of the
 * unbounded ones (and of any schema kind this walker does not know, so a new kind is looked at).
 */
function unbounded(schema: z.ZodType, path: string): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const checks = (def.checks as Array<{ _zod: { def: { check: string } } }> | undefined) ?? [];
  const hasCheck = (name: string) => checks.some((c) => c._zod.def.check === name);
  switch (def.type) {
    case 'string':
      return (schema as z.ZodString).maxLength === null ? [path] : [];
    case 'array':
      return [...(hasCheck('max_length') ? [] : [path]), ...unbounded(def.element as z.ZodType, `${path}[]`)];
    case 'record': {
      const bounded = typeof (z.globalRegistry.get(schema) as { maxKeys?: unknown } | undefined)?.maxKeys === 'number';
      return [
        ...(bounded ? [] : [path]),
        ...unbounded(def.keyType as z.ZodType, `${path}{key}`),
        ...unbounded(def.valueType as z.ZodType, `${path}{value}`),
      ];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => unbounded(v, `${path}.${k}`));
    case 'optional':
    case 'nullable':
      return unbounded(def.innerType as z.ZodType, path);
    case 'pipe':
      return unbounded(def.in as z.ZodType, path);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o, i) => unbounded(o, `${path}|${i}`));
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'number':
    case 'undefined':
    case 'unknown':
      return [];
    default:
      return [`${path} (unknown kind ${def.type})`];
  }
}

describe('the contract bounds every collection', () => {
  it('every channel argument has a maximum on each string, array and record', () => {
    const found = Object.entries(channels).flatMap(([name, c]) => unbounded(c.input, name));
    expect(found).toEqual([]);
  });

  it('the walker itself notices an unbounded string, array and record', () => {
    const loose = z.object({
      a: z.string(),
      b: z.array(z.string().max(1)),
      c: z.record(z.string().max(1), z.number()),
    });
    expect(unbounded(loose, 'x')).toEqual(['x.a', 'x.b', 'x.c']);
  });

  it('the host frame schema is bounded too (its argument is checked by the channel schema)', () => {
    expect(unbounded(hostCall, 'call')).toEqual([]);
  });

  it('refuses calendarWindows with more keys than the maximum, as data (a validation issue)', () => {
    const windows = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`calendar-${i}`, { daysBack: 1, daysAhead: 1 }]));
    expect(channels['settings:set'].input.safeParse({ calendarWindows: windows(MAX_CALENDAR_WINDOWS) }).success).toBe(
      true,
    );
    const tooMany = channels['settings:set'].input.safeParse({ calendarWindows: windows(MAX_CALENDAR_WINDOWS + 1) });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.message).toBe(`At most ${MAX_CALENDAR_WINDOWS} entries are allowed.`);
    // What the issue measured: 80,000 keys (a 4.7 MB settings file) is refused.
    expect(settingsPatch.safeParse({ calendarWindows: windows(80_000) }).success).toBe(false);
  });
});
