/**
 * What a run counts on its Transfer record besides bytes: the totals (the job's, else what the walk
 * found once it has ended), the budget estimate (estimate.ts), and the waits shown on the row
 * (the token's request budget, the writer's next attempt). Split out of run.ts.
 */
import type { Transfer } from '../../shared/model/transfers';
import { budgetEstimate, requestsLeft, sameEstimate } from './estimate';
import type { Budget } from './estimate';

export class RunTally {
  #transfer: Transfer;
  #changed: () => void;
  /** Sizes: the job's total if given (one node), else the sum of known sizes once the walk has ended. */
  #jobBytesTotal: number | null = null;
  #jobFilesTotal: number | null = null;
  knownBytes = 0;
  unknownSizes = 0;
  filesSeen = 0;
  /** Files known to exist before they are seen (a walk buffered for an archive that did not end). */
  #counted = 0;
  walked = false;
  /** Every node of the transfer is resolved and walked (selected files may still wait for their archives). */
  resolved = false;
  /** Files that failed (they spend nothing more). */
  failedFiles = 0;
  /** Files to come from archives, and archives still to create and download (for the estimate). */
  planned = 0;
  archives = 0;
  /** Requests of selected files not laid out yet (selection-route.ts). */
  waitingRequests: () => number = () => 0;
  budget: Budget | undefined;
  /** Files waiting for the token's request budget, and until when (unix ms). */
  #waits = new Map<object, number>();

  constructor(transfer: Transfer, changed: () => void) {
    this.#transfer = transfer;
    this.#changed = changed;
  }

  /** The job's own totals (a single node), or the walk's once it is buffered whole. */
  jobTotals(files: number | null, bytes: number | null): void {
    this.#jobFilesTotal = files;
    this.#jobBytesTotal = bytes;
    this.update();
  }

  /** Archives still to download (`count` more, or fewer when negative). */
  addArchives(count: number): void {
    this.archives += count;
    this.update();
  }

  /** Files to come from archives (`count` more, or fewer when negative). */
  addPlanned(count: number): void {
    this.planned += count;
    this.update();
  }

  /** At least this many files (a walk too large for an archive, still going on). */
  counted(files: number): void {
    this.#counted = Math.max(this.#counted, files);
    this.update();
  }

  update(): void {
    const t = this.#transfer;
    t.filesTotal = this.#jobFilesTotal ?? (this.walked ? this.filesSeen : null);
    t.bytesTotal = this.#jobBytesTotal ?? (this.walked && this.unknownSizes === 0 ? this.knownBytes : null);
    const requests = requestsLeft({
      files: Math.max(t.filesTotal ?? 0, this.filesSeen, this.#counted),
      settled: t.filesDone + this.failedFiles,
      fromArchives: this.planned,
      archives: this.archives,
      waiting: this.waitingRequests(),
    });
    const complete = this.walked || this.resolved || this.#jobFilesTotal !== null;
    const estimate = budgetEstimate(requests, this.budget, complete);
    if (!sameEstimate(t.estimate, estimate)) t.estimate = estimate;
    this.#changed();
  }

  /** "Waiting for Infomaniak's rate limit, 12 s": until the last waiting file (`file`) may go. */
  waiting(file: object, ms: number): void {
    if (ms > 0) this.#waits.set(file, Date.now() + ms);
    else this.#waits.delete(file);
    const latest = Math.max(0, ...this.#waits.values());
    this.#transfer.waitingUntil = latest > 0 ? latest : null;
    this.#changed();
  }

  /** "Waiting for the server, retrying in 12 s": when the writer's next attempt starts (cleared by fresh bytes). */
  retrying(ms: number): void {
    this.#transfer.retryingAt = Date.now() + ms;
    this.#changed();
  }
}
