import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import axe from 'axe-core';
import { createTreeModel } from '../../store/tree/snapshot';
import type { TreeModel } from '../../store/tree/snapshot';
import { SourcesTree } from './sources-tree';
import { de, en } from './tree-strings';
import { file, folder, Harness, manyFiles, page, RECT } from './test-support';
import type { HarnessSpies } from './test-support';

function spies(): HarnessSpies & { [K in keyof HarnessSpies]-?: ReturnType<typeof vi.fn> } {
  return {
    onFocus: vi.fn(),
    onToggle: vi.fn(),
    onActivate: vi.fn(),
    onSelect: vi.fn(),
    onRetry: vi.fn(),
    onDragOutStart: vi.fn(),
  } as never;
}

const items = () => screen.queryAllByRole('treeitem');
const item = (name: string | RegExp) => screen.getByRole('treeitem', { name });
const tabbables = () => items().filter((el) => el.tabIndex === 0);
const focused = () => document.activeElement as HTMLElement;
/** The accessible description: the texts of the aria-describedby targets. */
const description = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? `<missing ${id}>`)
    .join(' ');
const aria = (el: Element) => ({
  level: el.getAttribute('aria-level'),
  posinset: el.getAttribute('aria-posinset'),
  setsize: el.getAttribute('aria-setsize'),
});

/** Drive ▸ Alpha (Über.pdf, notes.txt), Beta, Äpfel, c.txt — Drive and Alpha expanded. */
function smallModel(): TreeModel {
  let m = createTreeModel();
  m = m.withRoots([folder('d', null, 'Drive', { kind: 'drive', downloadable: false })]);
  m = m.withPage(
    page('d', [
      folder('a', 'd', 'Alpha'),
      folder('b', 'd', 'Beta'),
      folder('ae', 'd', 'Äpfel'),
      file('c', 'd', 'c.txt', { size: 1234, modifiedAt: Date.UTC(2025, 0, 2, 15, 4) }),
    ]),
  );
  m = m.withPage(page('a', [file('a1', 'a', 'Über.pdf', { fileType: 'pdf' }), file('a2', 'a', 'notes.txt')]));
  m = m.withExpanded('d', true);
  m = m.withExpanded('a', true);
  return m;
}

