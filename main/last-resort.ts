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
import { AsyncLocalStorage } from 'node:async_hooks';
import PQueue from 'p-queue';
import type { QueueAddOptions } from 'p-queue';
import { TokenPolicy } from './infomaniak/token';

export interface JobScope {
  /** How the log names the job, e.g. `transfer <id>` (ids only: no names or paths). */
  label: string;
  /** Ends the job with this fault (called at most once per job). */
  fail(error: Error): void;
}

interface Job extends JobScope {
  /** The job's work has settled: a fault that still comes (from a callback it left behind) fails nothing. */
  ended: boolean;
  /** Given up after a fault (superviseJob): its queued tasks no longer run, its running ones give their place back. */
  abandoned: boolean;
  /** Ends a running JobQueue task of this job (its place in the queue), by task. */
  running: Set<() => void>;
}

const jobs = new AsyncLocalStorage<Job>();

function startJob<T>(scope: JobScope, fn: () => T): { result: T; abandon: () => void } {
  let failed = false;
  const job: Job = {
    label: scope.label,
    ended: false,
    abandoned: false,
    running: new Set(),
    fail: (error) => {
      if (failed) return;
      failed = true;
      scope.fail(error);
    },
  };
  const result = jobs.run(job, fn);
  const end = () => (job.ended = true);
  if (result instanceof Promise) result.then(end, end);
  else end();
  const abandon = () => {
    job.abandoned = true;
    for (const release of job.running) release();
  };
  return { result, abandon };
}

/** Runs `fn` as `scope`'s job: an uncaught error in anything it starts, until it settles, fails the job. */
export function runAsJob<T>(scope: JobScope, fn: () => T): T {
  return startJob(scope, fn).result;
}

/** `fn`, run later (e.g. by a shared p-queue), still counted to the job that is current now. */
export function bindToJob<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return AsyncLocalStorage.bind(fn);
}

type TaskOptions = { signal?: AbortSignal | undefined };
type Task<T> = ((options: TaskOptions) => PromiseLike<T>) | ((options: TaskOptions) => T);

export class JobAbandonedError extends Error {
  override name = 'AbortError';
  constructor(label: string) {
    super(`${label} was given up after an error nothing caught`);
  }
}

/**
 * A p-queue whose tasks count to the job of whoever queued them (p-queue itself starts a task in
 * the context of the task that finished before it). A task of a job that was given up does not
 * start, and one still running gives its place back, so a step that never returns does not hold
 * the shared queue for ever.
 */
export class JobQueue extends PQueue {
  override add<T>(task: Task<T>, options?: Partial<QueueAddOptions>): Promise<T> {
    const job = jobs.getStore();
    const bound = bindToJob(task as (options: TaskOptions) => T);
    if (!job) return super.add<T>(bound, options);
    const guarded = (taskOptions: TaskOptions) =>
      new Promise<T>((resolve, reject) => {
        if (job.abandoned) return reject(new JobAbandonedError(job.label));
        const release = () => reject(new JobAbandonedError(job.label));
        job.running.add(release);
        Promise.resolve()
          .then(() => bound(taskOptions))
          .then(resolve, reject)
          .finally(() => job.running.delete(release));
      });
    return super.add<T>(guarded, options);
  }
}

/** How long a faulted job may take to wind down before it is given up (superviseJob). */
export const FAULT_GRACE_MS = 5000;

export interface Supervision<T> {
  /** Stops the job's work (e.g. aborts it); called on its first fault. */
  onFault(error: Error): void;
  /** The job's outcome after a fault: what the work returned, or null when it was given up. */
  afterFault(ended: T | null): T;
  graceMs?: number;
}

/**
 * Runs `work` as the job `label`. A fault stops it (`onFault`), and its outcome then goes through
 * `afterFault` at the latest `graceMs` later: a step that never returns is left behind, aborted
 * (and its JobQueue places given back), and the job still ends.
 */
export function superviseJob<T>(label: string, work: () => Promise<T>, supervision: Supervision<T>): Promise<T> {
  const GAVE_UP = Symbol('gave up');
  let faulted = false;
  let startGrace = () => {};
  const givenUp = new Promise<typeof GAVE_UP>((resolve) => {
    startGrace = () => setTimeout(() => resolve(GAVE_UP), supervision.graceMs ?? FAULT_GRACE_MS).unref();
  });
  const fail = (error: Error) => {
    faulted = true;
    supervision.onFault(error);
    startGrace();
  };
  const { result, abandon } = startJob({ label, fail }, work);
  return Promise.race([result, givenUp]).then((outcome) => {
    if (outcome === GAVE_UP) abandon();
    if (!faulted) return outcome as T;
    return supervision.afterFault(outcome === GAVE_UP ? null : outcome);
  });
}

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
      const job = jobs.getStore();
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
