/**
 * The renderer's state: one zustand store composed of slices, one file each — `app-slice.ts` (API,
 * start-up, settings, notices, dialogs, menu commands), `connections-slice.ts`, `sources-slice.ts`
 * (the tree snapshot, selection, filter), `node-actions-slice.ts`, `transfers-slice.ts`,
 * `existing-slice.ts`, `drag-slice.ts`, `sync-slice.ts`, `search-slice.ts`, `feedback-slice.ts` and `details-slice.ts` (a kDrive
 * file's versions and previews).
 * IPC calls live in the slices' actions (`slice-tools.ts`' `call`); `bridge.ts` is the only place
 * pushed events are applied; components only display. The store imports nothing from
 * `components/` (the tree's data model lives in `tree/` here).
 */
import { create } from 'zustand';
import type { VisibleRow } from './tree/model';
import { createAppSlice } from './app-slice';
import type { AppSliceActions, AppSliceState } from './app-slice';
import { createConnectionsSlice } from './connections-slice';
import type { ConnectionsSliceActions, ConnectionsSliceState } from './connections-slice';
import { createDragSlice } from './drag-slice';
import type { DragSlice } from './drag-slice';
import { createNodeActionsSlice } from './node-actions-slice';
import type { NodeActionsSliceActions } from './node-actions-slice';
import { createCall } from './slice-tools';
import { createSourcesSlice } from './sources-slice';
import type { SourcesSliceActions, SourcesSliceState } from './sources-slice';
import { createTransfersSlice } from './transfers-slice';
import type { TransfersSliceActions, TransfersSliceState } from './transfers-slice';
import { createExistingSlice } from './existing-slice';
import { createDetailsSlice } from './details-slice';
import type { DetailsSliceActions, DetailsSliceState } from './details-slice';
import type { ExistingSliceActions, ExistingSliceState } from './existing-slice';
import { createFeedbackSlice } from './feedback-slice';
import type { FeedbackSliceActions, FeedbackSliceState } from './feedback-slice';
import { createSearchSlice } from './search-slice';
import type { SearchSliceActions, SearchSliceState } from './search-slice';
import { createSyncSlice } from './sync-slice';
import type { SyncSliceActions, SyncSliceState } from './sync-slice';

export type { Dialog } from './app-slice';
export type { AddFlow } from './connections-slice';
export type { PendingDownload } from './transfers-slice';
export type { TreeFeedback } from './feedback-slice';
export { FEEDBACK_MS } from './feedback-slice';
export type { SearchTarget } from './search-slice';
export { REVEAL_WAIT_MS } from './search-slice';
export { syncLayoutsFor } from './sync-slice';

export type StoreState = AppSliceState &
  ConnectionsSliceState &
  SourcesSliceState &
  TransfersSliceState &
  ExistingSliceState &
  SyncSliceState &
  SearchSliceState &
  FeedbackSliceState &
  DetailsSliceState;
export type StoreActions = AppSliceActions &
  ConnectionsSliceActions &
  SourcesSliceActions &
  NodeActionsSliceActions &
  TransfersSliceActions &
  ExistingSliceActions &
  SyncSliceActions &
  SearchSliceActions &
  FeedbackSliceActions &
  DetailsSliceActions;
export type Store = StoreState & StoreActions & DragSlice;

export function createAppStore() {
  return create<Store>()((set, get, store) => {
    const call = createCall(set, get);
    return {
      ...createAppSlice(set, get, call),
      ...createConnectionsSlice(set, get, call),
      ...createSourcesSlice(set, get),
      ...createNodeActionsSlice(set, get, call),
      ...createTransfersSlice(set, get, call),
      ...createExistingSlice(set, get, call),
      ...createSyncSlice(set, get, call),
      ...createSearchSlice(set, get, call, store.subscribe),
      ...createFeedbackSlice(set, get),
      ...createDetailsSlice(set, get, call),
      ...createDragSlice(set, get, {
        api: () => get().api,
        host: () => get().info?.host ?? null,
        isFile: (id) => get().tree.getNode(id)?.kind === 'file',
        call,
      }),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

/** Visible rows for the current filter and sort, names compared in the UI's language (memoised per snapshot). */
export function selectRows(state: StoreState): VisibleRow[] {
  return state.tree.rows(state.filter, state.sort, state.info?.language ?? 'en');
}
