import { beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { SyncPairStatus } from '../../../../shared/model/sync';
import { initI18n, setLanguage } from '../../i18n';
import { syncSummary } from './sync-summary';

beforeAll(async () => {
  await initI18n('en');
});

const t = (key: string, o?: Record<string, unknown>) => i18next.t(key, o);
const pair = (state: SyncPairStatus['state'], finishedAt?: number): SyncPairStatus =>
  ({
    pair: { id: state, name: state },
    state,
    progress: null,
    lastRun: finishedAt === undefined ? null : { finishedAt },
    nextRunAt: null,
    error: null,
  }) as unknown as SyncPairStatus;

describe('the Sync section’s one-line summary (23.3)', () => {
  it('counts the items, says what needs a look and when the last run ended, in both languages', async () => {
    const when = (ms: number) => `@${ms}`;
    expect(syncSummary([], t, when)).toBe('No folders are kept in sync.');
    expect(syncSummary([pair('idle')], t, when)).toBe('1 item kept in sync');
    const three = [pair('idle', 5), pair('syncing', 9), pair('error', 7)];
    expect(syncSummary(three, t, when)).toBe('3 items kept in sync · 1 syncing · 1 needs attention · last run @9');
    await setLanguage('de');
    const two = [pair('syncing'), pair('syncing'), pair('attention'), pair('error'), pair('paused')];
    expect(syncSummary(two, t, when)).toBe(
      '5 Elemente synchron · 2 werden synchronisiert · 2 brauchen Aufmerksamkeit · 1 pausiert',
    );
    await setLanguage('en');
  });
});
