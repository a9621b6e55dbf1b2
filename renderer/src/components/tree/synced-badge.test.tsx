/**
 * A folder a sync pair keeps is marked in the tree (issue 21.3): a "Synced" badge on its row, read
 * in the row's description with the pair's local folder, in English and German; other rows carry none.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { createTreeModel } from '../../store/tree/snapshot';
import { de } from './tree-strings';
import { file, folder, Harness } from './test-support';

afterEach(cleanup);

const spies = () => ({ onFocus: vi.fn(), onToggle: vi.fn(), onActivate: vi.fn(), onSelect: vi.fn(), onRetry: vi.fn() });
const item = (name: string) => screen.getByRole('treeitem', { name });
/** What is read of an element: its text without the parts hidden from assistive technology. */
function readText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return copy.textContent ?? '';
}
/** The accessible description: the read texts of the aria-describedby targets. */
const description = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => {
      const target = document.getElementById(id);
      return target ? readText(target) : `<missing ${id}>`;
    })
    .join(' ');

const model = () =>
  createTreeModel()
    .withRoots([folder('d', null, 'Drive', { kind: 'drive' })])
    .withExpanded('d', true)
    .withLoading('d', 'L1')
    .withPage({
      listingId: 'L1',
      parentId: 'd',
      first: true,
      done: true,
      nodes: [folder('p', 'd', 'Projects'), folder('o', 'd', 'Other'), file('f', 'd', 'a.txt')],
    });

const synced = new Map([['p', '/home/lea/Sync/Projects']]);

it('marks the rows sync pairs keep, with the local folder in the description and tooltip', () => {
  render(<Harness model={model()} spies={spies()} syncedTo={synced} />);
  const row = item('Projects');
  const badge = row.querySelector('.st-badge--synced')!;
  expect(badge.querySelector('[aria-hidden="true"]:not(svg)')!.textContent).toBe('Synced');
  expect(badge.getAttribute('title')).toBe('kept in sync with /home/lea/Sync/Projects');
  expect(description(row)).toContain('Synced, kept in sync with /home/lea/Sync/Projects');
  for (const other of ['Other', 'a.txt', 'Drive']) {
    expect(item(other).querySelector('.st-badge--synced')).toBeNull();
    expect(description(item(other))).not.toContain('Synced');
  }
});

it('in German', () => {
  render(<Harness model={model()} spies={spies()} syncedTo={synced} labels={de} locale="de" />);
  expect(description(item('Projects'))).toContain('Synchron, synchron gehalten mit /home/lea/Sync/Projects');
});
