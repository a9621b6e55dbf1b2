/**
 * The last-resort policy for errors nothing caught (issue 25.1), installed by both shells (the
 * Electron main process, main/index.ts, and the browser host, main/host/cli.ts) before anything
 * else runs. An `uncaughtException` or `unhandledRejection` would otherwise end the process, and
 * with it the app (a library's callback that throws, like yauzl's fd-slicer did). Instead it is:
 *   - logged once, one line with its stack, through the shell's log and the app's redaction (no
 *     token, no run secret), at most MAX_LOGS_PER_MINUTE a minute (the rest are counted);
 *   - laid on the job it happened in, where that can be told: a job (a transfer, a sync run) runs
 *     its work inside `runAsJob()`, and Node keeps that async context across timers, I/O callbacks
 *     and promises, so the fault's context names the job, whose `fail()` ends it with an error;
 *   - and the process keeps serving.
 * Attribution follows async context: work that a shared queue starts for a job runs in the context
 * of whoever started it, so such queues bind their tasks to the job that queued them
 * (`bindToJob`). A fault outside any job is logged only.
 */
import { currentJob } from './jobs';
import { TokenPolicy } from './infomaniak/token';

/** What the policy needs of `process` (tests pass an EventEmitter). */
export interface FaultProcess {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
}

export interface LastResortOptions {
  log: (line: string) => void;
  /** Scrubs secrets (tokens, the host's run secret) from the line before it is logged. */
  redact?: (text: string) => string;
  now?: () => number;
}

export const MAX_LOGS_PER_MINUTE = 20;
const MAX_DETAIL_CHARS = 8000;

/** The error as text: its stack (which starts with name and message), or what was thrown. */
function describe(error: unknown): string {
  try {
    if (error instanceof Error) return (error.stack ?? `${error.name}: ${error.message}`).slice(0, MAX_DETAIL_CHARS);
    return `a non-Error value was thrown: ${String(error)}`.slice(0, MAX_DETAIL_CHARS);
  } catch {
    return 'a value that cannot be shown was thrown';
  }
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  try {
    return new Error(String(error));
  } catch {
    return new Error('a value that cannot be shown was thrown');
  }
}

/** Installs the policy on `proc`; returns a function that removes it again. */
export function installLastResort(proc: FaultProcess, options: LastResortOptions): () => void {
  const now = options.now ?? Date.now;
  let windowStart = -Infinity;
  let logged = 0;
  let suppressed = 0;

  const write = (line: string) => {
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      logged = 0;
    }
    if (logged >= MAX_LOGS_PER_MINUTE) {
      suppressed += 1;
      return;
    }
    logged += 1;
    const note = suppressed > 0 ? ` (${suppressed} earlier fault(s) were not logged: too many)` : '';
    suppressed = 0;
    let text = `${line}${note}`;
    try {
      text = options.redact ? options.redact(text) : text;
    } catch {
      text = `${line.slice(0, line.indexOf(':') + 1)} details withheld (they could not be checked for secrets)`;
    }
    options.log(text);
  };

  const handle = (kind: string) => (error: unknown) => {
    try {
      const job = currentJob();
      let where = 'outside any job';
      if (job?.ended) where = `in ${job.label}, which had ended`;
      else if (job) {
        try {
          job.fail(asError(error));
          where = `in ${job.label}, which was failed`;
        } catch {
          where = `in ${job.label}, which could not be failed`;
        }
      }
      write(`last resort: ${kind} ${where}; the app keeps running: ${describe(error)}`);
    } catch {
      // Never throw from here: Node would end the process.
    }
  };

  const onException = handle('uncaught exception');
  const onRejection = handle('unhandled rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

/**
 * The secrets the process holds now (the token of every live Infomaniak client, the host's run
 * secret): what the policy's log line is scrubbed of, the way the client scrubs its own lines
 * (infomaniak/token.ts: the secret, its encodings, any piece of 8 characters or more).
 */
export class Secrets {
  readonly #held = new Map<string, { policy: TokenPolicy; holders: number }>();

  /** Holds `secret` until the returned function is called (each holder releases once). */
  hold(secret: string): () => void {
    const entry = this.#held.get(secret) ?? { policy: new TokenPolicy(secret, []), holders: 0 };
    entry.holders += 1;
    this.#held.set(secret, entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.holders -= 1;
      if (entry.holders === 0) this.#held.delete(secret);
    };
  }

  redact(text: string): string {
    let out = text;
    for (const { policy } of this.#held.values()) out = policy.redact(out);
    return out;
  }
}
