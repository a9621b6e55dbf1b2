import { describe, expect, it } from 'vitest';
import type { SourceNode } from '../../../shared/model/sources';
import { DEFAULT_COLUMN_WIDTHS } from '../../../shared/model/layout';
import type { VisibleRow } from './tree';
import { NAME_MIN, ROW_CHROME, clampWidth, filledColumns, maxWidth, planColumns } from './columns';

const row = (node: Partial<SourceNode>, kind: VisibleRow['kind'] = 'node'): VisibleRow => ({
  kind,
  id: node.id ?? 'x',
  node: { id: 'x', parentId: null, kind: 'file', name: 'x', expandable: false, downloadable: true, ...node },
  parentId: null,
  level: 1,
  posInSet: 1,
  setSize: 1,
  loading: false,
});

describe('filledColumns', () => {
  it('calendars, address books and mailboxes leave Size and Modified empty', () => {
    const rows = [
      row({ kind: 'calendar', name: 'Work', downloadable: true }),
      row({ kind: 'addressbook', name: 'Contacts' }),
      row({ kind: 'mailbox', name: 'lea@example.ch', expandable: true }),
    ];
    expect(filledColumns(rows)).toEqual({ size: false, modified: false });
  });

  it('a file with a size and a date fills both; a folder’s size never counts', () => {
    expect(filledColumns([row({ kind: 'folder', size: 100 })])).toEqual({ size: false, modified: false });
    expect(filledColumns([row({ kind: 'folder', modifiedAt: 1 })])).toEqual({ size: false, modified: true });
    expect(filledColumns([row({ kind: 'file', size: 0, modifiedAt: 5 })])).toEqual({ size: true, modified: true });
  });

  it('status rows (Loading…, errors) never fill a column, whatever their parent has', () => {
    expect(filledColumns([row({ kind: 'file', size: 10, modifiedAt: 5 }, 'status')])).toEqual({
      size: false,
      modified: false,
    });
  });
});

describe('planColumns', () => {
  const both = { size: true, modified: true };

  it('an empty column gets width 0 (its space goes to Name)', () => {
    expect(planColumns(DEFAULT_COLUMN_WIDTHS, { size: true, modified: false }, 1000)).toEqual({
      size: DEFAULT_COLUMN_WIDTHS.size,
      modified: 0,
    });
  });

  it('keeps the user’s widths while Name has at least NAME_MIN', () => {
    const widths = { size: 100, modified: 150 };
    expect(planColumns(widths, both, ROW_CHROME + NAME_MIN + 250)).toEqual(widths);
    expect(planColumns(widths, both, null)).toEqual(widths);
  });

  it('in a narrow tree Modified steps aside first, then Size, so Name keeps NAME_MIN', () => {
    const widths = { size: 100, modified: 150 };
    expect(planColumns(widths, both, ROW_CHROME + NAME_MIN + 249)).toEqual({ size: 100, modified: 0 });
    expect(planColumns(widths, both, ROW_CHROME + NAME_MIN + 99)).toEqual({ size: 0, modified: 0 });
  });

  it('a tree at the minimum window (640 px less a 240 px Details pane) keeps Name ≥ NAME_MIN', () => {
    const available = 640 - 240 - 4;
    const plan = planColumns(DEFAULT_COLUMN_WIDTHS, both, available);
    expect(available - ROW_CHROME - plan.size - plan.modified).toBeGreaterThanOrEqual(NAME_MIN);
    expect(plan.size).toBe(DEFAULT_COLUMN_WIDTHS.size);
  });
});

describe('maxWidth and clampWidth', () => {
  it('a column may not grow past what leaves Name its NAME_MIN', () => {
    const plan = { size: 100, modified: 150 };
    expect(maxWidth('size', plan, 800)).toBe(800 - ROW_CHROME - NAME_MIN - 150);
    expect(maxWidth('modified', plan, 800)).toBe(800 - ROW_CHROME - NAME_MIN - 100);
  });

  it('widths stay within the stored range', () => {
    expect(clampWidth(10)).toBe(48);
    expect(clampWidth(9999)).toBe(480);
    expect(clampWidth(200, 150)).toBe(150);
    expect(clampWidth(200, 0)).toBe(48);
  });
});
