import { describe, expect, it } from 'vitest';
import { formatDateTime, formatSize, interpolate } from './format';

describe('formatSize', () => {
  it('uses decimal units with one decimal below 100, locale-aware', () => {
    expect(formatSize(0, 'en')).toBe('0 B');
    expect(formatSize(999, 'en')).toBe('999 B');
    expect(formatSize(1234, 'en')).toBe('1.2 kB');
    expect(formatSize(1234, 'de')).toBe('1.2 kB'); // German as used in Switzerland: a decimal point
    expect(formatSize(1_200_000, 'en')).toBe('1.2 MB');
    expect(formatSize(1_200_000, 'de')).toBe('1.2 MB');
    expect(formatSize(123_456_789, 'en')).toBe('123 MB');
    expect(formatSize(5_000_000_000, 'de')).toBe('5 GB');
  });

  it('never shows "1,000 kB"', () => {
    expect(formatSize(999_499, 'en')).toBe('999 kB');
    expect(formatSize(999_500, 'en')).toBe('1 MB');
    expect(formatSize(99_949, 'en')).toBe('99.9 kB');
    expect(formatSize(99_950, 'en')).toBe('100 kB');
  });

  it('is blank for unknown or invalid sizes', () => {
    expect(formatSize(undefined, 'en')).toBe('');
    expect(formatSize(-1, 'en')).toBe('');
    expect(formatSize(Number.NaN, 'de')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('formats short date and time per locale, blank when unknown', () => {
    const ms = Date.UTC(2025, 0, 2, 15, 4);
    expect(formatDateTime(ms, 'en')).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short' }).format(ms),
    );
    expect(formatDateTime(ms, 'de')).toMatch(/^02\.01\.25, \d{2}:\d{2}$/);
    expect(formatDateTime(undefined, 'en')).toBe('');
  });
});

describe('interpolate', () => {
  it('fills i18next-style placeholders and leaves unknown ones', () => {
    expect(interpolate('{{count}} items selected', { count: 3 })).toBe('3 items selected');
    expect(interpolate('Could not load: {{ message }}', { message: 'x' })).toBe('Could not load: x');
    expect(interpolate('{{missing}}', {})).toBe('{{missing}}');
  });
});
