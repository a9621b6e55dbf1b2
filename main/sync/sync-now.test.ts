import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncRunResult } from '../../shared/model/sync';
import { syncNowHeadless, syncSummary } from './sync-now';

const run = (counts: Partial<typeof EMPTY_COUNTS>, ok = true): SyncRunResult => ({
  startedAt: 0,
  finishedAt: 1,
  ok,
  counts: { ...EMPTY_COUNTS, ...counts },
  via: 'listing',
  requests: 1,
  ...(ok ? {} : { error: { code: 'token_invalid', message: 'The token was refused.' } }),
});

describe('--sync-now without a running app', () => {
  it('one line, exit 0 when every pair synced', async () => {
    const lines: string[] = [];
    const code = await syncNowHeadless({ runNow: async () => [run({ added: 3 }), run({ updated: 1 })] }, (l) =>
      lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines).toEqual([
      'PowerOn Sources: 2 pairs synced: 3 new, 1 updated, 0 moved, 0 trashed, 0 conflicts; no errors',
    ]);
  });

  it('exit 1 and the reason when a pair failed', async () => {
    const lines: string[] = [];
    const code = await syncNowHeadless({ runNow: async () => [run({}, false)] }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines[0]).toContain('1 failed (The token was refused.)');
    expect(syncSummary([])).toContain('0 pairs synced');
  });

  it('exit 2 and the question when a pair needs attention (the mass-delete guard held deletions)', async () => {
    const lines: string[] = [];
    const held: SyncRunResult = {
      ...run({ added: 1 }),
      ok: false,
      held: { reason: 'mass', count: 1240, total: 1300 },
      attention: true,
    };
    const code = await syncNowHeadless({ runNow: async () => [run({ updated: 2 }), held] }, (l) => lines.push(l));
    expect(code).toBe(2);
    expect(lines).toEqual([
      'PowerOn Sources: 2 pairs synced: 1 new, 2 updated, 0 moved, 0 trashed, 0 conflicts; no errors; 1 needs attention (1240 of 1300 files reported removed: nothing trashed, answer in the app)',
    ]);
  });
});
