import { describe, expect, it } from 'vitest';
import type { SourceNode } from '../../shared/model/sources';
import { MAX_CACHED_NODES, NodeCache } from './node-cache';

const node = (id: string): SourceNode => ({
  id,
  parentId: null,
  kind: 'file',
  name: id,
  expandable: false,
  downloadable: true,
});

describe('NodeCache', () => {
  it('never holds more than its bound: 250,000 listed nodes keep the newest 100,000', () => {
    const cache = new NodeCache();
    for (let i = 0; i < 250_000; i++) cache.set(node(`n${i}`));
    expect(cache.size).toBe(MAX_CACHED_NODES);
    expect(cache.get('n0')).toBeUndefined();
    expect(cache.get('n249999')?.name).toBe('n249999');
  });

  it('stays cheap once full: 150,000 nodes listed past the bound cost well under a second of CPU', () => {
    // Evicting by walking the Map from its start grew with the deleted entries it left behind:
    // these 150,000 took 4.5 s of CPU, so a full cache made every later listing slow.
    const cache = new NodeCache();
    for (let i = 0; i < MAX_CACHED_NODES; i++) cache.set(node(`n${i}`));
    const before = process.cpuUsage();
    for (let i = 0; i < 150_000; i++) cache.set(node(`m${i}`));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1e6).toBeLessThan(1);
    expect(cache.size).toBe(MAX_CACHED_NODES);
    expect(cache.get(`m${150_000 - MAX_CACHED_NODES}`)).toBeDefined();
    expect(cache.get(`m${149_999 - MAX_CACHED_NODES}`)).toBeUndefined();
  });

  it('drops the least recently used: a node read again stays', () => {
    const cache = new NodeCache(3);
    for (const id of ['a', 'b', 'c']) cache.set(node(id));
    expect(cache.get('a')).toBeDefined();
    cache.set(node('d'));
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].every((id) => cache.get(id) !== undefined)).toBe(true);
    expect(cache.size).toBe(3);
  });
});
