/** Preview and versions in Details (issue 24.2, 24.3), with a fake transport and fake timers. */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApi } from '../../../../shared/ipc/api';
import type { ChannelName } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/model/errors';
import type { SourceNode } from '../../../../shared/model/sources';
import { initI18n } from '../../i18n';
import { createAppStore } from '../../store';
import { connectBridge } from '../../store/bridge';
import { StoreProvider } from '../../store/context';
import { SourcesPanel } from '../sources-panel';
import { SourcesTree, createTreeModel, en } from '../tree';

const PARENT = 'conn:c/kdrive/drive:1/f:10';
const image = (n: number): SourceNode => ({
  id: `${PARENT}/f:${100 + n}`.replace(`${PARENT}/`, 'conn:c/kdrive/drive:1/'),
  parentId: PARENT,
  kind: 'file',
  service: 'kdrive',
  name: `IMG_${n}.png`,
  fileType: 'image',
  expandable: false,
  downloadable: true,
  size: 1000,
});
const IMAGES = Array.from({ length: 8 }, (_, i) => image(i));
const folderNode: SourceNode = {
  id: PARENT,
  parentId: null,
  kind: 'folder',
  name: 'Photos',
  expandable: true,
  downloadable: true,
};
const PNG = 'iVBORw0KGgo=';

beforeAll(async () => {
  await initI18n('en');
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

function setup() {
  const calls: Array<{ channel: ChannelName; arg: unknown }> = [];
  const answers: Partial<Record<ChannelName, () => Result<unknown>>> = {
    'sources:list': () => ({ ok: true, value: { listingId: 'L1' } }),
    'sources:preview': () => ({ ok: true, value: { mime: 'image/png', base64: PNG } }),
    'sources:versions': () => ({
      ok: true,
      value: [
        {
          nodeId: `${IMAGES[0]!.id}/ver:2`,
          modifiedAt: 1_700_000_000_000,
          size: 900,
          by: 'Sara',
          fileName: 'a',
          current: false,
        },
        {
          nodeId: `${IMAGES[0]!.id}/ver:1`,
          modifiedAt: 1_690_000_000_000,
          size: 800,
          by: null,
          fileName: 'b',
          current: false,
        },
      ],
    }),
    'sources:downloadVersion': () => ({ ok: true, value: { transferIds: ['t1'] } }),
  };
  const api = buildApi(
    async (channel, arg) => {
      calls.push({ channel, arg });
      return answers[channel]?.() ?? { ok: true, value: undefined };
    },
    () => () => undefined,
  );
  const store = createAppStore();
  connectBridge(api, store);
  store.setState({ api, status: 'ready' });
  store.getState().setRoots([folderNode]);
  store.getState().applyPage({ listingId: 'L0', parentId: PARENT, nodes: IMAGES, first: true, done: true });
  render(
    <StoreProvider store={store}>
      <SourcesPanel />
    </StoreProvider>,
  );
  const details = () => within(screen.getByRole('complementary', { name: 'Details' }));
  const count = (channel: ChannelName) => calls.filter((c) => c.channel === channel).length;
  return { store, details, calls, count };
}

describe('the preview in Details', () => {
  it('20 selection moves cost one preview request, for the file the selection rests on', async () => {
    vi.useFakeTimers();
    const { store, details, calls, count } = setup();
    for (let i = 0; i < 20; i++) act(() => store.getState().select([IMAGES[i % 8]!.id], 'replace'));
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(count('sources:preview')).toBe(0);
    await act(() => vi.advanceTimersByTimeAsync(150));
    expect(count('sources:preview')).toBe(1);
    expect(calls.find((c) => c.channel === 'sources:preview')?.arg).toEqual({ nodeId: IMAGES[3]!.id, size: 'small' });
    const img = details().getByRole('img', { name: 'Preview of IMG_3.png' });
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
  });

  it('the larger preview opens as a dialog and closes by Escape', async () => {
    const { store } = setup();
    act(() => store.getState().openPreview(IMAGES[1]!.id));
    // jsdom has no showModal(), so the dialog's content counts as hidden: queries pass `hidden: true`.
    const heading = await screen.findByRole('heading', { name: 'Preview: IMG_1.png', hidden: true });
    const dialog = heading.closest('dialog')!;
    expect(await within(dialog).findByRole('img', { name: 'Preview of IMG_1.png', hidden: true })).toBeTruthy();
    fireEvent(dialog, new Event('cancel')); // what Escape does to a <dialog>
    expect(store.getState().previewOpen).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Preview: IMG_1.png', hidden: true })).toBeNull();
  });
});

describe('Space in the tree (the keyboard model)', () => {
  function tree(selected: string[], onPreview: (id: string) => boolean) {
    const onSelect = vi.fn();
    let model = createTreeModel().withRoots([folderNode]);
    model = model
      .withExpanded(PARENT, true)
      .withPage({ listingId: 'L', parentId: PARENT, nodes: IMAGES, first: true, done: true });
    render(
      <SourcesTree
        rows={model.rows('')}
        selectedIds={new Set(selected)}
        focusedId={IMAGES[1]!.id}
        labels={en}
        locale="en"
        ariaLabel="Sources"
        initialRect={{ width: 800, height: 560 }}
        onFocus={() => undefined}
        onToggle={() => undefined}
        onActivate={() => undefined}
        onSelect={onSelect}
        onRetry={() => undefined}
        onPreview={onPreview}
      />,
    );
    return { onSelect, row: screen.getByRole('treeitem', { name: 'IMG_1.png' }) };
  }

  it('Space asks for the preview first; when there is one it does not toggle', () => {
    const onPreview = vi.fn(() => true);
    const { onSelect, row } = tree([IMAGES[1]!.id], onPreview);
    fireEvent.keyDown(row, { key: ' ' });
    expect(onPreview).toHaveBeenCalledWith(IMAGES[1]!.id);
    expect(onSelect).not.toHaveBeenCalled();
  });

  it('without a preview (the owner says no), or with Ctrl, Space toggles as before', () => {
    const onPreview = vi.fn(() => false);
    const { onSelect, row } = tree([IMAGES[1]!.id, IMAGES[2]!.id], onPreview);
    fireEvent.keyDown(row, { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith([IMAGES[1]!.id], 'toggle');
    onPreview.mockClear();
    fireEvent.keyDown(row, { key: ' ', ctrlKey: true });
    expect(onPreview).not.toHaveBeenCalled();
    expect(onSelect).toHaveBeenCalledTimes(2);
  });
});

describe('versions in Details', () => {
  it('listed only when asked, once; a version downloads by its node id', async () => {
    vi.useFakeTimers();
    const { store, details, count, calls } = setup();
    act(() => store.getState().select([IMAGES[0]!.id], 'replace'));
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(count('sources:versions')).toBe(0);
    const disclosure = details().getByRole('button', { name: 'Versions' });
    act(() => disclosure.click());
    expect(disclosure.getAttribute('aria-expanded')).toBe('true');
    await act(() => vi.advanceTimersByTimeAsync(350));
    expect(count('sources:versions')).toBe(1);
    const items = details().getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('by Sara');
    act(() =>
      within(items[1]!)
        .getByRole('button', { name: /^Download the version of / })
        .click(),
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(calls.find((c) => c.channel === 'sources:downloadVersion')?.arg).toEqual({
      nodeId: `${IMAGES[0]!.id}/ver:1`,
    });
  });
});
