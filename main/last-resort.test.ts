/**
 * The last-resort policy (issue 25.1) with a mocked process: Node calls the listeners in the async
 * context of the code that threw, which the tests reproduce by emitting from inside that context
 * (a timer, a promise continuation, a p-queue task). The real process case is in
 * main/host/faults.test.ts.
 */
import { EventEmitter } from 'node:events';
import PQueue from 'p-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { bindToJob, JobAbandonedError, JobQueue, runAsJob, superviseJob } from './jobs';
import { installLastResort, MAX_LOGS_PER_MINUTE, Secrets } from './last-resort';
import type { FaultProcess } from './last-resort';

const TOKEN = 'secret-pat-Zx81-never-leaves-main-7f3a';
const fdError = () => new TypeError("Cannot read properties of null (reading 'fd')");
const turn = () => new Promise((resolve) => setImmediate(resolve));

let uninstall: (() => void) | null = null;
afterEach(() => {
  uninstall?.();
  uninstall = null;
});

function setup(options: { redact?: (text: string) => string; now?: () => number } = {}) {
  const proc = new EventEmitter();
  const lines: string[] = [];
  uninstall = installLastResort(proc as unknown as FaultProcess, { log: (line) => lines.push(line), ...options });
  /** What Node does with an error nothing caught, from the context of the caller. */
  const uncaught = (error: unknown) => proc.emit('uncaughtException', error, 'uncaughtException');
  const unhandled = (reason: unknown) => proc.emit('unhandledRejection', reason, Promise.resolve());
  return { proc, lines, uncaught, unhandled };
}

/** A job that records its failures and runs until `finish()`. */
function job(label: string) {
  const failures: Error[] = [];
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { label, failures, finish, done, scope: { label, fail: (e: Error) => failures.push(e) } };
}

describe('installLastResort', () => {
  it('listens to both events, and stops listening when removed', () => {
    const { proc } = setup();
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    expect(proc.listenerCount('unhandledRejection')).toBe(1);
    uninstall!();
    uninstall = null;
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });

  it('logs an uncaught exception once, with its stack, and says the app keeps running', () => {
    const { lines, uncaught } = setup();
    const error = fdError();
    uncaught(error);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^last resort: uncaught exception outside any job; the app keeps running: /);
    expect(lines[0]).toContain("TypeError: Cannot read properties of null (reading 'fd')");
    expect(lines[0]).toContain('last-resort.test.ts'); // the stack
  });

  it('fails the job the fault happened in (a timer inside it), once, and no other job', async () => {
    const { lines, uncaught } = setup();
    const a = job('transfer a');
    const b = job('transfer b');
    let again = () => {};
    void runAsJob(a.scope, async () => {
      await turn();
      setTimeout(() => uncaught(fdError()), 5);
      again = bindToJob(() => uncaught(new Error('again')));
      await a.done;
    });
    void runAsJob(b.scope, async () => {
      await b.done;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.failures).toHaveLength(1);
    expect(a.failures[0]).toBeInstanceOf(TypeError);
    expect(b.failures).toEqual([]);
    expect(lines).toEqual([
      expect.stringMatching(/^last resort: uncaught exception in transfer a, which was failed; /),
    ]);
    // A second fault in the same job: logged, the job is failed only once.
    again();
    expect(a.failures).toHaveLength(1);
    expect(lines).toHaveLength(2);
    a.finish();
    b.finish();
  });

  it('an unhandled rejection inside a job fails that job', async () => {
    const { lines, unhandled } = setup();
    const a = job('sync pair p1');
    await runAsJob(a.scope, async () => {
      await turn();
      unhandled(new RangeError('bad offset'));
    });
    expect(a.failures.map((e) => e.message)).toEqual(['bad offset']);
    expect(lines[0]).toMatch(
      /^last resort: unhandled rejection in sync pair p1, which was failed; .*RangeError: bad offset/s,
    );
  });

  it('a fault that comes after the job ended is logged as such, the job is not failed', async () => {
    const { lines, uncaught } = setup();
    const a = job('transfer a');
    let later = () => {};
    await runAsJob(a.scope, async () => {
      later = bindToJob(() => uncaught(fdError()));
    });
    later();
    expect(a.failures).toEqual([]);
    expect(lines[0]).toMatch(/^last resort: uncaught exception in transfer a, which had ended; /);
  });

  it('a job whose fail() throws is still logged, and the listener never throws', async () => {
    const { lines, uncaught } = setup();
    const scope = {
      label: 'transfer x',
      fail: () => {
        throw new Error('fail broke');
      },
    };
    await runAsJob(scope, async () => expect(() => uncaught(fdError())).not.toThrow());
    expect(lines[0]).toMatch(/^last resort: uncaught exception in transfer x, which could not be failed; /);
  });

  it('shows what was thrown when it is not an Error (null, a string, a value whose toString throws)', () => {
    const { lines, uncaught, unhandled } = setup();
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(() => {
      uncaught(null);
      unhandled('plain text');
      uncaught(hostile);
    }).not.toThrow();
    expect(lines).toEqual([
      expect.stringContaining('a non-Error value was thrown: null'),
      expect.stringContaining('a non-Error value was thrown: plain text'),
      expect.stringContaining('a value that cannot be shown was thrown'),
    ]);
  });

  it('never logs the token: the line goes through the redaction (token, encodings, pieces)', () => {
    const secrets = new Secrets();
    secrets.hold(TOKEN);
    const { lines, uncaught, unhandled } = setup({ redact: (text) => secrets.redact(text) });
    uncaught(new Error(`Authorization: Bearer ${TOKEN}`));
    unhandled(new Error(`echo ${encodeURIComponent(TOKEN)} ${Buffer.from(TOKEN).toString('base64')}`));
    uncaught(new Error(`truncated ${TOKEN.slice(5, 20)}`));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toContain('[redacted]');
      expect(line).not.toContain('Zx81-never');
      expect(line).not.toContain(TOKEN.slice(5, 20));
      expect(line).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 12));
    }
  });

  it('a redaction that fails withholds the details rather than logging them', () => {
    const { lines, uncaught } = setup({
      redact: () => {
        throw new Error('redact broke');
      },
    });
    uncaught(new Error(`Bearer ${TOKEN}`));
    expect(lines).toEqual(['last resort: details withheld (they could not be checked for secrets)']);
  });

  it(`logs at most ${MAX_LOGS_PER_MINUTE} faults a minute and then says how many it left out`, () => {
    let now = 1_000_000;
    const { lines, uncaught } = setup({ now: () => now });
    for (let i = 0; i < MAX_LOGS_PER_MINUTE + 5; i++) uncaught(new Error(`fault ${i}`));
    expect(lines).toHaveLength(MAX_LOGS_PER_MINUTE);
    now += 60_000;
    uncaught(new Error('next minute'));
    expect(lines).toHaveLength(MAX_LOGS_PER_MINUTE + 1);
    expect(lines.at(-1)).toContain('next minute');
    expect(lines.at(-1)).toContain('(5 earlier fault(s) were not logged: too many)');
  });
});

