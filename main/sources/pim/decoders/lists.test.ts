import { describe, expect, it } from 'vitest';
import { PimCalendarSchema } from './calendar';
import { decodeList } from './lists';

describe('decodeList', () => {
  it('returns nothing for a non-array and never throws', () => {
    expect(decodeList(PimCalendarSchema, { id: 1 })).toEqual({ items: [], skipped: 0 });
    expect(decodeList(PimCalendarSchema, [undefined, { id: Number.NaN }, { id: 'ok' }])).toEqual({
      items: [{ id: 'ok', name: '' }],
      skipped: 2,
      rejected: [undefined, { id: Number.NaN }],
    });
  });
});
