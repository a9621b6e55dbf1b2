/** What every slice of the store is built with: the store's `set`/`get` and `call` for API calls. */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { AppError, Result } from '../../../shared/model/errors';
import type { Store } from './index';

export type SetStore = (partial: Partial<Store>) => void;
export type GetStore = () => Store;
/** Calls `listener` on every change of the store (zustand's `subscribe`); returns the unsubscribe function. */
export type SubscribeStore = (listener: (state: Store) => void) => () => void;
/**
 * Runs an API call; a failure (other than `cancelled`) goes to `onError`, by default `actionError`
 * (the app's banner), and the call returns null.
 */
export type Call = <T>(
  run: (api: PowerOnApi) => Promise<Result<T>>,
  onError?: (error: AppError) => void,
) => Promise<T | null>;

export function createCall(set: SetStore, get: GetStore): Call {
  return async (run, onError = (error) => set({ actionError: error })) => {
    const api = get().api;
    if (!api) return null;
    const result = await run(api);
    if (result.ok) return result.value;
    if (result.error.code !== 'cancelled') onError(result.error);
    return null;
  };
}
