/**
 * One signal per file, all aborted by ONE listener on the run's signal. Everything that waits for
 * a file (p-queue while it is queued and while it runs, the client's request, the writer's retry
 * wait, an open question about a taken name) listens to the file's own signal, so the run's
 * signal keeps the same few listeners however many files a folder has (before, Node warned
 * "MaxListenersExceededWarning: 11 abort listeners added to [AbortSignal]" and the count grew with
 * the files queued or waiting for an answer).
 */
export class SignalFanout {
  readonly #parent: AbortSignal;
  readonly #children = new Set<AbortController>();

  constructor(parent: AbortSignal) {
    this.#parent = parent;
    parent.addEventListener('abort', this.#abortAll, { once: true });
  }

  /** Files whose signal is still tied to the run's (started and not yet settled). */
  get size(): number {
    return this.#children.size;
  }

  /** Runs `task` with a signal of its own that aborts with the run's (same reason); forgotten when the task settles. */
  async run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const child = new AbortController();
    if (this.#parent.aborted) child.abort(this.#parent.reason);
    else this.#children.add(child);
    try {
      return await task(child.signal);
    } finally {
      this.#children.delete(child);
    }
  }

  readonly #abortAll = (): void => {
    const reason: unknown = this.#parent.reason;
    const children = [...this.#children];
    this.#children.clear();
    for (const child of children) child.abort(reason);
  };
}
