/**
 * Shutdown for both shells: wait for `dispose()` (transfers saved, journals flushed, clients
 * closed), but never longer than a bound, so a stuck request cannot keep the app from quitting.
 */

export const SHUTDOWN_WAIT_MS = 3000;

/** Runs `dispose` and resolves when it ends or after `ms`, whichever comes first; never rejects. */
export async function disposeWithin(
  dispose: () => Promise<void>,
  ms: number,
  log: (line: string) => void,
): Promise<'done' | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const done = Promise.resolve()
    .then(dispose)
    .then(
      () => 'done' as const,
      (error: unknown) => {
        log(`shutdown: dispose failed: ${error instanceof Error ? error.message : String(error)}`);
        return 'done' as const;
      },
    );
  const outcome = await Promise.race([done, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') log(`shutdown: gave up waiting for pending work after ${ms} ms`);
  return outcome;
}

/** What the Electron shell's quit handler needs of `app` (kept structural so tests need no Electron). */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Electron: the first `before-quit` is held (preventDefault) until dispose ends or the bound
 * passes, then the app quits for real; later `before-quit`s pass through.
 */
export function holdQuitForDispose(
  app: QuittingApp,
  dispose: () => Promise<void>,
  log: (line: string) => void,
  ms = SHUTDOWN_WAIT_MS,
): void {
  let state: 'running' | 'disposing' | 'disposed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'disposed') return;
    event.preventDefault();
    if (state === 'disposing') return;
    state = 'disposing';
    void disposeWithin(dispose, ms, log).then(() => {
      state = 'disposed';
      app.quit();
    });
  });
}

/** What the host's signal handling needs of `process`. */
export interface SignalledProcess {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
}

/** The browser host: on SIGINT/SIGTERM, close the server, wait (bounded) for dispose, then exit. */
export function exitOnSignals(
  proc: SignalledProcess,
  steps: { close: () => Promise<void>; dispose: () => Promise<void> },
  log: (line: string) => void,
  ms = SHUTDOWN_WAIT_MS,
): void {
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void disposeWithin(
      async () => {
        await steps.close();
        await steps.dispose();
      },
      ms,
      log,
    ).then((outcome) => proc.exit(outcome === 'done' ? 0 : 1));
  };
  proc.on('SIGINT', shutdown);
  proc.on('SIGTERM', shutdown);
}
