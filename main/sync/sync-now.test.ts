import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../shared/model/sync';
import type { SyncPairStatus, SyncRunResult, SyncState } from '../../shared/model/sync';
import type { AppError } from '../../shared/model/errors';
import { EXIT_ATTENTION, EXIT_ERRORS, EXIT_OK, syncNowHeadless, syncNowLog, syncSummary } from './sync-now';

const run = (counts: Partial<typeof EMPTY_COUNTS>, error?: AppError): SyncRunResult => ({
  startedAt: 0,
  finishedAt: 1,
  ok: !error,
  counts: { ...EMPTY_COUNTS, ...counts },
  via: 'listing',
  requests: 1,
  ...(error ? { error } : {}),
});

const status = (name: string, state: SyncState, lastRun: SyncRunResult, paused = false): SyncPairStatus => ({
  pair: {
    id: name,
    connectionId: 'c',
    nodeId: `conn:c/kdrive/drive:1/f:${name.length}`,
    kind: 'kdrive',
    layout: 'tree',
    name,
    localPath: `/tmp/${name}`,
    ignoreLocalDeletes: false,
    paused,
    createdAt: 0,
  },
  state,
  progress: null,
  lastRun,
  nextRunAt: null,
  error: lastRun.error ?? null,
  held: null,
});

async function headless(results: SyncRunResult[], statuses: SyncPairStatus[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await syncNowHeadless(
    { runNow: async () => results, list: () => statuses },
    { out: (l) => out.push(l), err: (l) => err.push(l) },
  );
  return { code, out, err };
}

const refused: AppError = { code: 'token_invalid', message: 'The token was refused.' };
const offline: AppError = { code: 'network', message: 'Infomaniak could not be reached.' };

describe('--sync-now without a running app', () => {
  it('exit 0, one line on stdout, nothing on stderr when every pair synced', async () => {
    const a = run({ added: 3 });
    const b = run({ updated: 1 });
    const { code, out, err } = await headless([a, b], [status('A', 'idle', a), status('B', 'idle', b)]);
    expect(code).toBe(EXIT_OK);
    expect(out).toEqual([
      'PowerOn Sources: 2 pairs synced: 3 new, 1 updated, 0 moved, 0 trashed, 0 conflicts; no errors',
    ]);
    expect(err).toEqual([]);
  });

  it('exit 1 and the reason when a pair failed; the failure named on stderr', async () => {
    const a = run({ added: 1 });
    const b = run({}, offline);
    const { code, out, err } = await headless([a, b], [status('A', 'idle', a), status('B', 'error', b)]);
    expect(code).toBe(EXIT_ERRORS);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('1 new');
    expect(out[0]).toContain('1 failed (Infomaniak could not be reached.)');
    expect(err).toEqual(['PowerOn Sources: "B" failed: Infomaniak could not be reached.']);
  });

  it('exit 2 when a pair needs attention (before errors), and the line says so', async () => {
    const a = run({}, refused);
    const b = run({}, offline);
    const { code, out, err } = await headless([a, b], [status('A', 'attention', a), status('B', 'error', b)]);
    expect(code).toBe(EXIT_ATTENTION);
    expect(out[0]).toContain('1 needs attention (The token was refused.), 1 failed (Infomaniak could not be reached.)');
    expect(err).toHaveLength(2);
  });

  it('a run that ended well but left its pair needing attention (a guard) is exit 2 too', async () => {
    const a = run({ added: 2 });
    const { code, out } = await headless([a], [status('A', 'attention', a)]);
    expect(code).toBe(EXIT_ATTENTION);
    expect(out[0]).toContain('1 needs attention');
  });

  it('paused pairs did not run and count for nothing', async () => {
    const a = run({ added: 1 });
    const old = run({}, refused);
    const { code } = await headless([a], [status('A', 'idle', a), status('P', 'attention', old, true)]);
    expect(code).toBe(EXIT_OK);
    expect(syncSummary([])).toContain('0 pairs synced');
  });

  it('exit 2 and the question when a pair needs attention (the mass-delete guard held deletions)', async () => {
    const heldRun: SyncRunResult = {
      ...run({ added: 1 }),
      ok: false,
      held: { reason: 'mass', count: 1240, total: 1300 },
      attention: true,
    };
    const asking = { ...status('Projects', 'attention', heldRun), held: heldRun.held! };
    const out = await headless([run({ updated: 2 }), heldRun], [status('Docs', 'idle', run({ updated: 2 })), asking]);
    expect(out.code).toBe(EXIT_ATTENTION);
    expect(out.out).toEqual([
      'PowerOn Sources: 2 pairs synced: 1 new, 2 updated, 0 moved, 0 trashed, 0 conflicts; 1 needs attention (1240 of 1300 files reported removed: nothing trashed, answer in the app)',
    ]);
    expect(out.err).toEqual([
      'PowerOn Sources: "Projects" needs attention: 1240 of 1300 files reported removed: nothing trashed, answer in the app',
    ]);
  });

  it('the log goes to its file (moved aside above 1 MiB), to the echo only when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-now-log-'));
    try {
      const file = join(dir, 'sub', 'sync-now.log');
      const echoed: string[] = [];
      syncNowLog(file)('GET /2/drive → 200');
      syncNowLog(file, (l) => echoed.push(l))('second');
      expect(readFileSync(file, 'utf8')).toMatch(/^\S+ GET \/2\/drive → 200\n\S+ second\n$/);
      expect(echoed).toHaveLength(1);
      writeFileSync(file, 'x'.repeat(1024 * 1024 + 1));
      syncNowLog(file)('fresh');
      expect(statSync(`${file}.1`).size).toBe(1024 * 1024 + 1);
      expect(readFileSync(file, 'utf8')).toMatch(/ fresh\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
