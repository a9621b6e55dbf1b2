/**
 * `--sync-now` without a running app: sync every pair that is not paused, print one line, and
 * tell the caller the exit code (0: all pairs synced without errors; 1: otherwise). Used by the
 * Electron shell (no other instance running) and the browser host, e.g. from cron.
 */
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts, SyncRunResult } from '../../shared/model/sync';

export function syncSummary(results: SyncRunResult[]): string {
  const total: SyncCounts = { ...EMPTY_COUNTS };
  for (const r of results) for (const key of Object.keys(total) as Array<keyof SyncCounts>) total[key] += r.counts[key];
  const failed = results.filter((r) => !r.ok);
  const head = `PowerOn Sources: ${results.length} pair${results.length === 1 ? '' : 's'} synced`;
  const counts = `${total.added} new, ${total.updated} updated, ${total.moved} moved, ${total.trashed} trashed, ${total.conflicts} conflicts`;
  const errors =
    failed.length === 0 ? 'no errors' : `${failed.length} failed (${failed[0]!.error?.message ?? 'error'})`;
  return `${head}: ${counts}; ${errors}`;
}

export async function syncNowHeadless(
  sync: { runNow(): Promise<SyncRunResult[]> },
  write: (line: string) => void,
): Promise<number> {
  const results = await sync.runNow();
  write(syncSummary(results));
  return results.every((r) => r.ok) ? 0 : 1;
}
