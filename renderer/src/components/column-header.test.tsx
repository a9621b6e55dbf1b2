import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SortColumn, SortSpec } from '../../../shared/model/layout';
import { createAppStore } from '../store';
import { SORT_KEY, nextSort } from '../store/sources-slice';
import { ColumnHeader } from './column-header';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function header(sort: SortSpec, onSort: (c: SortColumn) => void) {
  return render(
    <ColumnHeader
      plan={{ size: 88, modified: 0 }}
      max={{ size: 200, modified: 200 }}
      labels={{ name: 'Name', size: 'Size', modified: 'Modified', columns: 'Columns' }}
      resizeLabels={{ size: 'Resize Size', modified: 'Resize Modified' }}
      onResize={() => undefined}
      sort={sort}
      onSort={onSort}
    />,
  );
}

describe('sorting by a column (23.4)', () => {
  it('each shown column sorts by a button; its header carries aria-sort', async () => {
    const sorted: SortColumn[] = [];
    header({ column: 'size', direction: 'desc' }, (c) => sorted.push(c));
    const headers = screen.getAllByRole('columnheader');
    expect(headers.map((h) => h.getAttribute('aria-sort'))).toEqual([null, 'descending', null]);
    // Modified has no room (width 0): no button to reach.
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Name', 'Size▼']);
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    screen.getByRole('button', { name: 'Size' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(sorted).toEqual(['name', 'size']);
  });

  it('the same column turns around; another starts like Finder (names A→Z, sizes and dates largest/newest first)', () => {
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'name')).toEqual({ column: 'name', direction: 'asc' });
    expect(nextSort({ column: 'name', direction: 'asc' }, 'size')).toEqual({ column: 'size', direction: 'desc' });
    expect(nextSort({ column: 'size', direction: 'desc' }, 'modified')).toEqual({
      column: 'modified',
      direction: 'desc',
    });
    expect(nextSort({ column: 'modified', direction: 'desc' }, 'name')).toEqual({ column: 'name', direction: 'asc' });
  });

  it('the sort is remembered: a new store (a reload) starts with it; anything unreadable gives Name A→Z', () => {
    createAppStore().getState().sortBy('modified');
    expect(createAppStore().getState().sort).toEqual({ column: 'modified', direction: 'desc' });
    localStorage.setItem(SORT_KEY, '{"column":"colour"}');
    expect(createAppStore().getState().sort).toEqual({ column: 'name', direction: 'asc' });
  });
});
