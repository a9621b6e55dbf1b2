import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/model/errors';
import type { SourceNode } from '../../../shared/model/sources';
import { transferSchema } from '../../../shared/model/transfers';
import type { Transfer } from '../../../shared/model/transfers';
import { createAppStore } from './index';
import { connectBridge } from './bridge';

// Expanded folders are remembered in the page's storage: each test starts without them.
afterEach(() => localStorage.clear());

/** A fake transport: answers per channel, and lets the test push events. */
function fakeApi(answers: Partial<Record<ChannelName, (arg: unknown) => Result<unknown>>>) {
  const calls: Array<[ChannelName, unknown]> = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const api = buildApi(
    async (channel, arg) => {
      calls.push([channel, arg]);
      return answers[channel]?.(arg) ?? { ok: true, value: undefined };
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  );
  const push = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, calls, push };
}

const root: SourceNode = {
  id: 'conn:c1',
  parentId: null,
  kind: 'connection',
  name: 'Anna',
  expandable: true,
  downloadable: false,
};

describe('store', () => {
  it('adds a connection: progress of this attempt only, dialog closed on success', async () => {
    let attempt = '';
    const { api, push } = fakeApi({
      'connections:add': (arg) => {
        attempt = (arg as { attemptId: string }).attemptId;
        push('connections:progress', { attemptId: 'someone-else', step: 'accounts', state: 'failed' });
        push('connections:progress', { attemptId: attempt, step: 'accounts', state: 'ok' });
        return { ok: true, value: { id: 'c1' } };
      },
    });
    const store = createAppStore();
    connectBridge(api, store);
    store.setState({ api, dialog: { kind: 'add' } });
    const seen: unknown[] = [];
    store.subscribe((s) => s.addFlow && seen.push(structuredClone(s.addFlow.steps)));
    expect(await store.getState().addConnection('pat-123456789', false)).toBe(true);
    expect(seen.at(-1)).toEqual({ accounts: { attemptId: attempt, step: 'accounts', state: 'ok' } });
    expect(store.getState().dialog).toBeNull();
  });

  it('keeps the dialog open with the error when validation fails', async () => {
    const { api } = fakeApi({
      'connections:add': () => ({
        ok: false,
        error: { code: 'scope_missing', message: 'lacks drive', details: { scope: 'drive' } },
      }),
    });
    const store = createAppStore();
    store.setState({ api, dialog: { kind: 'add' } });
    expect(await store.getState().addConnection('pat-123456789', false)).toBe(false);
    expect(store.getState().dialog).toEqual({ kind: 'add' });
    expect(store.getState().addFlow).toMatchObject({ busy: false, error: { code: 'scope_missing' } });
  });

  it('expanding lists the node once and pushed pages become rows', async () => {
    const { api, calls, push } = fakeApi({ 'sources:list': () => ({ ok: true, value: { listingId: 'L1' } }) });
    const store = createAppStore();
    connectBridge(api, store);
    store.setState({ api });
    store.getState().setRoots([root]);
    await store.getState().toggle('conn:c1', true);
    expect(calls.filter(([c]) => c === 'sources:list')).toEqual([['sources:list', { nodeId: 'conn:c1' }]]);
    const child: SourceNode = {
      id: 'conn:c1/kdrive',
      parentId: 'conn:c1',
      kind: 'service',
      name: 'kDrive',
      expandable: true,
      downloadable: false,
    };
    push('sources:page', { listingId: 'L1', parentId: 'conn:c1', nodes: [child], first: true, done: true, total: 1 });
    expect(
      store
        .getState()
        .tree.rows()
        .map((r) => r.node.name),
    ).toEqual(['Anna', 'kDrive']);
    await store.getState().toggle('conn:c1', false);
    await store.getState().toggle('conn:c1', true);
    expect(calls.filter(([c]) => c === 'sources:list')).toHaveLength(1);
  });

  it('the application menu’s commands arrive as app:command; without a Sources view the dialogs and transfers still open', () => {
    const { api, push } = fakeApi({});
    const store = createAppStore();
    connectBridge(api, store);
    push('app:command', { command: 'addConnection' });
    expect(store.getState().dialog).toEqual({ kind: 'add' });
    push('app:command', { command: 'settings' });
    expect(store.getState().dialog).toEqual({ kind: 'settings' });
    push('app:command', { command: 'showTransfers' });
    expect(store.getState().transfersOpen).toBe(true);
  });

  it('a view that takes commands gets them from the menu and the shortcuts alike; when it leaves, the fallback applies', () => {
    const { api, push } = fakeApi({});
    const store = createAppStore();
    connectBridge(api, store);
    const seen: string[] = [];
    const handler = (command: string) => seen.push(command);
    store.getState().setCommandHandler(handler);
    push('app:command', { command: 'settings' });
    store.getState().runCommand('find');
    expect(seen).toEqual(['settings', 'find']);
    expect(store.getState().dialog).toBeNull();
    store.getState().setCommandHandler(null);
    push('app:command', { command: 'settings' });
    expect(store.getState().dialog).toEqual({ kind: 'settings' });
  });

  it('sync: pairs load at start and follow sync:changed through the bridge; a failed sync action stays in the Sync section', async () => {
    const pair = (name: string) => ({
      pair: { id: name, name },
      state: 'idle',
      progress: null,
      lastRun: null,
      nextRunAt: null,
      error: null,
    });
    const { api, push } = fakeApi({
      'app:info': () => ({ ok: true, value: { host: 'browser', notices: [], language: 'en' } }),
      'connections:list': () => ({ ok: true, value: [] }),
      'sources:roots': () => ({ ok: true, value: [] }),
      'transfers:list': () => ({ ok: true, value: [] }),
      'transfers:listExisting': () => ({ ok: true, value: [] }),
      'sync:list': () => ({ ok: true, value: [pair('A')] }),
      'sync:run': () => ({ ok: false, error: { code: 'network', message: 'offline' } }),
    });
    const store = createAppStore();
    connectBridge(api, store);
    await store.getState().init(api);
    expect(store.getState().syncPairs.map((p) => p.pair.name)).toEqual(['A']);
    push('sync:changed', [pair('A'), pair('B')]);
    expect(store.getState().syncPairs.map((p) => p.pair.name)).toEqual(['A', 'B']);
    await store.getState().runSync(['A']);
    expect(store.getState().syncError).toMatchObject({ code: 'network' });
    expect(store.getState().actionError).toBeNull();
    store.getState().dismissSyncNotes();
    expect(store.getState().syncError).toBeNull();
  });

  it('server search: results land in the store; closing a running search cancels it in main and forgets its answer', async () => {
    let answer: (value: Result<unknown>) => void = () => {};
    const calls: Array<[ChannelName, unknown]> = [];
    const pending = buildApi(
      async (channel, arg) => {
        calls.push([channel, arg]);
        if (channel === 'sources:search') return new Promise<Result<unknown>>((resolve) => (answer = resolve));
        return { ok: true, value: undefined };
      },
      () => () => {},
    );
    const store = createAppStore();
    store.setState({ api: pending });
    const running = store.getState().startSearch({ id: 'd', name: 'Drive' }, 'plan');
    expect(store.getState().search).toMatchObject({ status: 'searching', query: 'plan' });
    store.getState().closeSearch();
    expect(calls.map(([c]) => c)).toEqual(['sources:search', 'sources:cancelSearch']);
    answer({ ok: true, value: { hits: [], truncated: false, scanned: 3 } });
    await running;
    expect(store.getState().search.status).toBe('idle');

    const hits = { hits: [], truncated: false, scanned: 3 };
    const done = fakeApi({ 'sources:search': () => ({ ok: true, value: hits }) });
    store.setState({ api: done.api });
    await store.getState().startSearch({ id: 'd', name: 'Drive' }, 'plan');
    expect(store.getState().search).toMatchObject({ status: 'done', result: hits, searchId: null });
    const failed = fakeApi({ 'sources:search': () => ({ ok: false, error: { code: 'network', message: 'x' } }) });
    store.setState({ api: failed.api });
    await store.getState().startSearch({ id: 'd', name: 'Drive' }, 'plan');
    expect(store.getState().search).toMatchObject({ status: 'failed', error: { code: 'network' } });
    expect(store.getState().actionError).toBeNull();
  });

  it('the browser host opens nothing on its computer: Open, Show in folder, Open folder and the token page give a note with the path or link (23.8)', async () => {
    const { api, calls } = fakeApi({});
    const store = createAppStore();
    const info = (openOnMachine: boolean) => ({
      host: openOnMachine ? 'electron' : 'browser',
      capabilities: { openOnMachine, chooseFolder: openOnMachine, tray: openOnMachine },
      downloadsDir: '/dl',
    });
    const done = transferSchema.parse({
      id: 't1',
      name: 'a.txt',
      kind: 'file',
      state: 'done',
      bytesDone: 1,
      bytesTotal: 1,
      filesDone: 1,
      filesTotal: 1,
      speed: 0,
      etaSeconds: null,
      targetPath: '/dl/a.txt',
      renamed: [],
      resumes: 0,
      createdAt: 1,
    });
    store.setState({ api, info: info(false) as never, transfers: [done] });
    await store.getState().transferAction('open', 't1');
    expect(store.getState().hostNote).toEqual({ kind: 'file', name: 'a.txt', path: '/dl/a.txt' });
    await store.getState().transferAction('reveal', 't1');
    expect(store.getState().hostNote).toMatchObject({ kind: 'folder', path: '/dl/a.txt' });
    await store.getState().openTokenPage();
    expect(store.getState().hostNote).toMatchObject({ kind: 'page', name: 'tokenPage' });
    expect(calls).toEqual([]);
    // The desktop app asks main, which opens it.
    store.setState({ info: info(true) as never, hostNote: null });
    await store.getState().transferAction('open', 't1');
    await store.getState().openTokenPage();
    expect(calls.map(([c]) => c)).toEqual(['transfers:open', 'app:openPage']);
    expect(store.getState().hostNote).toBeNull();
  });

  it('selects by replace, toggle and range', () => {
    const store = createAppStore();
    store.getState().select(['a', 'b'], 'replace');
    store.getState().select(['b', 'c'], 'toggle');
    expect([...store.getState().selected].sort()).toEqual(['a', 'c']);
    store.getState().select(['x', 'y'], 'range');
    expect([...store.getState().selected]).toEqual(['x', 'y']);
  });

  it('downloads only downloadable selected nodes and opens the transfers panel', async () => {
    const download = vi.fn(() => ({ ok: true, value: { transferIds: ['t1'] } }) as Result<unknown>);
    const { api } = fakeApi({ 'transfers:download': download });
    const store = createAppStore();
    store.setState({ api });
    const file: SourceNode = {
      id: 'f',
      parentId: 'conn:c1',
      kind: 'file',
      name: 'a.txt',
      expandable: false,
      downloadable: true,
    };
    store.getState().setRoots([root]);
    store.getState().applyPage({ listingId: 'L', parentId: 'conn:c1', nodes: [file], first: true, done: true });
    await store.getState().download(['conn:c1', 'f']);
    expect(download).toHaveBeenCalledWith({ nodeIds: ['f'] });
    expect(store.getState().transfersOpen).toBe(true);
  });

  it('applies transfers:changed batches: changed records replace theirs, new ones are appended, removed ones go', () => {
    const { api, push } = fakeApi({});
    const store = createAppStore();
    connectBridge(api, store);
    const t = (id: string, bytesDone: number): Transfer => ({
      ...transferSchema.parse({
        id,
        name: id,
        kind: 'file',
        state: 'running',
        bytesDone,
        bytesTotal: 100,
        filesDone: 0,
        filesTotal: 1,
        speed: 0,
        etaSeconds: null,
        targetPath: null,
        renamed: [],
        resumes: 0,
        createdAt: 1,
      }),
    });
    const a = t('a', 0);
    const b = t('b', 0);
    store.getState().setTransfers([a, b]);
    push('transfers:changed', { changed: [t('b', 50), t('c', 1)], removed: [] });
    expect(store.getState().transfers.map((x) => [x.id, x.bytesDone])).toEqual([
      ['a', 0],
      ['b', 50],
      ['c', 1],
    ]);
    expect(store.getState().transfers[0]).toBe(a);
    push('transfers:changed', { changed: [], removed: ['a', 'c'] });
    expect(store.getState().transfers.map((x) => x.id)).toEqual(['b']);
  });

  it('downloads a folder once with what is inside it, and asks before more than 100 items or 1 GB', async () => {
    const download = vi.fn((arg: unknown) => ({ ok: true, value: { transferIds: ['t'], arg } }) as Result<unknown>);
    const { api } = fakeApi({ 'transfers:download': download });
    const store = createAppStore();
    store.setState({ api });
    const node = (id: string, parentId: string, extra: Partial<SourceNode> = {}): SourceNode => ({
      id,
      parentId,
      kind: 'file',
      name: id,
      expandable: false,
      downloadable: true,
      size: 10,
      ...extra,
    });
    const many = Array.from({ length: 150 }, (_, i) => node(`f${i}`, 'conn:c1'));
    store.getState().setRoots([root]);
    store.getState().applyPage({
      listingId: 'L',
      parentId: 'conn:c1',
      nodes: [node('dir', 'conn:c1', { kind: 'folder', expandable: true, size: undefined }), ...many],
      first: true,
      done: true,
    });
    store
      .getState()
      .applyPage({ listingId: 'D', parentId: 'dir', nodes: [node('inner', 'dir')], first: true, done: true });
    await store.getState().download(['inner', 'dir', 'f1']);
    expect(download).toHaveBeenLastCalledWith({ nodeIds: ['dir', 'f1'] }); // inner comes with dir

    download.mockClear();
    await store.getState().download(many.map((n) => n.id));
    expect(download).not.toHaveBeenCalled();
    expect(store.getState().pendingDownload).toMatchObject({ count: 150, bytes: 1500, sizeUnknown: false });
    store.getState().cancelDownload();
    expect(store.getState().pendingDownload).toBeNull();
    expect(download).not.toHaveBeenCalled();

    store.getState().applyPage({
      listingId: 'L',
      parentId: 'conn:c1',
      nodes: [node('big', 'conn:c1', { size: 1_500_000_000 })],
      first: false,
      done: true,
    });
    await store.getState().download(['big'], { chooseTarget: true });
    expect(store.getState().pendingDownload).toMatchObject({ count: 1, bytes: 1_500_000_000, chooseTarget: true });
    await store.getState().confirmDownload();
    expect(download).toHaveBeenLastCalledWith({ nodeIds: ['big'], chooseTarget: true });
    expect(store.getState().pendingDownload).toBeNull();
  });

  it('the filter never acts on what it hides: hidden selected rows are deselected', () => {
    const store = createAppStore();
    const child = (id: string, name: string): SourceNode => ({
      id,
      parentId: 'conn:c1',
      kind: 'file',
      name,
      expandable: false,
      downloadable: true,
    });
    store.getState().setRoots([root]);
    store.getState().applyPage({
      listingId: 'L',
      parentId: 'conn:c1',
      nodes: [child('a', 'report.pdf'), child('b', 'notes.txt')],
      first: true,
      done: true,
    });
    store.setState({ tree: store.getState().tree.withExpanded('conn:c1', true) });
    store.getState().select(['a', 'b'], 'replace');
    store.getState().setFilter('report');
    expect([...store.getState().selected]).toEqual(['a']);
    store.getState().setFilter('');
    expect([...store.getState().selected]).toEqual(['a']); // clearing the filter does not bring b back
  });
});
