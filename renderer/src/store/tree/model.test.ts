import { describe, expect, it } from 'vitest';
import { createTreeState, flatten, foldText, statusRowId } from './model';
import { createTreeModel } from './snapshot';
import type { VisibleRow } from './model';
import { file, folder, manyFiles, page } from './test-support';

const brief = (rows: VisibleRow[]) =>
  rows.map(
    (r) =>
      `${'  '.repeat(r.level - 1)}${r.kind === 'status' ? `[${r.status}]` : r.node.name} ${r.posInSet}/${r.setSize}`,
  );

/**
 * Milliseconds of CPU time this process spent since `start` (from `cpuStart()`): unlike wall time,
 * it does not grow while the test machine is busy with other processes (load average 20 on two
 * cores made wall-time medians fail for code that had not changed). Wall time where there is no
 * `process` (a browser).
 */
type CpuClock = () => number;
const cpuClock: CpuClock = (() => {
  const proc = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } }).process;
  if (!proc) return () => performance.now();
  return () => {
    const u = proc.cpuUsage();
    return (u.user + u.system) / 1000;
  };
})();

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('foldText', () => {
  it('folds case, diacritics and ß', () => {
    expect(foldText('Ärger')).toBe('arger');
    expect(foldText('CAFÉ')).toBe('cafe');
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('plain ASCII')).toBe('plain ascii');
  });
});

