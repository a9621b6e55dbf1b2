/** The Preview's request estimate: one per file, the archive route for a first run of many small kDrive files, what the source says per entry. */
import { describe, expect, it } from 'vitest';
import type { Subtree } from '../sources/types';
import { estimateRequests } from './estimate';
import type { Action, Plan, RemoteEntry } from './types';

function entries(count: number, size: number): Map<string, RemoteEntry> {
  return new Map(
    Array.from({ length: count }, (_, i) => [
      String(i),
      { id: String(i), parent: null, name: `f${i}`, type: 'file' as const, size, mtime: 1000 },
    ]),
  );
}
const downloads = (remote: Map<string, RemoteEntry>, reason: 'new' | 'restore' = 'new'): Plan => ({
  actions: [...remote.keys()].map((id): Action => ({ kind: 'download', id, path: id, reason })),
  movedPaths: new Map(),
});
const plain: Subtree = { list: async () => new Map(), itemFor: () => ({ segments: [], size: 0 }) };
const archived: Subtree = { ...plain, archive: { create: async () => async () => ({}) as never, rooted: false } };

describe('estimateRequests', () => {
  it('one request per file to download, update or copy beside', () => {
    const remote = entries(3, 10);
    const plan: Plan = {
      actions: [
        { kind: 'download', id: '0', path: 'a', reason: 'new' },
        { kind: 'update', id: '1', path: 'b' },
        { kind: 'conflict', id: '2', path: 'c', to: 'd', tracked: true },
        { kind: 'mkdir', id: 'x', path: 'e' },
      ],
      movedPaths: new Map(),
    };
    expect(estimateRequests(plan, remote, plain)).toBe(3);
  });

  it('a first run of many small kDrive files: one archive (2 requests); few or large files go one by one', () => {
    const many = entries(1000, 1000);
    expect(estimateRequests(downloads(many), many, archived)).toBe(2);
    expect(estimateRequests(downloads(many), many, plain)).toBe(1000);
    const few = entries(10, 1000);
    expect(estimateRequests(downloads(few), few, archived)).toBe(10);
    const large = entries(40, 50 * 1024 * 1024);
    expect(estimateRequests(downloads(large), large, archived)).toBe(40);
    // Restored files (deleted here) are not new: never from the archive.
    expect(estimateRequests(downloads(many, 'restore'), many, archived)).toBe(1000);
  });

  it('what the source says an entry costs (a mail message assembled with its attachments)', () => {
    const remote = entries(4, 10);
    expect(estimateRequests(downloads(remote), remote, { ...plain, requestsFor: (e) => (e.id === '0' ? 3 : 1) })).toBe(
      6,
    );
  });
});
