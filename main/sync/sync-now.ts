/**
 * `--sync-now` without a running app: sync every pair that is not paused, print one line, and
 * tell the caller the exit code (0: all pairs synced without errors; 1: errors; 2: a pair needs
 * attention — deletions held by the mass-delete guard, an empty or missing pair folder, a link on
 * the way, the token). Used by the Electron shell (no other instance running) and the browser
 * host, e.g. from cron.
 */
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncCounts, SyncRunResult } from '../../shared/model/sync';

export function syncSummary(results: SyncRunResult[]): string {
  const total: SyncCounts = { ...EMPTY_COUNTS };
  for (const r of results) for (const key of Object.keys(total) as Array<keyof SyncCounts>) total[key] += r.counts[key];
  const failed = results.filter((r) => !r.ok && !r.attention);
  const attention = results.filter((r) => r.attention);
  const head = `PowerOn Sources: ${results.length} pair${results.length === 1 ? '' : 's'} synced`;
  const counts = `${total.added} new, ${total.updated} updated, ${total.moved} moved, ${total.trashed} trashed, ${total.conflicts} conflicts`;
  const errors =
    failed.length === 0 ? 'no errors' : `${failed.length} failed (${failed[0]!.error?.message ?? 'error'})`;
  const asks =
    attention.length === 0
      ? ''
      : `; ${attention.length} need${attention.length === 1 ? 's' : ''} attention (${heldText(attention[0]!)})`;
  return `${head}: ${counts}; ${errors}${asks}`;
}

/** What a pair that needs attention asks, in a few words. */
function heldText(run: SyncRunResult): string {
  const held = run.held;
  if (held?.reason === 'mass')
    return `${held.count} of ${held.total} files reported removed: nothing trashed, answer in the app`;
  if (held?.reason === 'empty')
    return `the folder is empty but held ${held.total} files: nothing downloaded, is its disk connected?`;
  if (held?.reason === 'missing') return 'the folder is missing: is its disk connected?';
  return run.error?.message ?? 'see the app';
}

export async function syncNowHeadless(
  sync: { runNow(): Promise<SyncRunResult[]> },
  write: (line: string) => void,
): Promise<number> {
  const results = await sync.runNow();
  write(syncSummary(results));
  if (results.some((r) => r.attention)) return 2;
  return results.every((r) => r.ok) ? 0 : 1;
}
