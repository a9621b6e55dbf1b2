import { describe, expect, it } from 'vitest';
import { LayeredMap } from './layered-map';

describe('LayeredMap', () => {
  it('a change returns a new map and leaves the old one as it was, through merges', () => {
    let m = LayeredMap.empty<string, number>();
    const versions: LayeredMap<string, number>[] = [];
    for (let i = 0; i < 500; i++) {
      versions.push(m);
      m = m.with([[`k${i}`, i]], i % 7 === 0 && i > 0 ? [`k${i - 1}`] : []);
    }
    expect(m.get('k499')).toBe(499);
    expect(m.has('k6')).toBe(false); // removed when k7 was added
    expect(m.get('k5')).toBe(5);
    // Every earlier version still answers as it did when it was current.
    expect(versions[7]!.get('k6')).toBe(6);
    expect(versions[7]!.has('k7')).toBe(false);
    expect(versions[100]!.get('k99')).toBe(99);
    expect(versions[100]!.has('k100')).toBe(false);
  });

  it('a key removed and set again is present; set and removed in one change is gone', () => {
    const m = LayeredMap.empty<string, string>().with([['a', '1']]);
    const removed = m.with([], ['a']);
    expect(removed.get('a')).toBeUndefined();
    expect(removed.with([['a', '2']]).get('a')).toBe('2');
    expect(m.with([['b', 'x']], ['b']).has('b')).toBe(false);
  });
});
