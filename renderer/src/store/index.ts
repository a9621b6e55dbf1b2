/**
 * The renderer's state: one zustand store composed of slices, one file each — `app-slice.ts` (API,
 * start-up, settings, notices, dialogs), `connections-slice.ts`, `sources-slice.ts` (the tree
 * snapshot, selection, filter), `transfers-slice.ts`, `drag-slice.ts` and `details-slice.ts` (versions, previews). IPC calls live in the slices'
 * actions (`slice-tools.ts`' `call`); `bridge.ts` applies pushed events; components only display.
 */
import { create } from 'zustand';
import type { VisibleRow } from '../components/tree';
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

export type { Dialog } from './app-slice';
export type { AddFlow } from './connections-slice';
export type { PendingDownload } from './transfers-slice';

export type StoreState = AppSliceState &
  ConnectionsSliceState &
  SourcesSliceState &
  TransfersSliceState &
  ExistingSliceState &
  DetailsSliceState;
export type StoreActions = AppSliceActions &
  ConnectionsSliceActions &
  SourcesSliceActions &
  NodeActionsSliceActions &
  TransfersSliceActions &
  ExistingSliceActions &
  DetailsSliceActions;
export type Store = StoreState & StoreActions & DragSlice;

export function createAppStore() {
  return create<Store>()((set, get) => {
    const call = createCall(set, get);
    return {
      ...createAppSlice(set, get, call),
      ...createConnectionsSlice(set, get, call),
      ...createSourcesSlice(set, get),
      ...createNodeActionsSlice(set, get, call),
      ...createTransfersSlice(set, get, call),
      ...createExistingSlice(set, get, call),
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

/** Visible rows for the current filter (memoised per snapshot). */
export function selectRows(state: StoreState): VisibleRow[] {
  return state.tree.rows(state.filter);
}
