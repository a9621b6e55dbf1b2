/**
 * The Sync section's one-line summary, shown beside its heading (and alone when the section is
 * collapsed): how many items are kept in sync, how many are syncing, need attention or are paused,
 * and when the last run ended. Pure.
 */
import type { SyncPairStatus } from '../../../../shared/model/sync';

type T = (key: string, options?: Record<string, unknown>) => string;

export function syncSummary(pairs: readonly SyncPairStatus[], t: T, when: (ms: number) => string): string {
  if (pairs.length === 0) return t('sync.none');
  const parts = [t('sync.summary', { count: pairs.length })];
  const count = (test: (p: SyncPairStatus) => boolean) => pairs.filter(test).length;
  const syncing = count((p) => p.state === 'syncing');
  const failing = count((p) => p.state === 'error' || p.state === 'attention');
  const paused = count((p) => p.state === 'paused');
  if (syncing > 0) parts.push(t('sync.summarySyncing', { count: syncing }));
  if (failing > 0) parts.push(t('sync.summaryFailing', { count: failing }));
  if (paused > 0) parts.push(t('sync.summaryPaused', { count: paused }));
  const last = Math.max(...pairs.map((p) => p.lastRun?.finishedAt ?? -Infinity));
  if (Number.isFinite(last)) parts.push(t('sync.summaryLastRun', { when: when(last) }));
  return parts.join(' · ');
}
