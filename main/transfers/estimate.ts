/**
 * How long a transfer takes at the token's request budget (issue 22.3: "about 4 min at Infomaniak's
 * 60 requests/min"). A file fetched on its own costs one request, an archive two (create, download;
 * a same-origin redirect hop may add one), a file that comes from an archive none. A job with more
 * requests left than one window of the budget allows is bound by the budget: it is told how many
 * requests are left and how long they take, one per slot of the window. While the files are still
 * being counted, this is what is known so far (at least this long).
 */
import type { Transfer } from '../../shared/model/transfers';

export interface Budget {
  /** Requests per window. */
  limit: number;
  windowMs: number;
}

export type Estimate = NonNullable<Transfer['estimate']>;

/** Requests one archive costs: create it and download it. */
export const ARCHIVE_REQUESTS = 2;

/** The estimate for `requests` still to send, or null when the budget does not bind them (or is unknown). */
export function budgetEstimate(requests: number, budget: Budget | undefined, complete: boolean): Estimate | null {
  if (!budget || requests <= budget.limit) return null;
  const seconds = Math.ceil((requests * budget.windowMs) / budget.limit / 1000);
  return { requests, seconds, limit: budget.limit, windowMs: budget.windowMs, complete };
}

/** What a run knows about the requests it still has to send. */
export interface RequestCount {
  /** Files known so far (the walk's total, or what was counted). */
  files: number;
  /** Of those: finished (written or skipped), or failed. */
  settled: number;
  /** Of those: still to come from an archive (no request of their own). */
  fromArchives: number;
  /** Archives still to create and download. */
  archives: number;
  /** Requests of selected files not laid out yet (selection-route.ts `SelectionGroups.requests`). */
  waiting: number;
}

export function requestsLeft(count: RequestCount): number {
  const own = Math.max(0, count.files - count.settled - count.fromArchives);
  return own + count.archives * ARCHIVE_REQUESTS + count.waiting;
}

/** Whether two estimates read the same (the record changes only when the shown text may). */
export function sameEstimate(a: Estimate | null | undefined, b: Estimate | null): boolean {
  if (!a || !b) return (a ?? null) === b;
  return a.requests === b.requests && a.seconds === b.seconds && a.complete === b.complete;
}
