import { settingsPatch } from '../../shared/ipc/contract';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Settings } from '../../shared/model/settings';
import type { KeyValueStore } from './store';

/**
 * User settings, validated on the way in (IPC schema) and on the way out of disk: a value that no
 * longer fits (hand-edited, older version) falls back to its default instead of breaking the app.
 */
export class SettingsStore {
  #store: KeyValueStore;
  #current: Settings;
  /** Keys this install has a stored value for (every save stores them all). */
  #stored = new Set<string>();
  #listeners = new Set<(settings: Settings) => void>();

  constructor(store: KeyValueStore, onInvalid?: (keys: string[]) => void) {
    this.#store = store;
    const raw = store.get('settings');
    const merged: Settings = { ...DEFAULT_SETTINGS };
    const invalid: string[] = [];
    if (raw && typeof raw === 'object') {
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        const parsed = settingsPatch.safeParse({ [key]: value });
        if (parsed.success) {
          Object.assign(merged, parsed.data);
          this.#stored.add(key);
        } else invalid.push(key);
      }
    }
    if (invalid.length > 0) onInvalid?.(invalid);
    this.#current = merged;
  }

  get(): Settings {
    return structuredClone(this.#current);
  }

  update(patch: Partial<Settings>): Settings {
    this.#current = { ...this.#current, ...structuredClone(patch) };
    this.#store.set('settings', this.#current);
    for (const key of Object.keys(this.#current)) this.#stored.add(key);
    const snapshot = this.get();
    for (const listener of this.#listeners) listener(snapshot);
    return snapshot;
  }

  /**
   * An earlier default this install relied on, kept where it never stored a value of its own (a
   * changed default must not change what an existing install does). Returns the keys written.
   */
  keepEarlier(values: Partial<Settings>): string[] {
    const missing = Object.keys(values).filter((key) => !this.#stored.has(key)) as Array<keyof Settings>;
    if (missing.length === 0) return [];
    this.update(Object.fromEntries(missing.map((key) => [key, values[key]])) as Partial<Settings>);
    return missing;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