describe('flatten', () => {
  function sample() {
    let m = createTreeModel();
    m = m.withRoots([folder('d', null, 'Drive', { kind: 'drive' })]);
    m = m.withPage(page('d', [folder('a', 'd', 'Alpha'), folder('b', 'd', 'Beta'), file('c', 'd', 'c.txt')]));
    m = m.withPage(page('a', [file('a1', 'a', 'Über.pdf'), file('a2', 'a', 'notes.txt')]));
    return m;
  }

  it('shows roots only until expanded, then children with level/posinset/setsize, sorted by name (flatten alone: as they arrived)', () => {
    let m = sample();
    expect(brief(m.rows())).toEqual(['Drive 1/1']);
    expect(m.rows()[0]!.expanded).toBe(false);
    m = m.withExpanded('d', true);
    m = m.withExpanded('a', true);
    expect(brief(flatten(m.state, m.rootIds))).toEqual([
      'Drive 1/1',
      '  Alpha 1/3',
      '    Über.pdf 1/2',
      '    notes.txt 2/2',
      '  Beta 2/3',
      '  c.txt 3/3',
    ]);
    expect(brief(m.rows())).toEqual([
      'Drive 1/1',
      '  Alpha 1/3',
      '    notes.txt 1/2',
      '    Über.pdf 2/2',
      '  Beta 2/3',
      '  c.txt 3/3',
    ]);
    const rows = m.rows();
    expect(rows[1]!.expanded).toBe(true);
    expect(rows[4]!.expanded).toBe(false);
    expect(rows[5]!.expanded).toBeUndefined();
    expect(rows[2]!.parentId).toBe('a');
  });

  it('gives an expanded, loading parent a Loading placeholder and uses total for setsize', () => {
    let m = sample();
    m = m.withExpanded('d', true);
    m = m.withExpanded('b', true); // never listed: shows Loading even before setLoading
    let rows = m.rows();
    expect(brief(rows)).toContain('    [loading] 1/1');
    m = m.withLoading('b', 'L-b');
    m = m.withPage({ listingId: 'L-b', parentId: 'b', first: true, done: false, total: 5, nodes: manyFiles('b', 2) });
    rows = m.rows();
    const under = rows.filter((r) => r.parentId === 'b');
    expect(under.map((r) => [r.kind, r.posInSet, r.setSize])).toEqual([
      ['node', 1, 5],
      ['node', 2, 5],
      ['status', 3, 5],
    ]);
    expect(under[2]!.id).toBe(statusRowId('b'));
    expect(under[2]!.isPlaceholder).toBe(true);
    expect(rows.find((r) => r.id === 'b')!.loading).toBe(true);
  });

  it('without a total counts the loaded children plus the status row', () => {
    let m = sample();
    m = m.withExpanded('d', true);
    m = m.withExpanded('b', true);
    m = m.withLoading('b', 'L-b');
    m = m.withPage({ listingId: 'L-b', parentId: 'b', first: true, done: false, nodes: manyFiles('b', 3) });
    expect(
      m
        .rows()
        .filter((r) => r.parentId === 'b')
        .map((r) => r.setSize),
    ).toEqual([4, 4, 4, 4]);
    m = m.withPage({ listingId: 'L-b', parentId: 'b', first: false, done: true, nodes: manyFiles('b', 1, 3) });
    expect(
      m
        .rows()
        .filter((r) => r.parentId === 'b')
        .map((r) => `${r.posInSet}/${r.setSize}`),
    ).toEqual(['1/4', '2/4', '3/4', '4/4']);
  });

  it('shows an error row (keeping loaded children) and an Empty row for an empty folder', () => {
    let m = sample();
    m = m.withExpanded('d', true);
    m = m.withExpanded('b', true);
    m = m.withLoading('b', 'L-b');
    m = m.withPage({ listingId: 'L-b', parentId: 'b', first: true, done: false, nodes: manyFiles('b', 1) });
    const error = { code: 'network', message: 'Connection reset' } as const;
    m = m.withPage({ listingId: 'L-b', parentId: 'b', first: false, done: true, nodes: [], error });
    const status = m.rows().find((r) => r.id === statusRowId('b'))!;
    expect(status).toMatchObject({ kind: 'status', status: 'error', error, level: 3, posInSet: 2, setSize: 2 });
    expect(m.rows().filter((r) => r.parentId === 'b' && r.kind === 'node')).toHaveLength(1);

    m = m.withPage(page('c2', []));
    m = m.withRoots([folder('d', null, 'Drive', { kind: 'drive' }), folder('c2', null, 'Empty one')]);
    m = m.withExpanded('c2', true);
    expect(m.rows().at(-1)).toMatchObject({ kind: 'status', status: 'empty', parentId: 'c2', level: 2 });
  });

  it('setError marks a listing that could not start', () => {
    let m = sample();
    m = m.withExpanded('d', true);
    m = m.withExpanded('b', true);
    m = m.withLoading('b');
    m = m.withError('b', { code: 'timeout', message: 'Timed out' });
    expect(m.rows().at(-2)).toMatchObject({ kind: 'status', status: 'error', error: { code: 'timeout' } });
    expect(m.rows().find((r) => r.id === 'b')!.loading).toBe(false);
  });

  it('hides children of collapsed parents but keeps them loaded', () => {
    let m = sample();
    m = m.withExpanded('d', true);
    m = m.withExpanded('a', true);
    m = m.withExpanded('d', false);
    expect(m.rows()).toHaveLength(1);
    m = m.withExpanded('d', true);
    expect(m.rows()).toHaveLength(6);
    expect(m.needsLoad('a')).toBe(false);
    expect(m.needsLoad('b')).toBe(true);
    expect(m.needsLoad('c')).toBe(false); // a file
  });

  describe('filter', () => {
    it('matches case- and diacritic-insensitively over loaded nodes and keeps ancestors, shown expanded', () => {
      const m = sample(); // nothing expanded: the filter still searches what is loaded
      const rows = m.rows('uber');
      expect(brief(rows)).toEqual(['Drive 1/1', '  Alpha 1/1', '    Über.pdf 1/1']);
      expect(rows.map((r) => r.expanded)).toEqual([true, true, undefined]);
      expect(rows.map((r) => r.matchesFilter)).toEqual([false, false, true]);
      expect(brief(m.rows('ÜBER'))).toEqual(brief(rows));
      expect(brief(m.rows('  txt '))).toEqual(['Drive 1/1', '  Alpha 1/2', '    notes.txt 1/1', '  c.txt 2/2']);
    });

    it('shows no status rows and nothing when no loaded node matches', () => {
      let m = sample();
      m = m.withExpanded('d', true);
      m = m.withExpanded('b', true);
      m = m.withLoading('b');
      expect(m.rows('beta').map((r) => r.kind)).toEqual(['node', 'node']);
      expect(m.rows('beta')[1]!.expanded).toBe(false);
      expect(m.rows('zzz')).toEqual([]);
    });

    it('an empty or blank filter is no filter', () => {
      const m = sample();
      expect(m.rows('   ')).toEqual(m.rows(''));
    });
  });
});

