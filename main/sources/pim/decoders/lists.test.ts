import { describe, expect, it } from 'vitest';
import { PimCalendarSchema, PimEventSchema } from './calendar';
import { decodeList, expectList } from './lists';

describe('decodeList', () => {
  it('returns nothing for a non-array, marked unrecognized, and never throws', () => {
    expect(decodeList(PimCalendarSchema, { id: 1 })).toEqual({ items: [], skipped: 0, unrecognized: true });
    expect(decodeList(PimCalendarSchema, [undefined, { id: Number.NaN }, { id: 'ok' }])).toEqual({
      items: [{ id: 'ok', name: '' }],
      skipped: 2,
      rejected: [undefined, { id: Number.NaN }],
      unread: { ids: [], all: true },
    });
    // An event without a start does not decode; its id is kept as unread.
    expect(decodeList(PimEventSchema, [{ id: 7 }, { id: 'x', start: '2026-01-01 10:00:00' }]).unread).toEqual({
      ids: ['7'],
      all: false,
    });
  });
});

describe('expectList (parse loudly)', () => {
  it('throws api_error for an answer without a list, never returns an empty one', () => {
    expect(() => expectList(decodeList(PimCalendarSchema, { calendars: 'soon' }), 'the calendars')).toThrow(
      expect.objectContaining({ code: 'api_error' }),
    );
    expect(expectList(decodeList(PimCalendarSchema, []), 'the calendars')).toEqual({ items: [], skipped: 0 });
  });
});
