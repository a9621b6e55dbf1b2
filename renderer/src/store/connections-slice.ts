/** The connections slice: the connection list and the add / replace-token flow with its progress. */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { Connection, ValidationProgress, ValidationStepId } from '../../../shared/model/connection';
import type { AppError, Result } from '../../../shared/model/errors';
import type { Call, GetStore, SetStore } from './slice-tools';

export interface AddFlow {
  attemptId: string;
  busy: boolean;
  steps: Partial<Record<ValidationStepId, ValidationProgress>>;
  error: AppError | null;
}

export interface ConnectionsSliceState {
  connections: Connection[];
  addFlow: AddFlow | null;
}

export interface ConnectionsSliceActions {
  addConnection(token: string, allowWeakStorage: boolean): Promise<boolean>;
  replaceToken(connectionId: string, token: string, allowWeakStorage: boolean): Promise<boolean>;
  removeConnection(connectionId: string): Promise<void>;
  confirmEndpoints(connectionId: string): Promise<void>;
  startDemo(): Promise<void>;
  onProgress(progress: ValidationProgress): void;
}

function newAttemptId(): string {
  return `attempt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createConnectionsSlice(
  set: SetStore,
  get: GetStore,
  call: Call,
): ConnectionsSliceState & ConnectionsSliceActions {
  /** Runs add / replace token with a fresh attempt id; progress events for it fill `addFlow`. */
  async function validate(run: (api: PowerOnApi, attemptId: string) => Promise<Result<unknown>>): Promise<boolean> {
    const api = get().api;
    if (!api) return false;
    const attemptId = newAttemptId();
    set({ addFlow: { attemptId, busy: true, steps: {}, error: null } });
    const result = await run(api, attemptId);
    const flow = get().addFlow;
    if (!result.ok) {
      if (flow?.attemptId === attemptId) set({ addFlow: { ...flow, busy: false, error: result.error } });
      return false;
    }
    set({ addFlow: null, dialog: null });
    return true;
  }

  return {
    connections: [],
    addFlow: null,

    addConnection: (token, allowWeakStorage) =>
      validate((api, attemptId) => api.connectionsAdd({ token, attemptId, allowWeakStorage })),
    replaceToken: (connectionId, token, allowWeakStorage) =>
      validate((api, attemptId) =>
        api.connectionsReplaceToken({ id: connectionId, token, attemptId, allowWeakStorage }),
      ),
    async removeConnection(connectionId) {
      await call((api) => api.connectionsRemove({ id: connectionId }));
    },
    async confirmEndpoints(connectionId) {
      await call((api) => api.connectionsConfirmEndpoints({ id: connectionId }));
    },
    async startDemo() {
      await call((api) => api.connectionsStartDemo());
    },
    onProgress(progress) {
      const flow = get().addFlow;
      if (!flow || flow.attemptId !== progress.attemptId) return;
      set({ addFlow: { ...flow, steps: { ...flow.steps, [progress.step]: progress } } });
    },
  };
}
