import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_PER_CONNECTION } from '../../../shared/model/expanded';
import { EXPANDED_STORAGE_KEY, ExpandedMemory } from './expanded-memory';

function fakeStorage(initial?: string) {
  const map = new Map<string, string>(initial !== undefined ? [[EXPANDED_STORAGE_KEY, initial]] : []);
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('expanded folders across a reload', () => {
  it('remembers expands per connection, forgets collapses, and gives each remembered id back once when it arrives', () => {
    const storage = fakeStorage();
    const before = new ExpandedMemory(storage);
    before.remember('conn:a', true);
    before.remember('conn:a/kdrive', true);
    before.remember('conn:b/mail', true);
    before.remember('conn:a/kdrive/drive:1/f:5', true);
    before.remember('conn:a/kdrive/drive:1/f:5', false);
    const after = new ExpandedMemory(storage); // the reload
    expect(after.data()).toEqual({ 'conn:a': ['conn:a', 'conn:a/kdrive'], 'conn:b': ['conn:b/mail'] });
    expect(after.take(['conn:a', 'conn:b'])).toEqual(['conn:a']);
    expect(after.take(['conn:a/kdrive', 'conn:a/calendar'])).toEqual(['conn:a/kdrive']);
    expect(after.take(['conn:a/kdrive'])).toEqual([]); // once: a later collapse and relist does not reopen it
  });

  it('keeps the last 500 of a connection', () => {
    const storage = fakeStorage();
    const memory = new ExpandedMemory(storage);
    for (let i = 0; i < MAX_EXPANDED_PER_CONNECTION + 20; i++) memory.remember(`conn:a/kdrive/drive:1/f:${i}`, true);
    const list = new ExpandedMemory(storage).data()['conn:a']!;
    expect(list).toHaveLength(MAX_EXPANDED_PER_CONNECTION);
    expect(list[0]).toBe('conn:a/kdrive/drive:1/f:20');
    expect(list.at(-1)).toBe(`conn:a/kdrive/drive:1/f:${MAX_EXPANDED_PER_CONNECTION + 19}`);
  });

  it('ignores storage that is missing, not JSON, of another shape or failing', () => {
    for (const bad of ['{', '[1,2]', JSON.stringify({ 'conn:a': [1] }), JSON.stringify({ 'conn:a': 'x' })])
      expect(new ExpandedMemory(fakeStorage(bad)).take(['conn:a'])).toEqual([]);
    const none = new ExpandedMemory(null);
    none.remember('conn:a', true);
    expect(none.data()).toEqual({ 'conn:a': ['conn:a'] });
    const failing = new ExpandedMemory({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    });
    expect(() => failing.remember('conn:a', true)).not.toThrow();
  });
});
