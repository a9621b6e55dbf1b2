import { describe, expect, it } from 'vitest';
import type { SourceNode } from '../../../../shared/model/sources';
import { createTreeModel } from './snapshot';
import { ChildOrder, compareNodes, merge } from './order';
import type { SortSpec } from './order';
import { file, folder, page } from './test-support';

const names = (rows: { node: SourceNode; parentId: string | null }[], parent: string) =>
  rows.filter((r) => r.parentId === parent).map((r) => r.node.name);

function model(nodes: SourceNode[], parent = folder('p', null, 'Projects')) {
  let m = createTreeModel().withRoots([parent]).withExpanded(parent.id, true);
  m = m.withLoading(parent.id, `L-${parent.id}`).withPage(page(parent.id, nodes));
  return m;
}

const by = (column: SortSpec['column'], direction: SortSpec['direction'] = 'asc'): SortSpec => ({ column, direction });

describe('sorting the tree’s content (23.4)', () => {
  const kids = [
    file('f10', 'p', 'file 10.txt', { size: 5, modifiedAt: 3 }),
    folder('b', 'p', 'Beta', { modifiedAt: 9 }),
    file('f2', 'p', 'file 2.txt', { size: 50, modifiedAt: 1 }),
    file('f1', 'p', 'File 1.txt', { size: 500, modifiedAt: 2 }),
    folder('a10', 'p', 'Archiv 10', { modifiedAt: 1 }),
    folder('a9', 'p', 'archiv 9', { modifiedAt: 5 }),
    { ...file('e', 'p', 'zz error'), kind: 'error' as const },
  ];

  it('by name: folders first, numbers in names in natural order, case and accents aside; errors last', () => {
    const m = model(kids);
    expect(names(m.rows(), 'p')).toEqual([
      'archiv 9',
      'Archiv 10',
      'Beta',
      'File 1.txt',
      'file 2.txt',
      'file 10.txt',
      'zz error',
    ]);
    expect(names(m.rows('', by('name', 'desc')), 'p')).toEqual([
      'Beta',
      'Archiv 10',
      'archiv 9',
      'file 10.txt',
      'file 2.txt',
      'File 1.txt',
      'zz error',
    ]);
  });

  it('by size and by date, both ways, folders still first; a tie goes by name', () => {
    const m = model(kids);
    expect(names(m.rows('', by('size')), 'p').slice(3, 6)).toEqual(['file 10.txt', 'file 2.txt', 'File 1.txt']);
    expect(names(m.rows('', by('size', 'desc')), 'p').slice(3, 6)).toEqual(['File 1.txt', 'file 2.txt', 'file 10.txt']);
    expect(names(m.rows('', by('modified')), 'p')).toEqual([
      'Archiv 10',
      'archiv 9',
      'Beta',
      'file 2.txt',
      'File 1.txt',
      'file 10.txt',
      'zz error',
    ]);
    expect(names(m.rows('', by('modified', 'desc')), 'p').slice(0, 3)).toEqual(['Beta', 'archiv 9', 'Archiv 10']);
    // The filter shows the same order.
    expect(names(m.rows('file', by('size', 'desc')), 'p')).toEqual(['File 1.txt', 'file 2.txt', 'file 10.txt']);
  });

  it('names compare in the UI’s language (German: "Äpfel" with the A, not after Z)', () => {
    const m = model([file('z', 'p', 'Zebra'), file('ae', 'p', 'Äpfel'), file('b', 'p', 'Birne')]);
    expect(names(m.rows('', by('name'), 'de'), 'p')).toEqual(['Äpfel', 'Birne', 'Zebra']);
  });

  it('connections, services and accounts keep main’s order; content of drives, calendars and mail folders is sorted', () => {
    const services = [
      { ...folder('k', 'c', 'kDrive'), kind: 'service' as const },
      { ...folder('cal', 'c', 'Calendar'), kind: 'service' as const },
    ];
    const m = model(services, { ...folder('c', null, 'Anna'), kind: 'connection' });
    expect(names(m.rows(), 'c')).toEqual(['kDrive', 'Calendar']);
    const events = [file('e2', 'cal', 'Zahnarzt'), file('e1', 'cal', 'Apéro')].map((n) => ({
      ...n,
      kind: 'event' as const,
    }));
    const cal = model(events, { ...folder('cal', null, 'Arbeit'), kind: 'calendar' });
    expect(names(cal.rows(), 'cal')).toEqual(['Apéro', 'Zahnarzt']);
  });

  it('a list that grows page by page is merged, and always equals a full sort', () => {
    const order = new ChildOrder();
    const nodes = new Map<string, SourceNode>();
    const source: string[] = [];
    const spec = by('name');
    const compare = compareNodes(spec, 'en');
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let pageNo = 0; pageNo < 12; pageNo++) {
      for (let i = 0; i < 50; i++) {
        const id = `n${pageNo}-${i}`;
        const node =
          random() < 0.2
            ? folder(id, 'p', `dir ${Math.floor(random() * 300)}`)
            : file(id, 'p', `f ${Math.floor(random() * 1000)}`);
        nodes.set(id, node);
        source.push(id);
      }
      const snapshot = source.slice();
      const got = order.order('p', snapshot, (id) => nodes.get(id), spec, 'en');
      const full = snapshot
        .map((id) => nodes.get(id)!)
        .sort(compare)
        .map((n) => n.id);
      expect(got.map((id) => nodes.get(id)!.name)).toEqual(full.map((id) => nodes.get(id)!.name));
      expect(new Set(got)).toEqual(new Set(snapshot));
    }
    expect(merge([1, 3, 5], [2, 3, 6], (a, b) => a - b)).toEqual([1, 2, 3, 3, 5, 6]);
    expect(merge([], [1], (a, b) => a - b)).toEqual([1]);
  });
});
