/**
 * A main side for the Sync components' tests: it keeps pairs as main would (a new pair waits for
 * its Start), answers the sync channels, records what the renderer asked, and pushes
 * `sync:changed` through the real bridge. `refuse` makes the next `sync:create` fail.
 */
import { act, render } from '@testing-library/react';
import { buildApi } from '../../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../../shared/ipc/contract';
import type { AppError, Result } from '../../../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../../../shared/model/settings';
import type { Settings } from '../../../../shared/model/settings';
import type { SourceNode } from '../../../../shared/model/sources';
import type { SyncActionKind, SyncPairStatus, SyncPlanSummary } from '../../../../shared/model/sync';
import { createAppStore } from '../../store';
import { connectBridge } from '../../store/bridge';
import { StoreProvider } from '../../store/context';
import { KeepInSync } from './keep-in-sync';
import { SyncPanel } from './sync-panel';

export const FOLDER: SourceNode = {
  id: 'c1:kdrive:1:42',
  parentId: 'c1:kdrive:1:1',
  kind: 'folder',
  service: 'kdrive',
  name: 'Projects',
  expandable: true,
  downloadable: true,
};

export const MAIL_FOLDER: SourceNode = {
  id: 'c1:mail:box:INBOX',
  parentId: 'c1:mail:box',
  kind: 'mailfolder',
  service: 'mail',
  name: 'INBOX',
  expandable: true,
  downloadable: true,
};

const LOCAL = '/home/lea/Downloads/PowerOn Sources/Lea/kDrive/Projects';

export function pairStatus(over: Partial<SyncPairStatus['pair']> = {}, rest: Partial<SyncPairStatus> = {}) {
  const status: SyncPairStatus = {
    pair: {
      id: 'p1',
      connectionId: 'c1',
      nodeId: FOLDER.id,
      kind: 'kdrive',
      layout: 'tree',
      name: 'Projects',
      localPath: LOCAL,
      ignoreLocalDeletes: false,
      paused: false,
      createdAt: 1,
      pending: true,
      ...over,
    },
    state: 'idle',
    progress: null,
    lastRun: null,
    nextRunAt: null,
    error: null,
    held: null,
    ...rest,
  };
  return status;
}

export function planOf(pairId: string, downloads: string[]): SyncPlanSummary {
  const counts = Object.fromEntries(
    ['mkdir', 'download', 'update', 'conflict', 'adopt', 'move', 'trash', 'forget', 'rmdir', 'keep'].map((k) => [k, 0]),
  ) as Record<SyncActionKind, number>;
  counts.download = downloads.length;
  return {
    pairId,
    counts,
    bytes: 0,
    requests: downloads.length,
    items: downloads.map((path) => ({ kind: 'download' as const, path, size: 10 })),
    truncated: false,
  };
}

/** A finished run of the pair, as main reports it afterwards. */
export function ran(status: SyncPairStatus, finishedAt: number): SyncPairStatus {
  return {
    ...status,
    pair: { ...status.pair, pending: false },
    state: 'idle',
    lastRun: {
      startedAt: finishedAt - 10,
      finishedAt,
      ok: true,
      counts: { added: 2, updated: 0, moved: 0, trashed: 0, conflicts: 0, failed: 0, bytes: 20 },
      via: 'listing',
      requests: 3,
    },
  };
}

export interface FakeMain {
  calls: Array<{ channel: ChannelName; arg: unknown }>;
  pairs: SyncPairStatus[];
  /** The next `sync:create` fails with this error. */
  refuse: AppError | null;
  plan: SyncPlanSummary | null;
  /** Main pushes its pairs (the bridge applies them). */
  push(pairs: SyncPairStatus[]): void;
  channels(): ChannelName[];
}

export function renderSync(options: { node?: SourceNode; pairs?: SyncPairStatus[]; settings?: Partial<Settings> }) {
  const listeners = new Map<EventName, Array<(payload: unknown) => void>>();
  const main: FakeMain = {
    calls: [],
    pairs: options.pairs ?? [],
    refuse: null,
    plan: null,
    push(pairs) {
      main.pairs = pairs;
      act(() => listeners.get('sync:changed')?.forEach((l) => l(pairs)));
    },
    channels: () => main.calls.map((c) => c.channel),
  };
  const answer = (channel: ChannelName, arg: unknown): Result<unknown> => {
    main.calls.push({ channel, arg });
    const { nodeId } = (arg ?? {}) as { nodeId?: string };
    switch (channel) {
      case 'sync:create': {
        if (main.refuse) return { ok: false, error: main.refuse };
        const status = pairStatus({ nodeId: nodeId ?? FOLDER.id });
        main.pairs = [...main.pairs, status];
        return { ok: true, value: status };
      }
      case 'sync:preview':
        return { ok: true, value: main.plan ?? planOf('p1', ['a.txt', 'b.txt']) };
      case 'sync:run':
        return { ok: true, value: { started: (arg as { ids?: string[] }).ids ?? [] } };
      case 'sync:remove':
      case 'sync:pause':
        return { ok: true, value: undefined };
      default:
        return { ok: false, error: { code: 'internal', message: `n/a: ${channel}` } };
    }
  };
  const api = buildApi(
    (channel, arg) => Promise.resolve(answer(channel, arg)),
    (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => undefined;
    },
  );
  const store = createAppStore();
  store.setState({ api, settings: { ...DEFAULT_SETTINGS, ...options.settings }, syncPairs: main.pairs });
  connectBridge(api, store);
  const node = options.node ?? FOLDER;
  render(
    <StoreProvider store={store}>
      <KeepInSync node={node} canChooseFolder={false} />
      <SyncPanel open canOpen onOpen={() => undefined} />
    </StoreProvider>,
  );
  return { main, store };
}
