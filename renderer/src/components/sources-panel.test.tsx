import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/model/errors';
import type { SourceNode, SourcePage } from '../../../shared/model/sources';
import { initI18n } from '../i18n';
import { createAppStore } from '../store';
import { connectBridge } from '../store/bridge';
import { StoreProvider } from '../store/context';
import { SourcesPanel } from './sources-panel';

/** A fake transport: answers per channel, and lets the test push events. */
function fakeApi(answers: Partial<Record<ChannelName, (arg: unknown) => Result<unknown>>> = {}) {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const api = buildApi(
    async (channel, arg) => answers[channel]?.(arg) ?? { ok: true, value: undefined },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  );
  const push = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, push };
}

const root: SourceNode = {
  id: 'r',
  parentId: null,
  kind: 'folder',
  name: 'Root',
  expandable: true,
  downloadable: true,
};
const fileNode = (id: string, name: string): SourceNode => ({
  id,
  parentId: 'r',
  kind: 'file',
  name,
  expandable: false,
  downloadable: true,
  size: 10,
});
const page = (listingId: string, nodes: SourceNode[]): SourcePage => ({
  listingId,
  parentId: 'r',
  nodes,
  first: true,
  done: true,
});

beforeAll(async () => {
  await initI18n('en');
  // jsdom has no ResizeObserver; the resizable workspace only needs it to exist.
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

function setup() {
  let listing = 0;
  const { api, push } = fakeApi({ 'sources:list': () => ({ ok: true, value: { listingId: `L${++listing}` } }) });
  const store = createAppStore();
  connectBridge(api, store);
  store.setState({ api, status: 'ready' });
  store.getState().setRoots([root]);
  push('sources:page', page('L0', [fileNode('f', 'old name.txt'), fileNode('g', 'other.txt')]));
  render(
    <StoreProvider store={store}>
      <SourcesPanel />
    </StoreProvider>,
  );
  const details = () => within(screen.getByRole('complementary', { name: 'Details' }));
  /** Refresh of the root (a new listing), answered by one page. */
  const refresh = async (nodes: SourceNode[]) => {
    await act(() => store.getState().list('r', true));
    act(() => push('sources:page', page(`L${listing}`, nodes)));
  };
  return { store, refresh, details };
}

describe('SourcesPanel reads one snapshot of the tree', () => {
  it('the details of a selected node follow a refresh that renames it', async () => {
    const { store, refresh, details } = setup();
    act(() => store.getState().select(['f'], 'replace'));
    expect(details().getByText('old name.txt')).toBeTruthy();
    await refresh([fileNode('f', 'new name.txt'), fileNode('g', 'other.txt')]);
    expect(details().getByText('new name.txt')).toBeTruthy();
    expect(details().queryByText('old name.txt')).toBeNull();
  });

  it('a selected node that a refresh pruned is no longer shown or downloadable', async () => {
    const { store, refresh, details } = setup();
    act(() => store.getState().select(['f'], 'replace'));
    expect(details().getByText('old name.txt')).toBeTruthy();
    await refresh([fileNode('g', 'other.txt')]);
    expect(details().queryByText('old name.txt')).toBeNull();
    expect(details().queryByRole('button', { name: 'Download' })).toBeNull();
  });
});

describe('the Details pane', () => {
  it('is hidden by its toolbar toggle (aria-pressed) and is remembered by the next window', async () => {
    setup();
    const toggle = () => screen.getByRole('button', { name: 'Details' });
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    act(() => toggle().click());
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    cleanup(); // a new window: what was chosen comes back from storage
    setup();
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    act(() => toggle().click());
    expect(screen.getByRole('complementary', { name: 'Details' })).toBeTruthy();
  });
});