function bigModel(count = 20_000): TreeModel {
  let m = createTreeModel();
  m = m.withRoots([folder('r', null, 'Big')]);
  m = m.withPage(page('r', manyFiles('r', count), { total: count }));
  m = m.withExpanded('r', true);
  return m;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('virtualization', () => {
  it('renders a bounded number of rows for a 20,000-child folder, with full aria-setsize/posinset', () => {
    const m = bigModel();
    const s = spies();
    const t0 = performance.now();
    render(<Harness model={m} spies={s} />);
    const ms = performance.now() - t0;
    console.info(`[tree perf] first render of 20k-row tree: ${ms.toFixed(1)} ms`);
    const rows = items();
    expect(rows.length).toBeGreaterThan(20); // the viewport (20 rows) is filled
    expect(rows.length).toBeLessThan(200);
    expect(rows[0]!.getAttribute('aria-level')).toBe('1');
    const children = rows.slice(1);
    for (const [i, el] of children.entries()) {
      expect(el.getAttribute('aria-setsize')).toBe('20000');
      expect(el.getAttribute('aria-posinset')).toBe(String(i + 1));
      expect(el.getAttribute('aria-level')).toBe('2');
    }
    expect(screen.getByRole('tree').querySelector('.st-canvas')).toHaveProperty('style.height', `${20_001 * 28}px`);
  });

  it('keeps fewer than 200 rows while scrolling to the middle and to the end', () => {
    render(<Harness model={bigModel()} spies={spies()} />);
    const tree = screen.getByRole('tree');
    act(() => {
      tree.scrollTop = 10_000 * 28;
      tree.dispatchEvent(new Event('scroll'));
    });
    let rows = items();
    expect(rows.length).toBeLessThan(200);
    const positions = rows.map((el) => Number(el.getAttribute('aria-posinset')));
    expect(positions).toContain(10_000);
    expect(positions).toContain(10_010);
    // The focused (first) row stays mounted so keyboard focus survives scrolling.
    expect(rows.some((el) => el.tabIndex === 0 && el.getAttribute('aria-level') === '1')).toBe(true);
    act(() => {
      tree.scrollTop = 20_001 * 28 - RECT.height;
      tree.dispatchEvent(new Event('scroll'));
    });
    rows = items();
    expect(rows.length).toBeLessThan(200);
    expect(rows.at(-1)!.getAttribute('aria-posinset')).toBe('20000');
  });

  it('End focuses the last of 20,000 rows and scrolls it into view', async () => {
    // jsdom has no scrolling: record scrollTo, and give the scroller the sizes a browser would.
    const scrollTo = vi.fn(function (this: HTMLElement, opts: ScrollToOptions) {
      this.scrollTop = opts.top ?? 0;
    });
    Object.defineProperty(HTMLElement.prototype, 'scrollTo', { configurable: true, writable: true, value: scrollTo });
    try {
      const s = spies();
      render(<Harness model={bigModel()} spies={s} />);
      const tree = screen.getByRole('tree');
      Object.defineProperty(tree, 'scrollHeight', { configurable: true, value: 20_001 * 28 });
      Object.defineProperty(tree, 'clientHeight', { configurable: true, value: RECT.height });
      const user = userEvent.setup();
      await user.tab();
      await user.keyboard('{End}');
      expect(s.onFocus).toHaveBeenLastCalledWith('r/f19999');
      expect(focused().getAttribute('aria-posinset')).toBe('20000'); // mounted even before the scroll lands
      expect(scrollTo).toHaveBeenLastCalledWith(expect.objectContaining({ top: 20_001 * 28 - RECT.height }));
      act(() => {
        tree.dispatchEvent(new Event('scroll'));
      });
      expect(items().length).toBeLessThan(200);
      expect(items().map((el) => el.getAttribute('aria-posinset'))).toContain('19985');
      expect(focused().getAttribute('aria-posinset')).toBe('20000');
      await user.keyboard('{Home}');
      expect(focused()).toBe(item('Big'));
      expect(scrollTo).toHaveBeenLastCalledWith(expect.objectContaining({ top: 0 }));
    } finally {
      delete (HTMLElement.prototype as { scrollTo?: unknown }).scrollTo;
    }
  });

  it('row elements for unchanged rows are not re-rendered when a page is appended', () => {
    let m = createTreeModel();
    m = m.withRoots([folder('r', null, 'Big')]);
    m = m.withExpanded('r', true);
    m = m.withLoading('r', 'L');
    m = m.withPage({
      listingId: 'L',
      parentId: 'r',
      first: true,
      done: false,
      total: 20_000,
      nodes: manyFiles('r', 19_000),
    });
    const s = spies();
    const { rerender } = render(<Harness model={m} spies={s} />);
    const before = items()[5]!;
    const observer = new MutationObserver(() => undefined);
    observer.observe(screen.getByRole('tree'), {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    m = m.withPage({
      listingId: 'L',
      parentId: 'r',
      first: false,
      done: true,
      total: 20_000,
      nodes: manyFiles('r', 1000, 19_000),
    });
    rerender(<Harness model={m} spies={s} />);
    const mutations = observer.takeRecords();
    observer.disconnect();
    expect(items()[5]).toBe(before);
    // Only the canvas height and the parent row (no longer busy) change; the child rows stay untouched.
    const parentRow = items()[0]!;
    const touched = mutations.filter(
      (r) => !parentRow.contains(r.target) && !(r.target as Element).classList.contains('st-canvas'),
    );
    expect(touched).toEqual([]);
    expect(mutations.length).toBeGreaterThan(0); // the observer did see the parent row change
  });
});

describe('ARIA structure', () => {
  it('exposes a multiselectable tree with levels, expansion and one tabbable row', () => {
    render(<Harness model={smallModel()} spies={spies()} />);
    const tree = screen.getByRole('tree', { name: 'Sources' });
    expect(tree.getAttribute('aria-multiselectable')).toBe('true');
    expect(items().map((el) => el.getAttribute('aria-label'))).toEqual([
      'Drive',
      'Alpha',
      'Über.pdf',
      'notes.txt',
      'Beta',
      'Äpfel',
      'c.txt',
    ]);
    expect(item('Drive').getAttribute('aria-expanded')).toBe('true');
    expect(item('Beta').getAttribute('aria-expanded')).toBe('false');
    expect(item('c.txt').hasAttribute('aria-expanded')).toBe(false);
    expect(item('Über.pdf').getAttribute('aria-level')).toBe('3');
    expect(aria(item('Beta'))).toMatchObject({ posinset: '2', setsize: '4' });
    expect(item('c.txt').getAttribute('aria-selected')).toBe('false');
    expect(tabbables()).toEqual([item('Drive')]);
    // The column header is not part of the tree.
    const header = screen.getByText('Modified').closest('.st-header')!;
    expect(header.getAttribute('aria-hidden')).toBe('true');
    expect(tree.contains(header)).toBe(false);
  });

  it('has no serious or critical axe violations (structure; colours need a real browser)', async () => {
    let m = smallModel();
    m = m.withRoots([
      folder('d', null, 'Drive', { kind: 'drive' }),
      folder('mx', null, 'Old drive', { kind: 'drive', state: { kind: 'maintenance', reason: 'Moving data' } }),
    ]);
    m = m.withExpanded('b', true);
    m = m.withLoading('b', 'LB');
    m = m.withPage({
      listingId: 'LB',
      parentId: 'b',
      first: true,
      done: true,
      nodes: [],
      error: { code: 'network', message: 'Reset' },
    });
    const { container } = render(<Harness model={m} spies={spies()} initialSelected={['c']} />);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

describe('keyboard', () => {
  async function setup(opts: { model?: TreeModel; selected?: string[] } = {}) {
    const s = spies();
    const m = opts.model ?? smallModel();
    const utils = render(<Harness model={m} spies={s} initialSelected={opts.selected ?? []} />);
    const user = userEvent.setup();
    await user.tab();
    expect(focused()).toBe(items()[0]);
    return { s, m, user, ...utils };
  }

  it('Down/Up move focus, the roving tabindex and the selection together; Ctrl+arrows move focus only', async () => {
    const { s, user } = await setup();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(s.onFocus).toHaveBeenLastCalledWith('a1');
    expect(focused()).toBe(item('Über.pdf'));
    expect(tabbables()).toEqual([item('Über.pdf')]);
    expect(s.onSelect).toHaveBeenLastCalledWith(['a1'], 'replace');
    expect(item('Über.pdf').getAttribute('aria-selected')).toBe('true');
    expect(item('Alpha').getAttribute('aria-selected')).toBe('false');
    await user.keyboard('{ArrowUp}');
    expect(focused()).toBe(item('Alpha'));
    expect(s.onSelect).toHaveBeenLastCalledWith(['a'], 'replace');
    await user.keyboard('{ArrowUp}{ArrowUp}'); // stays on the first row
    expect(focused()).toBe(item('Drive'));
    const calls = s.onSelect.mock.calls.length;
    await user.keyboard('{Control>}{ArrowDown}{ArrowDown}{/Control}');
    expect(focused()).toBe(item('Über.pdf'));
    expect(s.onSelect).toHaveBeenCalledTimes(calls); // focus only
    expect(item('Drive').getAttribute('aria-selected')).toBe('true');
    expect(item('Über.pdf').getAttribute('aria-selected')).toBe('false');
    await user.keyboard(' '); // Space toggles the focused row into the selection
    expect(s.onSelect).toHaveBeenLastCalledWith(['a1'], 'toggle');
    expect(['Drive', 'Über.pdf'].map((n) => item(n).getAttribute('aria-selected'))).toEqual(['true', 'true']);
  });

  it('Right expands a closed node, then moves to its first child; Left collapses, then moves to the parent', async () => {
    const { s, user } = await setup();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowDown}'); // Beta
    expect(focused()).toBe(item('Beta'));
    await user.keyboard('{ArrowRight}');
    expect(s.onToggle).toHaveBeenLastCalledWith('b', true);
    expect(item('Beta').getAttribute('aria-expanded')).toBe('true');
    expect(item('Beta').getAttribute('aria-busy')).toBe('true');
    const loading = item('Loading…');
    expect(aria(loading)).toMatchObject({ level: '3', posinset: '1', setsize: '1' });
    await user.keyboard('{ArrowRight}');
    expect(focused()).toBe(loading);
    await user.keyboard('{ArrowLeft}'); // from a child: to the parent
    expect(focused()).toBe(item('Beta'));
    await user.keyboard('{ArrowLeft}'); // open: collapse
    expect(s.onToggle).toHaveBeenLastCalledWith('b', false);
    expect(screen.queryByRole('treeitem', { name: 'Loading…' })).toBeNull();
    await user.keyboard('{ArrowLeft}'); // closed: to the parent
    expect(focused()).toBe(item('Drive'));
    await user.keyboard('{ArrowRight}'); // open: first child
    expect(focused()).toBe(item('Alpha'));
    await user.keyboard('{ArrowDown}{ArrowRight}'); // a leaf: nothing
    expect(focused()).toBe(item('Über.pdf'));
    expect(s.onToggle).toHaveBeenCalledTimes(2);
  });

  it('Home/End, PageDown/PageUp', async () => {
    const { user } = await setup();
    await user.keyboard('{End}');
    expect(focused()).toBe(item('c.txt'));
    await user.keyboard('{Home}');
    expect(focused()).toBe(item('Drive'));
    await user.keyboard('{PageDown}'); // 19 rows per page, clamped to the last
    expect(focused()).toBe(item('c.txt'));
    await user.keyboard('{PageUp}');
    expect(focused()).toBe(item('Drive'));
  });

  it('PageDown moves by a viewport of rows in a big folder', async () => {
    const { user } = await setup({ model: bigModel(500) });
    await user.keyboard('{PageDown}');
    expect(focused().getAttribute('aria-posinset')).toBe('19'); // row index 19 = child 19
  });

  it('Enter activates; Space toggles selection; Shift+Up extends a range; Ctrl+A selects the current folder', async () => {
    const { s, user } = await setup();
    await user.keyboard('{End}{Enter}');
    expect(s.onActivate).toHaveBeenLastCalledWith('c');
    expect(item('c.txt').getAttribute('aria-selected')).toBe('true'); // End selected it
    await user.keyboard(' ');
    expect(s.onSelect).toHaveBeenLastCalledWith(['c'], 'toggle');
    expect(item('c.txt').getAttribute('aria-selected')).toBe('false');
    await user.keyboard(' ');
    expect(item('c.txt').getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Control>}{ArrowUp}{/Control}');
    expect(item('c.txt').getAttribute('aria-selected')).toBe('true'); // focus-only moves keep the selection
    await user.keyboard('{Shift>}{ArrowUp}{/Shift}');
    expect(s.onSelect).toHaveBeenLastCalledWith(['b', 'ae', 'c'], 'range');
    expect(focused()).toBe(item('Beta'));
    await user.keyboard('{Shift>} {/Shift}');
    expect(s.onSelect).toHaveBeenLastCalledWith(['b', 'ae', 'c'], 'range');
    await user.keyboard('{Control>}a{/Control}'); // the rows of Beta's folder, not Drive or Alpha's children
    expect(s.onSelect).toHaveBeenLastCalledWith(['a', 'b', 'ae', 'c'], 'replace');
    expect(items().map((el) => el.getAttribute('aria-selected'))).toEqual([
      'false',
      'true',
      'false',
      'false',
      'true',
      'true',
      'true',
    ]);
  });

  it('type-ahead: prefix within 500 ms, case- and diacritic-insensitive, repeated letter cycles', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const { s, user } = await setup();
    await user.keyboard('b');
    expect(focused()).toBe(item('Beta'));
    now.mockReturnValue(2_000);
    await user.keyboard('u'); // "ü" folds to "u": Über.pdf (search wraps around)
    expect(focused()).toBe(item('Über.pdf'));
    now.mockReturnValue(3_000);
    await user.keyboard('a'); // next row whose name starts with a/ä after Über.pdf: Äpfel
    expect(focused()).toBe(item('Äpfel'));
    await user.keyboard('a'); // "aa" (same letter): the next "a" row, wrapping: Alpha
    expect(focused()).toBe(item('Alpha'));
    now.mockReturnValue(4_000);
    await user.keyboard('ä'); // typed "ä" matches "Alpha"/"Äpfel" alike: next after Alpha is Äpfel
    expect(focused()).toBe(item('Äpfel'));
    await user.keyboard('p'); // "äp" keeps the current row when it still matches
    expect(focused()).toBe(item('Äpfel'));
    now.mockReturnValue(5_000);
    await user.keyboard('n');
    expect(focused()).toBe(item('notes.txt'));
    now.mockReturnValue(5_300);
    await user.keyboard('o'); // "no" still notes.txt
    expect(focused()).toBe(item('notes.txt'));
    now.mockReturnValue(6_000);
    await user.keyboard('z'); // no match: stays
    expect(focused()).toBe(item('notes.txt'));
    expect(s.onSelect).toHaveBeenLastCalledWith(['a2'], 'replace'); // selection follows type-ahead
  });

  it('Space while typing a name continues the prefix instead of selecting', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000);
    let m = smallModel();
    m = m.withPage(page('d', [file('x1', 'd', 'my notes'), file('x2', 'd', 'my photos')]));
    const { s, user } = await setup({ model: m });
    await user.keyboard('my p');
    expect(focused()).toBe(item('my photos'));
    expect(s.onSelect.mock.calls.filter(([, mode]) => mode !== 'replace')).toEqual([]); // never toggled by Space
    expect(s.onSelect).toHaveBeenLastCalledWith(['x2'], 'replace');
  });

  it('does not activate or expand a disabled node', async () => {
    let m = createTreeModel();
    m = m.withRoots([folder('x', null, 'Mail', { kind: 'service', state: { kind: 'disabled', reason: 'Blocked' } })]);
    const { s, user } = await setup({ model: m });
    await user.keyboard('{Enter}{ArrowRight}');
    expect(s.onActivate).not.toHaveBeenCalled();
    expect(s.onToggle).not.toHaveBeenCalled();
    expect(item('Mail').getAttribute('aria-disabled')).toBe('true');
  });
});

describe('mouse', () => {
  it('click replaces, Ctrl-click toggles, Shift-click selects a range, double-click activates', async () => {
    const s = spies();
    render(<Harness model={smallModel()} spies={s} />);
    const user = userEvent.setup();
    await user.click(item('Alpha'));
    expect(s.onSelect).toHaveBeenLastCalledWith(['a'], 'replace');
    expect(s.onFocus).toHaveBeenLastCalledWith('a');
    expect(focused()).toBe(item('Alpha'));
    expect(tabbables()).toEqual([item('Alpha')]);
    await user.keyboard('[ControlLeft>]');
    await user.click(item('Beta'));
    await user.keyboard('[/ControlLeft]');
    expect(s.onSelect).toHaveBeenLastCalledWith(['b'], 'toggle');
    expect(['Alpha', 'Beta'].map((n) => item(n).getAttribute('aria-selected'))).toEqual(['true', 'true']);
    await user.keyboard('[ShiftLeft>]');
    await user.click(item('c.txt'));
    await user.keyboard('[/ShiftLeft]');
    expect(s.onSelect).toHaveBeenLastCalledWith(['b', 'ae', 'c'], 'range'); // anchor: the last plain/ctrl click
    expect(item('Alpha').getAttribute('aria-selected')).toBe('false');
    await user.keyboard('[MetaLeft>]');
    await user.click(item('Äpfel'));
    await user.keyboard('[/MetaLeft]');
    expect(s.onSelect).toHaveBeenLastCalledWith(['ae'], 'toggle');
    await user.dblClick(item('notes.txt'));
    expect(s.onActivate).toHaveBeenLastCalledWith('a2');
  });

  it('the chevron toggles without selecting', async () => {
    const s = spies();
    render(<Harness model={smallModel()} spies={s} />);
    const user = userEvent.setup();
    const chevron = item('Alpha').querySelector('[data-action="toggle"]')!;
    await user.click(chevron);
    expect(s.onToggle).toHaveBeenLastCalledWith('a', false);
    expect(s.onSelect).not.toHaveBeenCalled();
    expect(screen.queryByRole('treeitem', { name: 'Über.pdf' })).toBeNull();
    expect(item('c.txt').querySelector('[data-action="toggle"]')).toBeNull();
  });
});

describe('Ctrl+A', () => {
  it('never selects connections, services or accounts', async () => {
    let m = createTreeModel();
    m = m.withRoots([
      folder('c1', null, 'Anna', { kind: 'connection', downloadable: false }),
      folder('c2', null, 'Ben', { kind: 'connection', downloadable: false }),
    ]);
    m = m.withPage(page('c1', [folder('s1', 'c1', 'kDrive', { kind: 'service', downloadable: false })]));
    m = m.withExpanded('c1', true);
    const s = spies();
    render(<Harness model={m} spies={s} />);
    const user = userEvent.setup();
    await user.tab();
    await user.keyboard('{Control>}a{/Control}');
    expect(s.onSelect).toHaveBeenLastCalledWith([], 'replace');
    await user.keyboard('{Control>}{ArrowDown}{/Control}{Control>}a{/Control}');
    expect(s.onSelect).toHaveBeenLastCalledWith([], 'replace');
  });
});

describe('context menu', () => {
  it('right-click and Shift+F10 select an unselected row (a selected one keeps the selection), focus it and ask for the menu', async () => {
    const s = spies();
    const onContextMenu = vi.fn();
    render(<Harness model={smallModel()} spies={s} initialSelected={['b', 'c']} onContextMenu={onContextMenu} />);
    const user = userEvent.setup();
    await user.pointer({ keys: '[MouseRight]', target: item('Alpha') });
    expect(s.onSelect).toHaveBeenLastCalledWith(['a'], 'replace');
    expect(onContextMenu).toHaveBeenLastCalledWith('a', { x: expect.any(Number), y: expect.any(Number) });
    expect(focused()).toBe(item('Alpha'));
    await user.keyboard('[ControlLeft>]');
    await user.click(item('Beta'));
    await user.keyboard('[/ControlLeft]');
    s.onSelect.mockClear();
    await user.pointer({ keys: '[MouseRight]', target: item('Beta') });
    expect(s.onSelect).not.toHaveBeenCalled(); // the menu acts on Alpha and Beta
    expect(onContextMenu).toHaveBeenLastCalledWith('b', expect.anything());
    await user.keyboard('{ArrowDown}{Shift>}{F10}{/Shift}');
    expect(s.onSelect).toHaveBeenLastCalledWith(['ae'], 'replace');
    expect(onContextMenu).toHaveBeenLastCalledWith('ae', expect.anything());
    await user.keyboard('{ContextMenu}');
    expect(onContextMenu).toHaveBeenCalledTimes(4);
    expect(s.onSelect).toHaveBeenCalledTimes(1);
  });
});

describe('Save to… from the keyboard', () => {
  it('Ctrl+S and Cmd+S ask the owner to save the selection (the keyboard equivalent of a drag); a plain s types ahead', async () => {
    const s = spies();
    const onSaveTo = vi.fn();
    render(<Harness model={smallModel()} spies={s} initialSelected={['a']} initialFocus="a" onSaveTo={onSaveTo} />);
    const user = userEvent.setup();
    item('Alpha').focus();
    await user.keyboard('{Control>}s{/Control}');
    expect(onSaveTo).toHaveBeenCalledTimes(1);
    await user.keyboard('{Meta>}S{/Meta}');
    expect(onSaveTo).toHaveBeenCalledTimes(2);
    await user.keyboard('s'); // without a modifier it is type-ahead, not Save
    expect(onSaveTo).toHaveBeenCalledTimes(2);
  });
});

describe('Ctrl/Cmd+Enter downloads', () => {
  it('downloads the focused folder instead of opening it; plain Enter still opens; a drive that cannot be downloaded is left alone', async () => {
    const s = spies();
    const onDownload = vi.fn();
    render(<Harness model={smallModel()} spies={s} initialFocus="b" onDownload={onDownload} />);
    const user = userEvent.setup();
    item('Beta').focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onDownload).toHaveBeenCalledWith('b');
    expect(s.onActivate).not.toHaveBeenCalled();
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    expect(onDownload).toHaveBeenCalledTimes(2);
    await user.keyboard('{Enter}');
    expect(s.onActivate).toHaveBeenCalledWith('b');
    item('Drive').focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onDownload).toHaveBeenCalledTimes(2);
  });
});

describe('loading and errors', () => {
  it('shows a Loading… row under an expanded, loading folder, then the children', () => {
    let m = smallModel();
    const s = spies();
    const { rerender } = render(<Harness model={m} spies={s} />);
    m = m.withExpanded('b', true);
    m = m.withLoading('b', 'LB');
    rerender(<Harness model={m} spies={s} />);
    expect(item('Loading…')).toBeTruthy();
    expect(item('Beta').getAttribute('aria-busy')).toBe('true');
    m = m.withPage({ listingId: 'LB', parentId: 'b', first: true, done: true, nodes: [file('b1', 'b', 'inside.txt')] });
    rerender(<Harness model={m} spies={s} />);
    expect(screen.queryByRole('treeitem', { name: 'Loading…' })).toBeNull();
    expect(item('inside.txt').getAttribute('aria-level')).toBe('3');
    expect(item('Beta').hasAttribute('aria-busy')).toBe(false);
  });

  it('an error row carries the message and a reachable Retry button', async () => {
    let m = smallModel();
    m = m.withExpanded('b', true);
    m = m.withLoading('b', 'LB');
    m = m.withPage({
      listingId: 'LB',
      parentId: 'b',
      first: true,
      done: true,
      nodes: [],
      error: { code: 'network', message: 'Connection reset' },
    });
    const s = spies();
    render(<Harness model={m} spies={s} />);
    const row = item('Could not load: Connection reset');
    const retry = within(row).getByRole('button', { name: 'Retry' });
    expect(retry.tabIndex).toBe(-1); // only reachable by Tab while its row has focus
    const user = userEvent.setup();
    await user.click(retry);
    expect(s.onRetry).toHaveBeenCalledWith('b');
    expect(s.onSelect).not.toHaveBeenCalled();

    await user.click(item('Beta'));
    await user.keyboard('{ArrowDown}');
    expect(focused()).toBe(row);
    expect(retry.tabIndex).toBe(0);
    await user.keyboard('{Enter}'); // Enter on the error row retries
    expect(s.onRetry).toHaveBeenCalledTimes(2);
    await user.tab();
    expect(focused()).toBe(retry);
    await user.keyboard('{Enter}');
    expect(s.onRetry).toHaveBeenCalledTimes(3);
    expect(focused()).toBe(retry); // the tree does not steal focus back from the button
  });

  it('keeps keyboard focus in place when the focused Loading… row is replaced by children', async () => {
    let m = smallModel();
    const s = spies();
    const { rerender } = render(<Harness model={m} spies={s} />);
    const user = userEvent.setup();
    await user.click(item('Beta'));
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(focused()).toBe(item('Loading…'));
    m = m.withExpanded('b', true); // what the owner did on ArrowRight
    m = m.withPage(page('b', [file('b1', 'b', 'inside.txt'), file('b2', 'b', 'more.txt')]));
    rerender(<Harness model={m} spies={s} />);
    expect(focused()).toBe(item('inside.txt'));
    expect(s.onFocus).toHaveBeenLastCalledWith('b1');
    expect(tabbables()).toEqual([item('inside.txt')]);
  });

  it('returns focus to the row when the focused Retry button goes away', async () => {
    let m = smallModel();
    m = m.withExpanded('b', true);
    m = m.withError('b', { code: 'network', message: 'Reset' });
    const s = spies();
    const { rerender } = render(<Harness model={m} spies={s} />);
    const user = userEvent.setup();
    await user.click(item('Beta'));
    await user.keyboard('{ArrowDown}');
    await user.tab();
    expect(focused()).toBe(screen.getByRole('button', { name: 'Retry' }));
    await user.keyboard(' ');
    expect(s.onRetry).toHaveBeenCalledWith('b');
    m = m.withLoading('b', 'again');
    rerender(<Harness model={m} spies={s} />);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(focused()).toBe(item('Loading…'));
  });

  it('does not take focus while the user is outside the tree', () => {
    let m = smallModel();
    const s = spies();
    const { rerender } = render(
      <>
        <input aria-label="Filter" />
        <Harness model={m} spies={s} initialFocus="c" />
      </>,
    );
    const input = screen.getByRole('textbox', { name: 'Filter' });
    input.focus();
    m = m.withExpanded('b', true);
    rerender(
      <>
        <input aria-label="Filter" />
        <Harness model={m} spies={s} initialFocus="c" />
      </>,
    );
    expect(focused()).toBe(input);
    expect(tabbables()).toEqual([item('c.txt')]);
  });

  it('does not pull focus back after the user left the tree, even when the last focused row goes away', async () => {
    let m = smallModel();
    const s = spies();
    const ui = () => (
      <>
        <Harness model={m} spies={s} />
        <p>Elsewhere</p>
      </>
    );
    const { rerender } = render(ui());
    const user = userEvent.setup();
    await user.click(item('notes.txt'));
    await user.click(screen.getByText('Elsewhere')); // not focusable: focus goes to <body>
    expect(focused()).toBe(document.body);
    await Promise.resolve();
    m = m.withExpanded('a', false); // notes.txt leaves the DOM
    rerender(ui());
    expect(focused()).toBe(document.body);
  });

  it('shows Empty under an expanded folder without children', () => {
    let m = smallModel();
    m = m.withPage(page('b', []));
    m = m.withExpanded('b', true);
    render(<Harness model={m} spies={spies()} />);
    expect(item('Empty').getAttribute('aria-level')).toBe('3');
  });

  it('uses formatError for the message', () => {
    let m = smallModel();
    m = m.withExpanded('b', true);
    m = m.withError('b', { code: 'timeout', message: 'raw' });
    render(
      <SourcesTree
        rows={m.rows()}
        selectedIds={new Set()}
        focusedId={null}
        onFocus={vi.fn()}
        onToggle={vi.fn()}
        onActivate={vi.fn()}
        onSelect={vi.fn()}
        onRetry={vi.fn()}
        labels={de}
        locale="de"
        ariaLabel="Quellen"
        initialRect={RECT}
        formatError={(e) => `Zeitüberschreitung (${e.code})`}
      />,
    );
    expect(item('Laden fehlgeschlagen: Zeitüberschreitung (timeout)')).toBeTruthy();
    expect(within(item(/Laden fehlgeschlagen/)).getByRole('button', { name: 'Erneut versuchen' })).toBeTruthy();
  });
});

describe('filter', () => {
  it('keeps ancestors of matches, shown expanded', () => {
    let m = smallModel();
    m = m.withExpanded('a', false); // collapsed, but its loaded child matches
    render(<Harness model={m} spies={spies()} filter="uber" />);
    expect(items().map((el) => el.getAttribute('aria-label'))).toEqual(['Drive', 'Alpha', 'Über.pdf']);
    expect(item('Alpha').getAttribute('aria-expanded')).toBe('true');
    expect(aria(item('Über.pdf'))).toMatchObject({ posinset: '1', setsize: '1' });
    expect(item('Alpha').classList.contains('st-row--context')).toBe(true);
  });

  it('shows the empty text when nothing matches', () => {
    render(
      <SourcesTree
        rows={[]}
        selectedIds={new Set()}
        focusedId={null}
        onFocus={vi.fn()}
        onToggle={vi.fn()}
        onActivate={vi.fn()}
        onSelect={vi.fn()}
        onRetry={vi.fn()}
        labels={en}
        locale="en"
        ariaLabel="Sources"
        emptyText={en.noMatches}
      />,
    );
    expect(screen.getByRole('tree')).toBeTruthy();
    expect(screen.getByText(en.noMatches)).toBeTruthy();
  });
});

describe('columns, icons and states', () => {
  it('shows size (locale-aware, blank for folders), modified date and type icons', () => {
    const m = smallModel();
    render(<Harness model={m} spies={spies()} />);
    const cells = (name: string) => [...item(name).querySelectorAll('.st-cell')].map((c) => c.textContent);
    const when = new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short' }).format(
      Date.UTC(2025, 0, 2, 15, 4),
    );
    expect(cells('c.txt')).toEqual(['c.txt', '1.2 kB', when]);
    expect(cells('Beta')[1]).toBe('');
    expect(description(item('c.txt'))).toBe(`1.2 kB ${when}`);
    expect(item('Beta').hasAttribute('aria-describedby')).toBe(false);
    expect(item('Über.pdf').querySelector('svg')!.getAttribute('data-glyph')).toBe('pdf');
    expect(item('Beta').querySelector('svg[data-glyph="folder"]')).toBeTruthy();
    expect(item('Drive').querySelector('svg[data-glyph="drive"]')!.getAttribute('aria-hidden')).toBe('true');
    cleanup();
    render(<Harness model={m} spies={spies()} locale="de" />);
    const whenDe = new Intl.DateTimeFormat('de-CH', { dateStyle: 'short', timeStyle: 'short' }).format(
      Date.UTC(2025, 0, 2, 15, 4),
    );
    expect(cells('c.txt')).toEqual(['c.txt', '1.2 kB', whenDe]);
  });

  it('marks maintenance, locked and disabled nodes with a badge, a title and a description', () => {
    let m = createTreeModel();
    m = m.withRoots([
      folder('m', null, 'Team drive', { kind: 'drive', state: { kind: 'maintenance', reason: 'Moving data centre' } }),
      folder('l', null, 'Old drive', {
        kind: 'drive',
        expandable: false,
        downloadable: false,
        state: { kind: 'locked', reason: 'Unpaid subscription' },
      }),
      folder('x', null, 'Mail', {
        kind: 'service',
        service: 'mail',
        state: { kind: 'disabled', reason: 'Blocked by Infomaniak' },
      }),
      file('s', null, 'Event', { kind: 'event', subtitle: 'Tue 10:00' }),
    ]);
    render(<Harness model={m} spies={spies()} />);
    const team = item('Team drive');
    expect(team.title).toBe('Moving data centre');
    expect(team.textContent).toContain('In maintenance');
    // A drive says what it is first (an account often has the same name, 23.7).
    expect(description(team)).toBe('Drive In maintenance: Moving data centre');
    expect(team.getAttribute('draggable')).toBe('true');
    const old = item('Old drive');
    expect(old.textContent).toContain('Locked');
    expect(old.hasAttribute('aria-expanded')).toBe(false);
    expect(old.hasAttribute('draggable')).toBe(false);
    const mail = item('Mail');
    expect(mail.getAttribute('aria-disabled')).toBe('true');
    expect(mail.querySelector('svg.st-icon')!.getAttribute('data-glyph')).toBe('mail');
    expect(item('Event').querySelector('.st-subtitle')!.textContent).toBe('Tue 10:00');
    expect(description(item('Event'))).toBe('Tue 10:00 1.2 kB'); // subtitle and size (no date)
  });
});

