/** What every slice of the store is built with: the store's `set`/`get` and `call` for API calls. */
import type { PowerOnApi } from '../../../shared/ipc/api';
import type { Result } from '../../../shared/model/errors';
import type { Store } from './index';

export type SetStore = (partial: Partial<Store>) => void;
export type GetStore = () => Store;
/** Runs an API call; a failure lands in `actionError` and the call returns null. */
export type Call = <T>(run: (api: PowerOnApi) => Promise<Result<T>>) => Promise<T | null>;

export function createCall(set: SetStore, get: GetStore): Call {
  return async (run) => {
    const api = get().api;
    if (!api) return null;
    const result = await run(api);
    if (result.ok) return result.value;
    if (result.error.code !== 'cancelled') set({ actionError: result.error });
    return null;
  };
}
