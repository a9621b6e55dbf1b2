import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { initI18n, setLanguage } from '../i18n';
import type { Transfer } from '../../../shared/model/transfers';
import { formatDuration, newestFirst, overallProgress, transferName, transferStatus } from './transfers-view';

const t = (key: string, o?: Record<string, unknown>) => `${key}${o ? JSON.stringify(o) : ''}`;
const base: Transfer = {
  id: 't1',
  name: 'Report.pdf',
  kind: 'file',
  items: 1,
  state: 'running',
  bytesDone: 100,
  bytesTotal: 1000,
  filesDone: 0,
  filesTotal: 1,
  speed: 0,
  etaSeconds: 40_000,
  targetPath: null,
  renamed: [],
  renamedCount: 0,
  keptBoth: 0,
  skipped: 0,
  alreadyThere: 0,
  replaced: 0,
  waitingForDecision: false,
  resumes: 0,
  verified: null,
  route: null,
  waitingUntil: null,
  retryingAt: null,
  createdAt: 1,
};

describe('transfers view', () => {
  it('a stalled download waits for the server instead of an ETA of hours', () => {
    const status = transferStatus(base, 0, t, 'en');
    expect(status).toContain('transfers.stalled');
    expect(status).not.toContain('transfers.eta');
  });

  it('a paced download counts down the rate limit', () => {
    const status = transferStatus({ ...base, waitingUntil: 12_000 }, 0, t, 'de');
    expect(status).toContain('transfers.rateLimitedAt{"time":"12 s"');
  });

  it('says how a folder came down: one archive, or file by file (9.8)', () => {
    const folder = { ...base, kind: 'folder' as const, state: 'done' as const };
    expect(transferStatus({ ...folder, route: 'archive' }, 0, t, 'en')).toContain('transfers.routeArchive');
    expect(transferStatus({ ...folder, route: 'files' }, 0, t, 'en')).toContain('transfers.routeFiles');
    expect(transferStatus(folder, 0, t, 'en')).not.toContain('transfers.route');
  });

  it('a job bound by the request budget says how long it takes at it, "at least" while counting (22.3)', () => {
    const estimate = { requests: 240, seconds: 244, limit: 60, windowMs: 61_000, complete: true };
    const running = { ...base, kind: 'selection' as const, speed: 2000, etaSeconds: 10, estimate };
    expect(transferStatus(running, 0, t, 'en')).toContain('transfers.estimate{"time":"4 min","count":60}');
    const counting = { ...running, estimate: { ...estimate, complete: false } };
    expect(transferStatus(counting, 0, t, 'de')).toContain('transfers.estimateAtLeast{"time":"4 Min.","count":60}');
    // The bytes take longer than the requests: the longer of the two.
    expect(transferStatus({ ...running, etaSeconds: 3600 }, 0, t, 'en')).toContain('"time":"1 h 0 min"');
    expect(transferStatus({ ...running, state: 'done' }, 0, t, 'en')).not.toContain('transfers.estimate');
    expect(transferStatus(base, 0, t, 'en')).not.toContain('transfers.estimate');
  });

  it('a download between attempts counts down to the next one, with no ETA', () => {
    const retrying = { ...base, speed: 2000, etaSeconds: 30_000, retryingAt: 12_000 };
    expect(transferStatus(retrying, 0, t, 'en')).toContain('transfers.retryingAt{"time":"12 s"');
    expect(transferStatus(retrying, 0, t, 'en')).not.toContain('transfers.eta');
    expect(transferStatus(retrying, 0, t, 'en')).not.toContain('transfers.stalled');
    expect(transferStatus(retrying, 9_500, t, 'en')).toContain('transfers.retryingAt{"time":"3 s"');
    // Past the retry time, bytes not yet flowing: back to the speed line (or "waiting for the server").
    expect(transferStatus(retrying, 12_000, t, 'en')).not.toContain('transfers.retrying');
    expect(transferStatus({ ...retrying, speed: 0 }, 12_000, t, 'en')).toContain('transfers.stalled');
    // Nor does the panel's header promise an ETA while a download waits to try again.
    expect(overallProgress([retrying], 0).eta).toBeNull();
    expect(overallProgress([retrying], 12_000).eta).not.toBeNull();
  });

  it('a skipped transfer counts no bytes: it is not "done 37.7 kB of 37.7 kB" (23.1)', () => {
    const skipped = { ...base, state: 'skipped' as const, bytesDone: 37_700, bytesTotal: 37_700, filesDone: 1 };
    expect(transferStatus(skipped, 0, t, 'en')).toBe('');
    expect(transferStatus({ ...skipped, kind: 'folder', filesTotal: 36, filesDone: 36 }, 0, t, 'en')).toBe('');
    expect(transferStatus({ ...skipped, state: 'done' }, 0, t, 'en')).toContain('transfers.ofSize');
  });

  it('says it as a phrase, what came first: "22.2 MB of 25.2 MB so far, waiting for the server" (23.10)', async () => {
    await initI18n('en');
    const words = (key: string, o?: Record<string, unknown>) => i18next.t(key, o);
    const stalled = { ...base, bytesDone: 22_200_000, bytesTotal: 25_200_000, speed: 0 };
    expect(transferStatus(stalled, 0, words, 'en')).toBe('22.2 MB of 25.2 MB so far, waiting for the server');
    expect(transferStatus({ ...stalled, bytesDone: 0, bytesTotal: null }, 0, words, 'en')).toBe(
      'Waiting for the server',
    );
    await setLanguage('de');
    expect(transferStatus({ ...stalled, retryingAt: 12_000 }, 0, words, 'de')).toBe(
      '22.2 MB von 25.2 MB bisher, wartet auf den Server: neuer Versuch in 12 s',
    );
    await setLanguage('en');
  });

  it('names by name, never by internal id; selections by count', () => {
    expect(transferName(base, t)).toBe('Report.pdf');
    expect(transferName({ ...base, name: 'conn:abc/kdrive/1/2' }, t)).toBe('transfers.unnamed.file');
    expect(transferName({ ...base, name: 'conn:abc/kdrive/1/2', targetPath: '/dl/Report.pdf' }, t)).toBe('Report.pdf');
    expect(transferName({ ...base, kind: 'selection', items: 81, name: '81 items' }, t)).toBe(
      'transfers.selection{"count":81}',
    );
  });

  it('overall progress and ETA over active transfers; newest first; units', () => {
    const a = { ...base, id: 'a', speed: 100, createdAt: 1 };
    const b = { ...base, id: 'b', bytesDone: 500, speed: 100, createdAt: 2 };
    expect(overallProgress([a, b, { ...base, id: 'c', state: 'done' }])).toEqual({ active: 2, fraction: 0.3, eta: 7 });
    expect(newestFirst([a, b]).map((x) => x.id)).toEqual(['b', 'a']);
    expect(formatDuration(300, 'de')).toBe('5 Min.');
    expect(formatDuration(7500, 'de')).toBe('2 Std. 5 Min.');
  });
});
