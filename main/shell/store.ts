import ElectronStore from 'electron-store';
import type { StoreFactory } from '../settings/store';

/** A StoreFactory on electron-store (the Electron app's settings and vault files). */
export const electronStoreFactory: StoreFactory = ({ cwd, name }) => {
  const store = new ElectronStore<Record<string, unknown>>({
    cwd,
    name,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
  });
  return {
    path: store.path,
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
};