describe('bindToJob', () => {
  it('a task that a shared p-queue starts later still counts to the job that queued it', async () => {
    const queue = new PQueue({ concurrency: 1 });
    const a = job('transfer a');
    const b = job('transfer b');
    const { uncaught } = setup();
    // A's task holds the queue; B queues one unbound and one bound task behind it.
    void runAsJob(a.scope, async () => {
      await queue.add(() => turn());
      await a.done;
    });
    void runAsJob(b.scope, async () => {
      void queue.add(() => uncaught(new Error('unbound')));
      void queue.add(bindToJob(() => uncaught(new Error('bound'))));
      await b.done;
    });
    await queue.onIdle();
    // Unbound, p-queue ran B's task in A's context (whoever finished before it): the reason to bind.
    expect(a.failures.map((e) => e.message)).toEqual(['unbound']);
    expect(b.failures.map((e) => e.message)).toEqual(['bound']);
    a.finish();
    b.finish();
  });
});

describe('superviseJob', () => {
  const never = () => new Promise<string>(() => {});

  it('without a fault, the outcome is what the work returned', async () => {
    const onFault = () => {
      throw new Error('not called');
    };
    expect(await superviseJob('job', async () => 'done', { onFault, afterFault: () => 'x' })).toBe('done');
  });

  it('a fault stops the work; a work that winds down ends through afterFault with its outcome', async () => {
    const { uncaught } = setup();
    const controller = new AbortController();
    const outcome = superviseJob(
      'transfer t',
      async () => {
        setImmediate(() => uncaught(fdError()));
        await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
        return 'stopped';
      },
      { onFault: () => controller.abort(), afterFault: (ended) => `failed after ${ended}` },
    );
    expect(await outcome).toBe('failed after stopped');
  });

  it('a faulted step that never returns is given up after graceMs, and its JobQueue place is given back', async () => {
    const { uncaught } = setup();
    const queue = new JobQueue({ concurrency: 1 });
    let queuedRan = false;
    const outcome = superviseJob(
      'transfer t',
      async () => {
        const hung = queue.add(() => {
          setImmediate(() => uncaught(fdError()));
          return never();
        });
        const queued = queue.add(() => (queuedRan = true));
        await Promise.allSettled([hung, queued]);
        return 'never here';
      },
      { onFault: () => {}, afterFault: (ended) => `given up (${String(ended)})`, graceMs: 20 },
    );
    expect(await outcome).toBe('given up (null)');
    // The hung task gave its place back; the task it queued behind it never ran; others run.
    expect(await queue.add(() => 'next job')).toBe('next job');
    expect(queuedRan).toBe(false);
  });

  it('JobQueue tasks of a job given up reject with JobAbandonedError (an abort)', async () => {
    const { uncaught } = setup();
    const queue = new JobQueue({ concurrency: 1 });
    let rejection: unknown;
    await superviseJob(
      'transfer t',
      async () => {
        rejection = queue
          .add(() => {
            setImmediate(() => uncaught(fdError()));
            return never();
          })
          .catch((error: unknown) => error);
        return never();
      },
      { onFault: () => {}, afterFault: () => 'given up', graceMs: 20 },
    );
    const error = await rejection;
    expect(error).toBeInstanceOf(JobAbandonedError);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('Secrets', () => {
  it('scrubs what is held, until every holder released it', () => {
    const secrets = new Secrets();
    const releaseA = secrets.hold(TOKEN);
    const releaseB = secrets.hold(TOKEN);
    expect(secrets.redact(`x ${TOKEN} y`)).toBe('x [redacted] y');
    releaseA();
    releaseA(); // twice is once
    expect(secrets.redact(`x ${TOKEN} y`)).toBe('x [redacted] y');
    releaseB();
    expect(secrets.redact(`x ${TOKEN} y`)).toBe(`x ${TOKEN} y`);
    expect(secrets.redact('nothing held')).toBe('nothing held');
  });
});
