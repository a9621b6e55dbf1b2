/**
 * Every file sync reads back from disk, planted malformed or in a changed shape: the service
 * starts, the pair is listed, the tray menu is drawn, the file is treated as absent and the log
 * says which file was ignored (never a crash).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Notice } from '../../shared/model/settings';
import { readHeld } from './guard';
import { Manifest } from './manifest';
import { QuickSync } from './service';
import { trayMenu, trayTooltip, runNotice } from './tray-menu';
import { FeedMemory, KdriveFeedSource } from './feed';
import type { InfomaniakApi } from '../infomaniak/types';
import type { RemoteEntry } from '../sources/types';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function build(root: string, log: string[], notices: Notice[] = []) {
  return new QuickSync({
    dataDir: join(root, 'data'),
    connections: { get: () => ({ label: 'Test' }) },
    lookupNode: () => undefined,
    sources: {
      subtree: async () => {
        throw new AppFailure('network', 'offline in this test');
      },
    },
    settings: () => ({ ...DEFAULT_SETTINGS }),
    downloadsDir: () => join(root, 'downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: (line) => log.push(line),
    notice: (n) => notices.push(n),
  });
}

/** A pair whose last-run.json is `content`, read by a fresh service. */
async function withLastRun(content: string) {
  const root = await mkdtemp(join(tmpdir(), 'sync-read-back-'));
  dirs.push(root);
  const first = build(root, []);
  await first.init();
  const id = (await first.create({ nodeId: 'conn:c/kdrive/drive:1/f:2' })).pair.id;
  first.dispose();
  // Started (not waiting for its Start), as a pair with a last run is.
  const pairsFile = join(root, 'data', 'pairs.json');
  const stored = JSON.parse(await readFile(pairsFile, 'utf8')) as { pairs: Array<{ pending?: boolean }> };
  for (const pair of stored.pairs) delete pair.pending;
  await writeFile(pairsFile, JSON.stringify(stored));
  await mkdir(join(root, 'data', id), { recursive: true });
  await writeFile(join(root, 'data', id, 'last-run.json'), content);
  const log: string[] = [];
  const sync = build(root, log);
  await sync.init();
  return { sync, log, root };
}

const MALFORMED: Array<[string, string]> = [
  ['not JSON', '{"startedAt": 1, "fini'],
  ['an empty object', '{}'],
  ['counts missing', JSON.stringify({ startedAt: 1, finishedAt: 2, ok: true, via: 'listing', requests: 0 })],
  [
    'counts of the wrong type',
    JSON.stringify({ startedAt: 1, finishedAt: 2, ok: false, counts: 'many', via: 'feed', requests: 1 }),
  ],
  ['an array', '[1, 2, 3]'],
  ['a string', '"last run"'],
  [
    'an error that is no AppError',
    JSON.stringify({
      startedAt: 1,
      finishedAt: 2,
      ok: false,
      counts: { added: 0, updated: 0, moved: 0, trashed: 0, conflicts: 0, failed: 0, bytes: 0 },
      via: 'listing',
      requests: 1,
      error: { code: 42 },
    }),
  ],
];

describe('last-run.json read back', () => {
  it.each(MALFORMED)('%s: treated as no last run, logged, and the tray menu is drawn', async (_label, content) => {
    const { sync, log } = await withLastRun(content);
    const pairs = sync.list();
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.lastRun).toBeNull();
    for (const language of ['en', 'de'] as const) {
      const menu = trayMenu(pairs, Date.now(), language);
      const pairLine = menu.find((item) => item.submenu)?.label;
      expect(pairLine).toContain(language === 'en' ? 'not synced yet' : 'noch nicht synchronisiert');
      expect(() => trayTooltip(pairs, language)).not.toThrow();
      expect(runNotice(pairs[0]!, language)).toBeNull();
    }
    expect(log.join('\n')).toMatch(/last-run\.json.*ignored/);
    sync.dispose();
  });

  it('a well-formed last run is kept (with an error worded in the tray in the UI language)', async () => {
    const run = {
      startedAt: 1,
      finishedAt: 2,
      ok: false,
      counts: { added: 1, updated: 0, moved: 0, trashed: 0, conflicts: 0, failed: 1, bytes: 10 },
      via: 'listing',
      requests: 4,
      error: {
        code: 'timeout',
        message: 'api.infomaniak.com did not answer in time.',
        params: { host: 'api.infomaniak.com' },
      },
    };
    const { sync, log } = await withLastRun(JSON.stringify(run));
    const pairs = sync.list();
    expect(pairs[0]!.lastRun).toEqual(run);
    expect(trayMenu(pairs, 3, 'de').find((item) => item.submenu)?.label).toContain('1 neu');
    // The notification words the error in the UI's language from the shared table, not main's English message.
    expect(runNotice(pairs[0]!, 'de')?.body).toContain(
      'api.infomaniak.com hat zu lange nicht geantwortet. Versuchen Sie es erneut.',
    );
    expect(runNotice(pairs[0]!, 'de')?.body).not.toContain('did not answer');
    expect(log.join('\n')).not.toMatch(/ignored/);
    sync.dispose();
  });
});

