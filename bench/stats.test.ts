import { describe, expect, it } from 'vitest';
import { median, quantile, ratio, round, spread, summarize } from './stats';

describe('bench statistics', () => {
  it('median of odd and even counts, ignoring non-finite values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, Number.NaN, 3])).toBe(2);
    expect(median([])).toBeNaN();
  });

  it('quartiles interpolate between ranks; spread has min, max and IQR', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(spread([7, 1, 4, 10])).toEqual({ min: 1, max: 10, q1: 3.25, q3: 7.75, iqr: 4.5 });
  });

  it('ratio is NaN without a usable reference', () => {
    expect(ratio(50, 200)).toBe(0.25);
    expect(ratio(50, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('checks a ratio target against the reference median', () => {
    const measurement = {
      case: 'download',
      metric: 'throughput',
      unit: 'MiB/s',
      runs: [70, 90, 80],
      reference: { label: 'curl', runs: [100, 110, 90] },
      target: { subject: 'ratio', op: '>=', threshold: 0.8, text: '≥ 0.8 × curl' },
    } as const;
    const row = summarize({
      ...measurement,
      runs: [...measurement.runs],
      reference: { label: 'curl', runs: [100, 110, 90] },
    });
    expect(row.median).toBe(80);
    expect(row.reference?.median).toBe(100);
    expect(row.ratio).toBe(0.8);
    expect(row.pass).toBe(true);
    expect(
      summarize({ ...measurement, runs: [70, 79, 75], reference: { label: 'curl', runs: [100, 110, 90] } }).pass,
    ).toBe(false);
  });

  it('an "every" target fails when a single run misses it; no target means reported only', () => {
    const base = { case: 'folder', metric: 'requests', unit: 'req' };
    const target = { subject: 'every', op: '==', threshold: 20, text: '= 20' } as const;
    expect(summarize({ ...base, runs: [20, 20, 20], target }).pass).toBe(true);
    expect(summarize({ ...base, runs: [20, 21, 20], target }).pass).toBe(false);
    expect(summarize({ ...base, runs: [], target }).pass).toBe(false);
    expect(summarize({ ...base, runs: [1] }).pass).toBeNull();
  });

  it('median and max targets use the statistic named', () => {
    const base = { case: 'x', metric: 'y', unit: 'ms', runs: [100, 120, 400] };
    expect(summarize({ ...base, target: { subject: 'median', op: '<=', threshold: 150, text: '' } }).pass).toBe(true);
    expect(summarize({ ...base, target: { subject: 'max', op: '<=', threshold: 150, text: '' } }).pass).toBe(false);
  });

  it('rounds to three significant digits below 100', () => {
    expect(round(1234.56)).toBe(1235);
    expect(round(12.345)).toBe(12.3);
    expect(round(1.2345)).toBe(1.23);
    expect(round(0.12345)).toBe(0.123);
  });
});
