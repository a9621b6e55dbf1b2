import { describe, expect, it } from 'vitest';
import { HINT_MIN, SEARCH_MIN, SYNC_MIN, TREE_MIN, sourcesMin, syncFits } from './content-split';

describe('the tree keeps 8 rows beside the Sync section (23.3)', () => {
  it('the Sources part never gets less than its toolbar, the search results (when open) and 8 rows', () => {
    expect(TREE_MIN).toBe(24 + 8 * 28);
    expect(sourcesMin(44, false)).toBe(44 + TREE_MIN);
    expect(sourcesMin(44, true)).toBe(44 + SEARCH_MIN + TREE_MIN);
  });

  it('the Sync section shows more than its line only with room to spare (640×480: no; 1280×800: yes)', () => {
    // 640×480: about 390 px for the content below the header and above the transfers bar.
    expect(syncFits(390, sourcesMin(44, false), SYNC_MIN)).toBe(false);
    expect(syncFits(390, sourcesMin(44, false), HINT_MIN)).toBe(true);
    expect(syncFits(390, sourcesMin(44, true), HINT_MIN)).toBe(false);
    expect(syncFits(710, sourcesMin(44, true), SYNC_MIN)).toBe(true);
    // Not measured yet: no reason to hold it back.
    expect(syncFits(null, 10_000, SYNC_MIN)).toBe(true);
  });
});