describe('applyPage', () => {
  it('replaces on a first page, appends later pages, de-duplicates', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L1');
    m = m.withPage({
      listingId: 'L1',
      parentId: 'r',
      first: true,
      done: false,
      nodes: [file('x', 'r'), file('y', 'r')],
    });
    m = m.withPage({
      listingId: 'L1',
      parentId: 'r',
      first: false,
      done: true,
      nodes: [file('y', 'r'), file('z', 'r')],
    });
    expect(m.state.children.get('r')).toEqual(['x', 'y', 'z']);
    expect(m.getListing('r')).toMatchObject({ loading: false, done: true });
  });

  it('ignores pages of another listing than the one being followed', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withLoading('r', 'L1');
    m = m.withPage({ listingId: 'L1', parentId: 'r', first: true, done: false, nodes: [file('x', 'r')] });
    m = m.withLoading('r', 'L2'); // refresh
    m = m.withPage({ listingId: 'L1', parentId: 'r', first: false, done: true, nodes: [file('stale', 'r')] });
    expect(m.state.children.get('r')).toEqual(['x']);
    expect(m.getListing('r')!.loading).toBe(true);
    m = m.withPage({ listingId: 'L2', parentId: 'r', first: true, done: true, nodes: [file('n', 'r')] });
    expect(m.state.children.get('r')).toEqual(['n']);
  });

  it('without a listing id, waits for a first page and adopts its listing', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withLoading('r');
    m = m.withPage({ listingId: 'old', parentId: 'r', first: false, done: true, nodes: [file('stale', 'r')] });
    expect(m.state.children.get('r')).toBeUndefined();
    m = m.withPage({ listingId: 'new', parentId: 'r', first: true, done: false, nodes: [file('a', 'r')] });
    m = m.withLoading('r', 'new'); // the invoke resolved after the first page: no reset
    m = m.withPage({ listingId: 'new', parentId: 'r', first: false, done: true, nodes: [file('b', 'r')] });
    expect(m.state.children.get('r')).toEqual(['a', 'b']);
    expect(m.getListing('r')!.loading).toBe(false);
  });

  it('refresh keeps the expansion of returning children and prunes vanished subtrees when done', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withPage(page('r', [folder('keep', 'r'), folder('gone', 'r')]));
    m = m.withPage(page('keep', [file('k1', 'keep')]));
    m = m.withPage(page('gone', [file('g1', 'gone')]));
    m = m.withExpanded('r', true);
    m = m.withExpanded('keep', true);
    m = m.withExpanded('gone', true);
    m = m.withLoading('r', 'R2');
    m = m.withPage({ listingId: 'R2', parentId: 'r', first: true, done: false, nodes: [folder('keep', 'r')] });
    expect(m.getNode('gone')).toBeDefined(); // not pruned before the listing is done
    m = m.withPage({ listingId: 'R2', parentId: 'r', first: false, done: true, nodes: [file('new', 'r')] });
    expect(m.getNode('gone')).toBeUndefined();
    expect(m.getNode('g1')).toBeUndefined();
    expect(m.isExpanded('gone')).toBe(false);
    expect(m.rows().map((r) => r.id)).toEqual(['r', 'keep', 'k1', 'new']);
  });

  it('a first page that only carries an error keeps the previous children', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withPage(page('r', [file('a', 'r')]));
    m = m.withLoading('r', 'R2');
    m = m.withPage({
      listingId: 'R2',
      parentId: 'r',
      first: true,
      done: true,
      nodes: [],
      error: { code: 'network', message: 'x' },
    });
    expect(m.state.children.get('r')).toEqual(['a']);
    expect(m.getListing('r')!.error?.code).toBe('network');
  });
});

describe('memoisation', () => {
  it('returns the same array while nothing changed, and a new one after a change', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    const a = m.rows();
    expect(m.rows()).toBe(a);
    expect(m.rows('r')).not.toBe(a);
    m = m.withExpanded('r', true);
    expect(m.rows()).not.toBe(a);
    const v = m.version;
    m = m.withExpanded('r', true); // no-op
    expect(m.version).toBe(v);
  });

  it('a change returns a new snapshot and leaves the published one as it was', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withPage(page('r', [file('x', 'r'), folder('sub', 'r')]));
    m = m.withPage(page('sub', [file('s1', 'sub')]));
    const published = m;
    const rowsBefore = published.rows();
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L2');
    m = m.withPage({ listingId: 'L2', parentId: 'r', first: true, done: true, nodes: [file('x', 'r', 'renamed')] });
    expect(m.getNode('sub')).toBeUndefined(); // pruned in the new snapshot…
    expect(m.getNode('x')!.name).toBe('renamed');
    expect(published.getNode('sub')).toBeDefined(); // …but not in the published one
    expect(published.getNode('s1')).toBeDefined();
    expect(published.getNode('x')!.name).toBe('x');
    expect(published.isExpanded('r')).toBe(false);
    expect(published.state.children.get('r')).toEqual(['x', 'sub']);
    expect(published.rows()).toBe(rowsBefore);
    expect(m.version).toBeGreaterThan(published.version);
  });

  it('keeps the identity of unchanged rows when a page is appended', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L');
    m = m.withPage({
      listingId: 'L',
      parentId: 'r',
      first: true,
      done: false,
      total: 3000,
      nodes: manyFiles('r', 1000),
    });
    const before = m.rows();
    m = m.withPage({
      listingId: 'L',
      parentId: 'r',
      first: false,
      done: false,
      total: 3000,
      nodes: manyFiles('r', 1000, 1000),
    });
    const after = m.rows();
    expect(after).toHaveLength(2002);
    for (let i = 0; i < 1001; i++) expect(after[i]).toBe(before[i]);
    expect(after[1001]!.id).toBe('r/f1000');
  });
});

