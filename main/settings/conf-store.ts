import Conf from 'conf';
import type { StoreFactory } from './store';

/** A StoreFactory on `conf`, for the browser host and tests (no Electron needed). */
export const confStoreFactory: StoreFactory = ({ cwd, name }) => {
  const conf = new Conf<Record<string, unknown>>({
    cwd,
    configName: name,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
  });
  return {
    path: conf.path,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
};
