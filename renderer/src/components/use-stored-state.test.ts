import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COLUMN_WIDTHS, columnWidthsSchema } from '../../../shared/model/layout';
import { readStored, writeStored } from './use-stored-state';

const KEY = 'test.columns';
afterEach(() => localStorage.clear());

describe('stored layout choices', () => {
  it('reads back what was written', () => {
    writeStored(KEY, { size: 120, modified: 200 });
    expect(readStored(KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS)).toEqual({ size: 120, modified: 200 });
  });

  it('falls back to the default for anything missing, corrupt or out of range', () => {
    expect(readStored(KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS)).toEqual(DEFAULT_COLUMN_WIDTHS);
    localStorage.setItem(KEY, '{not json');
    expect(readStored(KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS)).toEqual(DEFAULT_COLUMN_WIDTHS);
    localStorage.setItem(KEY, JSON.stringify({ size: 5, modified: 200 }));
    expect(readStored(KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS)).toEqual(DEFAULT_COLUMN_WIDTHS);
    localStorage.setItem(KEY, JSON.stringify({ size: 100, modified: 99_999 }));
    expect(readStored(KEY, columnWidthsSchema, DEFAULT_COLUMN_WIDTHS)).toEqual(DEFAULT_COLUMN_WIDTHS);
  });
});