describe('performance', () => {
  function bigModel(count: number, total?: number, finish = true) {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L');
    for (let p = 0; p * 1000 < count; p++) {
      m = m.withPage({
        listingId: 'L',
        parentId: 'r',
        first: p === 0,
        done: finish && (p + 1) * 1000 >= count,
        ...(total !== undefined ? { total } : {}),
        nodes: manyFiles('r', Math.min(1000, count - p * 1000), p * 1000),
      });
    }
    return m;
  }

  it('flattens a 20,000-child folder in < 20 ms of CPU (median of 9 after a warm-up)', () => {
    const m = bigModel(20_000);
    const times: number[] = [];
    const w0 = cpuClock();
    let rows: VisibleRow[] = flatten(m.state, m.rootIds); // one warm-up run, not counted
    const warmUp = cpuClock() - w0;
    for (let i = 0; i < 9; i++) {
      const t0 = cpuClock();
      rows = flatten(m.state, m.rootIds);
      times.push(cpuClock() - t0);
    }
    expect(rows).toHaveLength(20_001);
    expect(rows[20_000]).toMatchObject({ posInSet: 20_000, setSize: 20_000, level: 2 });
    const med = median(times);
    console.info(
      `[tree perf] flatten 20k: median ${med.toFixed(2)} ms (cold ${warmUp.toFixed(1)} ms; runs ${times.map((t) => t.toFixed(1)).join(', ')})`,
    );
    expect(med).toBeLessThan(20);
  });

  it('filters 20,000 children in < 40 ms of CPU (median of 5)', () => {
    const m = bigModel(20_000);
    const times: number[] = [];
    let rows: VisibleRow[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = cpuClock();
      rows = flatten(m.state, m.rootIds, '0042');
      times.push(cpuClock() - t0);
    }
    // names are "file 00000".."file 19999": "0042" is in 00042, 00420..00429 and 10042 → 12 matches + the root
    expect(rows).toHaveLength(13);
    expect(rows.every((r) => r.level === 1 || r.node.name.includes('0042'))).toBe(true);
    const med = median(times);
    console.info(`[tree perf] filter 20k: median ${med.toFixed(2)} ms`);
    expect(med).toBeLessThan(40);
  });

  it('appends page 20 (1,000 nodes) to 19,000 and re-reads rows in < 20 ms of CPU (median of 7)', () => {
    const times: number[] = [];
    for (let run = 0; run < 7; run++) {
      let m = bigModel(19_000, 20_000, false);
      m.rows(); // the store read rows after page 19
      const t0 = cpuClock();
      m = m.withPage({
        listingId: 'L',
        parentId: 'r',
        first: false,
        done: true,
        total: 20_000,
        nodes: manyFiles('r', 1000, 19_000),
      });
      const rows = m.rows();
      times.push(cpuClock() - t0);
      expect(rows).toHaveLength(20_001);
      expect(rows[20_000]).toMatchObject({ posInSet: 20_000, setSize: 20_000 });
    }
    const med = median(times);
    console.info(`[tree perf] append page 20 to 19k + rows(): median ${med.toFixed(2)} ms`);
    expect(med).toBeLessThan(20);
  });

  it('total work for streaming 20 pages stays linear-ish (20 pages + rows() after each < 400 ms of CPU)', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null)]);
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L');
    const pages = Array.from({ length: 20 }, (_, p) => manyFiles('r', 1000, p * 1000));
    const t0 = cpuClock();
    pages.forEach((nodes, p) => {
      m = m.withPage({ listingId: 'L', parentId: 'r', first: p === 0, done: p === 19, total: 20_000, nodes });
      m.rows();
    });
    const ms = cpuClock() - t0;
    console.info(`[tree perf] 20 pages streamed with rows() after each: ${ms.toFixed(1)} ms`);
    expect(m.rows()).toHaveLength(20_001);
    expect(ms).toBeLessThan(400);
  });
});

describe('createTreeState', () => {
  it('flatten is pure over a plain state', () => {
    const s = createTreeState();
    s.nodes.set('r', folder('r', null));
    s.nodes.set('x', file('x', 'r'));
    s.children.set('r', ['x']);
    s.expanded.add('r');
    s.listings.set('r', { loading: false, done: true });
    expect(brief(flatten(s, ['r']))).toEqual(['r 1/1', '  x 1/1']);
    expect(s.expanded.size).toBe(1);
  });
});
