/**
 * Drag-out spends nothing until a drag begins (issue 22.1), seen from the Sources panel with the
 * real store and bridge: selection moves over files send no drag or download call in Electron
 * (the browser host only asks its own server for drag links, which stage nothing), states pushed
 * for rows that are merely selected are neither shown nor announced, and a drag the user started
 * shows its state on its row and is announced.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { DragState } from '../../../shared/model/drag';
import type { Result } from '../../../shared/model/errors';
import type { AppInfo } from '../../../shared/model/settings';
import type { SourceNode } from '../../../shared/model/sources';
import { initI18n } from '../i18n';
import { createAppStore } from '../store';
import { connectBridge } from '../store/bridge';
import { StoreProvider } from '../store/context';
import { SourcesPanel } from './sources-panel';

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
  localStorage.clear();
});

const root: SourceNode = {
  id: 'r',
  parentId: null,
  kind: 'folder',
  name: 'Root',
  expandable: true,
  downloadable: true,
};
const files: SourceNode[] = Array.from({ length: 25 }, (_, i) => ({
  id: `f${i}`,
  parentId: 'r',
  kind: 'file',
  name: `photo-${i}.jpg`,
  expandable: false,
  downloadable: true,
  size: 1_000_000,
}));

function setup(host: AppInfo['host']) {
  const calls: Array<{ channel: ChannelName; arg: unknown }> = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const answers: Partial<Record<ChannelName, () => Result<unknown>>> = {
    'sources:list': () => ({ ok: true, value: { listingId: 'L1' } }),
    'drag:link': () => ({ ok: true, value: { downloadUrl: 'x:y:z', expiresAt: Date.now() + 60_000 } }),
    'drag:start': () => ({ ok: true, value: { outcome: 'released' } }),
  };
  const api = buildApi(
    async (channel, arg) => {
      calls.push({ channel, arg });
      return answers[channel]?.() ?? { ok: true, value: undefined };
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  );
  const push = (event: EventName, payload: unknown) => act(() => listeners.get(event)?.forEach((l) => l(payload)));
  const store = createAppStore();
  connectBridge(api, store);
  store.setState({
    api,
    status: 'ready',
    info: {
      host,
      capabilities: {
        openOnMachine: host === 'electron',
        chooseFolder: host === 'electron',
        tray: host === 'electron',
      },
    } as AppInfo,
  });
  store.getState().setRoots([root]);
  push('sources:page', { listingId: 'L0', parentId: 'r', nodes: files, first: true, done: true });
  render(
    <StoreProvider store={store}>
      <SourcesPanel />
    </StoreProvider>,
  );
  /** What a selection move does (the tree's arrow keys and clicks call these): focus and select one row. */
  const move = (id: string) =>
    act(() => {
      store.getState().focus(id);
      store.getState().select([id], 'replace');
    });
  const announced = () =>
    screen
      .getAllByRole('status')
      .map((s) => s.textContent ?? '')
      .join(' ');
  return { store, calls, push, move, announced };
}

const state = (nodeId: string, s: DragState['state'], done = 0): DragState => ({
  nodeId,
  state: s,
  bytesDone: done,
  bytesTotal: 1_000_000,
});

describe('drag-out before a drag begins', () => {
  it('Electron: 20 selection moves over files send no drag call at all (nothing staged, nothing fetched)', async () => {
    const { calls, move } = setup('electron');
    for (let i = 0; i < 20; i++) move(`f${i}`);
    await act(async () => undefined);
    expect(calls.filter((c) => c.channel.startsWith('drag:') || c.channel.startsWith('transfers:'))).toEqual([]);
  });

  it('browser host: 20 selection moves ask only for drag links (local tokens), never to stage or download', async () => {
    const { calls, move } = setup('browser');
    for (let i = 0; i < 20; i++) move(`f${i}`);
    await act(async () => undefined);
    const channels = new Set(
      calls.map((c) => c.channel).filter((c) => c.startsWith('drag:') || c.startsWith('transfers:')),
    );
    expect([...channels]).toEqual(['drag:link']);
  });

  it('states of rows that are only selected are neither shown nor announced', () => {
    const { push, move, announced } = setup('electron');
    move('f3');
    push('drag:states', [state('f3', 'preparing'), state('f3', 'ready', 1_000_000)]);
    push('drag:states', [state('f3', 'ready', 1_000_000)]);
    expect(announced()).not.toMatch(/drag/i);
    expect(screen.queryByText('Ready to drag')).toBeNull();
  });
});

describe('a drag the user started', () => {
  it('Electron: asks main for the drag, and its row states are announced', async () => {
    const { store, calls, push, announced } = setup('electron');
    await act(() => store.getState().startDrag(['f3']));
    expect(
      calls.filter((c) => c.channel === 'drag:start').map((c) => (c.arg as { nodeIds: string[] }).nodeIds),
    ).toEqual([['f3']]);
    push('drag:states', [state('f3', 'preparing', 400_000)]);
    expect(announced()).toContain('Preparing photo-3.jpg for dragging.');
    push('drag:states', [state('f3', 'ready', 1_000_000)]);
    expect(announced()).toContain('photo-3.jpg is ready to drag.');
    // Another row's state (an earlier drag's) is still not announced.
    push('drag:states', [state('f7', 'failed')]);
    expect(announced()).not.toContain('photo-7.jpg');
  });

  it('Electron: once the OS drag runs, the rows have nothing more to say', async () => {
    const { store, calls } = setup('electron');
    const api = store.getState().api!;
    store.setState({
      api: { ...api, dragStart: async () => ({ ok: true, value: { outcome: 'started' } }) },
    });
    await act(() => store.getState().startDrag(['f1']));
    expect(store.getState().draggedIds).toEqual([]);
    expect(calls.filter((c) => c.channel === 'drag:start')).toEqual([]); // the replaced api answered
  });
});
