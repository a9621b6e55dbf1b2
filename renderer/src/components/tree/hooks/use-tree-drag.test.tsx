import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DragState } from '../../../../../shared/model/drag';
import { DragAnnouncer, dragRowTexts } from '../drag-status';
import type { DragLabels } from '../drag-status';
import { createTreeModel } from '../../../store/tree/snapshot';
import { SourcesTree } from '../sources-tree';
import type { TreeDragProps } from './use-tree-drag';
import { DWELL_MS } from './use-tree-drag';
import { en } from '../tree-strings';
import { file, folder, page, RECT } from '../test-support';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const LABELS: DragLabels = {
  preparing: 'Preparing… {{percent}} %',
  preparingUnknown: 'Preparing…',
  ready: 'Ready to drag',
  saveTo: 'Too large to drag: Save to…',
  failed: 'Not ready to drag',
  announcePreparing: 'Preparing {{name}}.',
  announceReady: '{{name}} is ready to drag.',
  announceSaveTo: '{{name}} is too large.',
  announceFailed: '{{name}} failed: {{message}}',
};

function model() {
  let m = createTreeModel();
  m = m.withRoots([folder('d', null, 'Drive', { kind: 'drive', downloadable: false })]);
  m = m.withPage(page('d', [file('f1', 'd', 'one.txt'), file('f2', 'd', 'two.txt')]));
  return m.withExpanded('d', true);
}

function renderTree(drag: TreeDragProps, selected: string[] = [], onDragOutStart = vi.fn()) {
  render(
    <SourcesTree
      rows={model().rows('')}
      selectedIds={new Set(selected)}
      focusedId={null}
      labels={en}
      locale="en"
      ariaLabel="Sources"
      initialRect={RECT}
      onFocus={vi.fn()}
      onToggle={vi.fn()}
      onActivate={vi.fn()}
      onSelect={vi.fn()}
      onRetry={vi.fn()}
      onDragOutStart={onDragOutStart}
      drag={drag}
    />,
  );
  return onDragOutStart;
}

const row = (name: string) => screen.getByRole('treeitem', { name });

function dataTransfer() {
  const data = new Map<string, string>();
  return {
    data,
    setData: (type: string, value: string) => void data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    effectAllowed: 'all',
  };
}

