/**
 * `--sync-now` without a running app, for cron: sync every pair that is not paused, print exactly
 * one line on stdout (the summary), write nothing on stderr unless something failed (then one line
 * per failed pair), and exit with
 *   0  every pair synced without errors,
 *   1  a pair failed (an error a later run may not have: network, a file, the disk…),
 *   2  a pair needs attention (its state is `attention`: the token, a scope, access, deletions held by
 *      the mass-delete guard, an empty or missing pair folder, a link on the way; retrying alone
 *      will not help).
 * The log (requests, probes) goes to a log file (`syncNowLog`), and to stderr only with --verbose.
 * Used by the Electron shell (no other instance running) and the browser host.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts, SyncHeld, SyncPairStatus, SyncRunResult } from '../../shared/model/sync';

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_ATTENTION = 2;

/** Name of the log file in the data folder. */
export const SYNC_NOW_LOG = 'sync-now.log';
/** Above this size the log is moved to `<file>.1` (one generation kept) when a run starts. */
const MAX_LOG_BYTES = 1024 * 1024;

export interface SyncNowOutcome {
  line: string;
  /** One line per pair that failed or needs attention (for stderr). */
  problems: string[];
  code: number;
}

/** The pairs that ran (not paused) with their state after the run, and the runs' results. */
export function syncNowOutcome(results: SyncRunResult[], statuses: SyncPairStatus[]): SyncNowOutcome {
  const total: SyncCounts = { ...EMPTY_COUNTS };
  for (const r of results) for (const key of Object.keys(total) as Array<keyof SyncCounts>) total[key] += r.counts[key];
  const ran = statuses.filter((s) => !s.pair.paused);
  const attention = ran.filter((s) => s.state === 'attention' || s.held);
  const failed = ran.filter((s) => !attention.includes(s) && (s.state === 'error' || s.lastRun?.ok === false));
  // Results without a status (a pair removed meanwhile) still count as failed when they failed.
  const unmatched = Math.max(0, results.filter((r) => !r.ok).length - attention.length - failed.length);
  const unmatchedAttention = Math.max(0, results.filter((r) => r.attention).length - attention.length);
  const head = `PowerOn Sources: ${results.length} pair${results.length === 1 ? '' : 's'} synced`;
  const counts = `${total.added} new, ${total.updated} updated, ${total.moved} moved, ${total.trashed} trashed, ${total.conflicts} conflicts`;
  const reason = (s: SyncPairStatus): string =>
    s.held ? heldText(s.held) : (s.error?.message ?? s.lastRun?.error?.message ?? 'error');
  const parts: string[] = [];
  const asking = attention.length + unmatchedAttention;
  if (asking > 0) {
    const first = attention[0]
      ? reason(attention[0])
      : (results.find((r) => r.attention)?.error?.message ?? 'see the app');
    parts.push(`${asking} need${asking === 1 ? 's' : ''} attention (${first})`);
  }
  if (failed.length + unmatched > 0) {
    const first = failed[0] ? reason(failed[0]) : (results.find((r) => !r.ok)?.error?.message ?? 'error');
    parts.push(`${failed.length + unmatched} failed (${first})`);
  }
  const problems = [...attention, ...failed].map(
    (s) => `PowerOn Sources: "${s.pair.name}" ${attention.includes(s) ? 'needs attention' : 'failed'}: ${reason(s)}`,
  );
  const code = asking > 0 ? EXIT_ATTENTION : failed.length + unmatched > 0 ? EXIT_ERRORS : EXIT_OK;
  return { line: `${head}: ${counts}; ${parts.length > 0 ? parts.join(', ') : 'no errors'}`, problems, code };
}

/** Kept for callers that only want the line. */
export function syncSummary(results: SyncRunResult[], statuses: SyncPairStatus[] = []): string {
  return syncNowOutcome(results, statuses).line;
}

/** What a held pair asks, in a few words. */
function heldText(held: SyncHeld): string {
  if (held.reason === 'mass')
    return `${held.count} of ${held.total} files reported removed: nothing trashed, answer in the app`;
  if (held.reason === 'empty')
    return `the folder is empty but held ${held.total} files: nothing downloaded, is its disk connected?`;
  return 'the folder is missing: is its disk connected?';
}

export async function syncNowHeadless(
  sync: { runNow(): Promise<SyncRunResult[]>; list(): SyncPairStatus[] },
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const results = await sync.runNow();
  const outcome = syncNowOutcome(results, sync.list());
  io.out(outcome.line);
  for (const line of outcome.problems) io.err(line);
  return outcome.code;
}

/**
 * The log of a `--sync-now` run: appended to `file` (created with its folder; moved to `file.1`
 * when larger than 1 MiB), echoed to `verbose` when given (stderr with --verbose). A log line that
 * cannot be written is dropped: logging never fails the run.
 */
export function syncNowLog(file: string, verbose?: (line: string) => void): (line: string) => void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // no log file: lines are dropped (or only echoed)
  }
  return (line) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    verbose?.(stamped);
    try {
      appendFileSync(file, `${stamped}\n`);
    } catch {
      // dropped
    }
  };
}
