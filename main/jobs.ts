/**
 * Jobs for the last-resort policy (main/last-resort.ts, issue 25.1): a job (a transfer, a sync run)
 * runs its work inside `runAsJob()`, and Node keeps that async context across timers, I/O
 * callbacks and promises, so a fault nothing caught can be laid on the job it happened in
 * (`currentJob()`). Work that a shared queue starts for a job runs in the context of whoever
 * started it, so shared queues bind their tasks to the job that queued them (`JobQueue`,
 * `bindToJob`): the transfers' file queues and the Infomaniak client's request queue.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import PQueue from 'p-queue';
import type { QueueAddOptions } from 'p-queue';

export interface JobScope {
  /** How the log names the job, e.g. `transfer <id>` (ids only: no names or paths). */
  label: string;
  /** Ends the job with this fault (called at most once per job). */
  fail(error: Error): void;
}

export interface Job extends JobScope {
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

/** The job whose work is running now, if any. */
export function currentJob(): Job | undefined {
  return jobs.getStore();
}
