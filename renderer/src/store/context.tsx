import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore as useZustand } from 'zustand';
import type { AppStore, Store } from './index';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useAppStore<T>(selector: (state: Store) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreProvider');
  return useZustand(store, selector);
}

/** The store itself, for calling actions without subscribing to state. */
export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreApi outside StoreProvider');
  return store;
}
