/**
 * Per-transfer change notifications. Changes are collected by transfer id and sent as ONE batch
 * per interval (default 100 ms): a transfer appears at most once per batch, so at most 10 times a
 * second, whatever its files do. Never the whole list: a batch carries only what changed.
 */
import type { Transfer, TransferChanges } from '../../shared/model/transfers';

export interface ChangeNotifierOptions {
  /** Current wire form of a transfer, or undefined when it is gone. */
  snapshot: (id: string) => Transfer | undefined;
  send: (changes: TransferChanges) => void;
  /** Minimum ms between two batches. Default 100. */
  intervalMs?: number;
  log?: (line: string) => void;
}

export class ChangeNotifier {
  #options: ChangeNotifierOptions;
  #changed = new Set<string>();
  #removed = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #last = 0;
  #closed = false;
  #waiters: Array<() => void> = [];

  constructor(options: ChangeNotifierOptions) {
    this.#options = options;
  }

  /** The transfer changed; it goes out with the next batch. */
  changed(id: string): void {
    if (this.#closed) return;
    this.#changed.add(id);
    this.#schedule();
  }

  removed(id: string): void {
    if (this.#closed) return;
    this.#changed.delete(id);
    this.#removed.add(id);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) return;
    const interval = this.#options.intervalMs ?? 100;
    const wait = Math.max(0, this.#last + interval - Date.now());
    // Even with no wait, a timer: everything changed in this turn of the event loop is one batch.
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, wait);
  }

  /** Resolves once nothing is pending, keeping the pace (the pending batch goes out on its time). */
  drained(): Promise<void> {
    if (!this.#timer) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Sends what is pending now (shutdown). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const wake of this.#waiters.splice(0)) wake();
    if (this.#changed.size === 0 && this.#removed.size === 0) return;
    this.#last = Date.now();
    const changed: Transfer[] = [];
    for (const id of this.#changed) {
      const transfer = this.#options.snapshot(id);
      if (transfer) changed.push(transfer);
    }
    const batch: TransferChanges = { changed, removed: [...this.#removed] };
    this.#changed.clear();
    this.#removed.clear();
    try {
      this.#options.send(batch);
    } catch (error) {
      this.#options.log?.(`transfers: sending changes failed: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  /** Sends what is pending and stops. */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
