/**
 * Small persistent key/value stores (settings, connections). The Electron shell passes an
 * electron-store factory, the browser host a `conf` factory (electron-store is conf plus Electron
 * defaults); services only see this interface.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}

export type StoreFactory = (options: { cwd: string; name: string }) => KeyValueStore;

export interface CorruptStoreReport {
  file: string;
  movedTo: string;
  reason: string;
}

/**
 * Opens a store, first checking that its file is readable JSON. A corrupt file is moved aside
 * (kept, never deleted) and reported, and a fresh store starts: the app always starts.
 */
export function openStore(
  factory: StoreFactory,
  options: { cwd: string; name: string; now?: () => number },
  onCorrupt: (report: CorruptStoreReport) => void,
): KeyValueStore {
  const file = join(options.cwd, `${options.name}.json`);
  if (existsSync(file)) {
    let reason: string | null = null;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) reason = 'not a JSON object';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    if (reason !== null) {
      const stamp = new Date(options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-');
      const movedTo = join(options.cwd, `${options.name}.corrupt-${stamp}.json`);
      renameSync(file, movedTo);
      onCorrupt({ file, movedTo, reason });
    }
  }
  return factory({ cwd: options.cwd, name: options.name });
}

/** An in-memory store for tests. */
export function memoryStore(path = ':memory:'): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    path,
    get: (key) => structuredClone(data.get(key)),
    set: (key, value) => void data.set(key, structuredClone(value)),
    delete: (key) => void data.delete(key),
  };
}
