/** The budget estimate (issue 22.3): requests left, and how long they take at the token's budget. */
import { describe, expect, it } from 'vitest';
import { budgetEstimate, requestsLeft } from './estimate';

const INFOMANIAK = { limit: 60, windowMs: 61_000 };

describe('the budget estimate', () => {
  it('a file on its own is one request, an archive two, a file from an archive none', () => {
    expect(requestsLeft({ files: 100, settled: 10, fromArchives: 0, archives: 0, waiting: 0 })).toBe(90);
    expect(requestsLeft({ files: 20_000, settled: 0, fromArchives: 20_000, archives: 1, waiting: 0 })).toBe(2);
    expect(requestsLeft({ files: 0, settled: 0, fromArchives: 0, archives: 0, waiting: 7 })).toBe(7);
    // Files taken off twice (skipped while planned) never make it negative.
    expect(requestsLeft({ files: 5, settled: 5, fromArchives: 5, archives: 0, waiting: 0 })).toBe(0);
  });

  it('one request per slot of the window; none when one window holds them all', () => {
    expect(budgetEstimate(60, INFOMANIAK, true)).toBeNull();
    expect(budgetEstimate(240, INFOMANIAK, true)).toEqual({
      requests: 240,
      seconds: 244,
      limit: 60,
      windowMs: 61_000,
      complete: true,
    });
    // 20,000 files one by one: about 5.6 hours.
    expect(budgetEstimate(20_000, INFOMANIAK, false)).toMatchObject({ seconds: 20_334, complete: false });
    expect(budgetEstimate(1000, undefined, true)).toBeNull();
  });
});
