/** A listing that waits for the token's request budget says so on its loading row (issue 9.8). */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { createTreeModel } from '../../store/tree/snapshot';
import { de } from './tree-strings';
import { file, folder, Harness } from './test-support';

afterEach(cleanup);

const spies = () => ({
  onFocus: vi.fn(),
  onToggle: vi.fn(),
  onActivate: vi.fn(),
  onSelect: vi.fn(),
  onRetry: vi.fn(),
});

it('the loading row counts down the rate-limit wait (en, de), then the children replace it', () => {
  let m = createTreeModel().withRoots([folder('d', null, 'Drive')]);
  m = m.withExpanded('d', true).withLoading('d', 'L1');
  const wait = (waitSeconds: number) =>
    m.withPage({ listingId: 'L1', parentId: 'd', first: false, done: false, nodes: [], waitSeconds });
  m = wait(12);
  const { rerender } = render(<Harness model={m} spies={spies()} />);
  expect(screen.getByRole('treeitem', { name: "Waiting for Infomaniak's rate limit, 12 s" })).toBeTruthy();
  m = wait(11);
  rerender(<Harness model={m} spies={spies()} />);
  expect(screen.getByRole('treeitem', { name: "Waiting for Infomaniak's rate limit, 11 s" })).toBeTruthy();
  m = wait(0);
  rerender(<Harness model={m} spies={spies()} />);
  expect(screen.getByRole('treeitem', { name: 'Loading…' })).toBeTruthy();
  m = wait(5).withPage({ listingId: 'L1', parentId: 'd', first: true, done: true, nodes: [file('f1', 'd', 'a.txt')] });
  rerender(<Harness model={m} spies={spies()} />);
  expect(screen.queryByRole('treeitem', { name: /rate limit|Loading/ })).toBeNull();
  expect(screen.getByRole('treeitem', { name: 'a.txt' })).toBeTruthy();
});

it('in German', () => {
  const m = createTreeModel()
    .withRoots([folder('d', null, 'Drive')])
    .withExpanded('d', true)
    .withLoading('d', 'L1')
    .withPage({ listingId: 'L1', parentId: 'd', first: false, done: false, nodes: [], waitSeconds: 7 });
  render(<Harness model={m} spies={spies()} locale="de" labels={de} />);
  expect(screen.getByRole('treeitem', { name: 'Wartet auf das Anfragelimit von Infomaniak, 7 s' })).toBeTruthy();
});
