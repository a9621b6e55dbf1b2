/**
 * A transfer run as a job of the last-resort policy (main/last-resort.ts, issue 25.1): an error
 * nothing caught in the run's work fails the transfer with `internal` (the log line has the
 * details; Retry resumes from the parts), at the latest FAULT_GRACE_MS later even if the step that
 * faulted never returns. The file queues are JobQueues, so a file's work counts to its own transfer.
 */
import type { AppError } from '../../shared/model/errors';
import type { Transfer } from '../../shared/model/transfers';
import { superviseJob } from '../jobs';
import type { RunOutcome, TransferRun } from './run';

export { JobQueue } from '../jobs';

const FAULT: AppError = {
  code: 'internal',
  message: 'An unexpected error stopped this download. The details were written to the log; Retry resumes it.',
};

export function superviseRun(run: TransferRun, transfer: Transfer): Promise<RunOutcome> {
  let stopping: TransferRun['reason'] = null;
  return superviseJob(`transfer ${transfer.id}`, () => run.execute(), {
    onFault: () => {
      // A run already being cancelled or shut down ends as that (shut down: it resumes next start).
      stopping = run.reason === 'cancel' || run.reason === 'dispose' ? run.reason : null;
      run.reason = stopping ?? 'fail';
      run.abort.abort();
    },
    afterFault: (ended) => {
      if (stopping) return ended ?? (stopping === 'dispose' ? 'queued' : 'cancelled');
      Object.assign(transfer, { error: FAULT, speed: 0, etaSeconds: null });
      return 'failed';
    },
  });
}