describe('feeds.json read back', () => {
  it.each([
    ['not JSON', '{"c:1": "listing"'],
    ['a value that is not text', '{"c:1": 42}'],
    ['an array', '[]'],
  ])('%s: forgotten (the next full listing probes again), logged', async (_label, content) => {
    const root = await mkdtemp(join(tmpdir(), 'sync-feeds-'));
    dirs.push(root);
    await writeFile(join(root, 'feeds.json'), content);
    const log: string[] = [];
    const memory = new FeedMemory(root, (line) => log.push(line));
    expect(await memory.get('c:1')).toBeUndefined();
    expect(log.join('\n')).toMatch(/feeds\.json.*ignored/);
    await memory.set('c:2', 'listing');
    expect(JSON.parse(await readFile(join(root, 'feeds.json'), 'utf8'))).toEqual({ 'c:2': 'listing' });
  });
});

describe('remote.json read back', () => {
  it.each([
    ['not JSON', '{"v":1,"fullAt":'],
    ['another version', JSON.stringify({ v: 2, fullAt: 1, from: 0, cursor: null, entries: [] })],
    ['entries of the wrong shape', JSON.stringify({ v: 1, fullAt: Date.now(), from: 0, entries: [{ id: 7 }] })],
  ])('%s: the kept snapshot is not used, the full listing is, logged', async (_label, content) => {
    const root = await mkdtemp(join(tmpdir(), 'sync-remote-'));
    dirs.push(root);
    await writeFile(join(root, 'feeds.json'), JSON.stringify({ 'c:1': 'activities' }));
    await writeFile(join(root, 'remote.json'), content);
    const log: string[] = [];
    const listed = new Map<string, RemoteEntry>([
      ['5', { id: '5', parent: null, name: 'a.txt', type: 'file', size: 1, mtime: 1 }],
    ]);
    const refuse = async () => {
      throw new Error('no request in this test');
    };
    const source = new KdriveFeedSource({
      subtree: { list: async () => listed, itemFor: () => ({}) as never },
      client: { get: refuse } as unknown as InfomaniakApi,
      target: { driveId: 1, folderId: 1 },
      stateDir: root,
      memory: new FeedMemory(root, (line) => log.push(line)),
      driveKey: 'c:1',
      now: Date.now,
      log: (line) => log.push(line),
    });
    expect(await source.list(new AbortController().signal)).toBe(listed);
    expect(source.via).toBe('listing');
    expect(log.join('\n')).toMatch(/remote\.json: .*ignored/);
    await source.commit();
    const kept = JSON.parse(await readFile(join(root, 'remote.json'), 'utf8')) as { entries: unknown[] };
    expect(kept.entries).toEqual([...listed.values()]);
  });
});

describe('pairs.json read back', () => {
  it.each([
    ['not JSON', '{"version":1,"pairs":['],
    ['another version', JSON.stringify({ version: 2, pairs: [] })],
    ['a pair of the wrong shape', JSON.stringify({ version: 1, pairs: [{ id: 'x', localPath: 42 }] })],
  ])('%s: set aside (kept), logged, and sync starts with no pairs', async (_label, content) => {
    const root = await mkdtemp(join(tmpdir(), 'sync-pairs-'));
    dirs.push(root);
    await mkdir(join(root, 'data'), { recursive: true });
    await writeFile(join(root, 'data', 'pairs.json'), content);
    const log: string[] = [];
    const notices: Notice[] = [];
    const sync = build(root, log, notices);
    await sync.init();
    expect(sync.list()).toEqual([]);
    // Said in the app (worded in the UI's language by its code), not only in the log.
    expect(notices).toEqual([expect.objectContaining({ level: 'warning', code: 'sync_pairs_corrupt' })]);
    expect(trayMenu(sync.list(), Date.now(), 'de').map((item) => item.label)).toContain(
      'Keine Synchronisation eingerichtet',
    );
    expect(log.join('\n')).toMatch(/pairs\.json was damaged; kept as .*pairs\.json\.corrupt-/);
    const aside = (await readdir(join(root, 'data'))).filter((n) => n.startsWith('pairs.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(root, 'data', aside[0]!), 'utf8')).toBe(content);
    sync.dispose();
  });
});

describe('a manifest read back', () => {
  it('damaged snapshot lines are skipped and logged; the good ones are kept', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sync-manifest-'));
    dirs.push(root);
    const first = await Manifest.open(root);
    await first.put({ id: '1', type: 'file', path: 'a.txt', size: 1, mtime: 1, rsize: 1, rtime: 1 });
    await first.compact();
    await first.close();
    const snapshot = 'manifest.jsonl';
    const good = await readFile(join(root, snapshot), 'utf8');
    await writeFile(join(root, snapshot), `{"i": 42}\nnot json\n${good}[]\n`);
    const log: string[] = [];
    const manifest = await Manifest.open(root, (line) => log.push(line));
    expect([...manifest.entries.keys()]).toEqual(['1']);
    expect(log.filter((l) => l.includes('ignored a damaged snapshot line'))).toHaveLength(3);
    await manifest.close();
  });
});

describe('held.json read back', () => {
  it.each([
    ['not JSON', '{"reason":"mass",'],
    ['an unknown reason', JSON.stringify({ reason: 'whim', count: 1, total: 2, ids: [], confirmed: false })],
    ['ids of the wrong type', JSON.stringify({ reason: 'mass', count: 1, total: 2, ids: 'all', confirmed: true })],
  ])('%s: no held question (the next run asks again), logged', async (_label, content) => {
    const root = await mkdtemp(join(tmpdir(), 'sync-held-'));
    dirs.push(root);
    await writeFile(join(root, 'held.json'), content);
    const log: string[] = [];
    expect(await readHeld(root, (line) => log.push(line))).toBeNull();
    expect(log.join('\n')).toMatch(/held\.json: .*ignored/);
  });
});