describe('drag out', () => {
  it('drags the selected downloadable rows when a selected row is dragged, else just that row', () => {
    const s = spies();
    render(<Harness model={smallModel()} spies={s} initialSelected={['a1', 'a2', 'd']} />);
    fireEvent.dragStart(item('notes.txt'));
    expect(s.onDragOutStart).toHaveBeenLastCalledWith(['a1', 'a2'], expect.anything()); // the drive is not downloadable
    fireEvent.dragStart(item('c.txt'));
    expect(s.onDragOutStart).toHaveBeenLastCalledWith(['c'], expect.anything());
    fireEvent.dragStart(item('Drive'));
    expect(s.onDragOutStart).toHaveBeenCalledTimes(2);
    expect(item('Drive').hasAttribute('draggable')).toBe(false);
  });

  it('an account and a drive of the same name are told apart by their kind; "INBOX 4" is read "INBOX, 4 unread" (23.7)', () => {
    const m = createTreeModel().withRoots([
      folder('a', null, 'Muster AG', { kind: 'account' }),
      folder('d', null, 'Muster AG', { kind: 'drive' }),
      folder('in', null, 'INBOX', { kind: 'mailfolder', subtitle: '4' }),
      file('msg', null, 'Hello', { kind: 'message', subtitle: 'Anna' }),
    ]);
    render(<Harness model={m} spies={spies()} />);
    const [account, drive] = screen.getAllByRole('treeitem', { name: 'Muster AG' });
    expect(description(account!)).toBe('Account');
    expect(description(drive!)).toBe('Drive');
    const inbox = item('INBOX');
    expect(description(inbox)).toBe('4 unread');
    expect(inbox.textContent).toContain('4');
    expect(inbox.textContent).not.toMatch(/unread.*unread/);
    expect(description(item('Hello'))).toBe('Anna 1.2 kB');
  });
});