describe('useTreeDrag', () => {
  it('Electron: cancels the HTML drag and hands the ids to the owner (main starts the OS drag)', () => {
    const downloadUrl = vi.fn(() => 'x');
    const onDragOutStart = renderTree({ native: true, downloadUrl }, ['f1', 'f2']);
    const dt = dataTransfer();
    const event = fireEvent.dragStart(row('one.txt'), { dataTransfer: dt });
    expect(event).toBe(false); // preventDefault was called
    expect(onDragOutStart).toHaveBeenCalledWith(['f1', 'f2'], expect.anything());
    expect(downloadUrl).not.toHaveBeenCalled();
    expect(dt.data.size).toBe(0);
  });

  it('browser host: puts the DownloadURL data of a ready link on the drag', () => {
    const downloadUrl = vi.fn(() => 'text/plain:two.txt:http://127.0.0.1:1/drag/n.m');
    renderTree({ native: false, downloadUrl });
    const dt = dataTransfer();
    const event = fireEvent.dragStart(row('two.txt'), { dataTransfer: dt });
    expect(event).toBe(true);
    expect(downloadUrl).toHaveBeenCalledWith(['f2']);
    expect(dt.data.get('DownloadURL')).toBe('text/plain:two.txt:http://127.0.0.1:1/drag/n.m');
    expect(dt.effectAllowed).toBe('copy');
  });

  it('starts no drag on keyboard moves or plain clicks: only dragstart does (past the drag threshold)', () => {
    const onDragOutStart = renderTree({ native: true }, ['f1']);
    const tree = screen.getByRole('tree');
    for (let i = 0; i < 20; i++) {
      fireEvent.keyDown(tree, { key: i % 2 ? 'ArrowUp' : 'ArrowDown' });
      fireEvent.click(row(i % 2 ? 'one.txt' : 'two.txt'));
    }
    fireEvent.pointerDown(row('one.txt'), { button: 0 });
    fireEvent.pointerUp(row('one.txt'), { button: 0 });
    expect(onDragOutStart).not.toHaveBeenCalled();
    fireEvent.dragStart(row('one.txt'), { dataTransfer: dataTransfer() });
    expect(onDragOutStart).toHaveBeenCalledTimes(1);
  });

  it('tells the owner of a row the pointer rests on for 300 ms, and at once of one that is pressed', () => {
    vi.useFakeTimers();
    const onDwell = vi.fn();
    renderTree({ native: true, onDwell });
    fireEvent.pointerMove(row('one.txt'));
    act(() => void vi.advanceTimersByTime(DWELL_MS - 50));
    fireEvent.pointerMove(row('one.txt'));
    act(() => void vi.advanceTimersByTime(40));
    expect(onDwell).not.toHaveBeenCalled();
    act(() => void vi.advanceTimersByTime(20));
    expect(onDwell).toHaveBeenCalledWith('f1');
    fireEvent.pointerMove(row('two.txt'));
    fireEvent.pointerLeave(screen.getByRole('tree'));
    act(() => void vi.advanceTimersByTime(DWELL_MS * 2));
    expect(onDwell).toHaveBeenCalledTimes(1); // left before the dwell
    fireEvent.pointerDown(row('two.txt'), { button: 0 });
    expect(onDwell).toHaveBeenLastCalledWith('f2');
    fireEvent.pointerMove(row('Drive'));
    act(() => void vi.advanceTimersByTime(DWELL_MS * 2));
    expect(onDwell).toHaveBeenCalledTimes(2); // the drive is not downloadable
  });

  it('shows the drag state on the row being dragged and in its accessible description, on no other row', () => {
    const states = new Map<string, DragState>([
      ['f1', { nodeId: 'f1', state: 'preparing', bytesDone: 40, bytesTotal: 100 }],
      ['f2', { nodeId: 'f2', state: 'ready', bytesDone: 100, bytesTotal: 100 }],
    ]);
    renderTree({ native: true, rowText: dragRowTexts(states, LABELS, ['f1']) });
    const describedBy = (name: string) =>
      (row(name).getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
    expect(describedBy('one.txt')).toContain('Preparing… 40 %');
    // f2 was staged by an earlier drag, but it is not being dragged now: its row says nothing.
    expect(describedBy('two.txt')).not.toContain('Ready to drag');
    expect(screen.queryByText('Ready to drag')).toBeNull();
  });
});

describe('DragAnnouncer', () => {
  it('announces state changes of the watched items politely, not progress', () => {
    const names = (id: string) => ({ f1: 'one.txt', f2: 'two.txt' })[id] ?? id;
    const s = (state: DragState['state'], done = 0): DragState => ({
      nodeId: 'f1',
      state,
      bytesDone: done,
      bytesTotal: 100,
    });
    const view = render(
      <DragAnnouncer states={new Map([['f1', s('preparing')]])} watched={['f1']} nameOf={names} labels={LABELS} />,
    );
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('Preparing one.txt.');
    view.rerender(
      <DragAnnouncer states={new Map([['f1', s('preparing', 50)]])} watched={['f1']} nameOf={names} labels={LABELS} />,
    );
    expect(region.textContent).toBe('Preparing one.txt.');
    view.rerender(
      <DragAnnouncer states={new Map([['f1', s('ready', 100)]])} watched={['f1']} nameOf={names} labels={LABELS} />,
    );
    expect(region.textContent).toBe('one.txt is ready to drag.');
    // A state change of an item that is not watched is not announced.
    view.rerender(
      <DragAnnouncer
        states={new Map([['f2', { ...s('saveTo'), nodeId: 'f2' }]])}
        watched={['f1']}
        nameOf={names}
        labels={LABELS}
      />,
    );
    expect(region.textContent).toBe('one.txt is ready to drag.');
  });
});
