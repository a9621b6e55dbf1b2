/**
 * QuickSync's schedule with fake timers: nextRunAt in the pair state, runs on start and every N
 * minutes, a new pair waits for its Start (Create → Preview → Start), "changes seen" runs a pair
 * within a minute.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Settings } from '../../shared/model/settings';
import { QuickSync } from './service';

const dirs: string[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function service(
  settings: Settings,
  options: {
    root?: string;
    onChange?: ConstructorParameters<typeof QuickSync>[0]['onChange'];
    /** Leave the pair as created (not started yet). */
    pending?: boolean;
    subtree?: () => Promise<never>;
    nodeId?: string;
  } = {},
) {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'sync-service-')));
  dirs.push(root);
  const client = vi.fn(
    options.subtree ??
      (async () => {
        throw new AppFailure('network', 'offline in this test');
      }),
  );
  const sync = new QuickSync({
    dataDir: join(root, 'data'),
    connections: { get: () => ({ label: 'Test' }) },
    lookupNode: () => undefined,
    sources: { subtree: client },
    settings: () => settings,
    downloadsDir: () => join(root, 'downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: options.onChange ?? (() => undefined),
    log: () => undefined,
    timer: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
  });
  await sync.init();
  const created = await sync.create({ nodeId: options.nodeId ?? 'conn:c/kdrive/drive:1/f:2' });
  // Started as the user would (Start); the run fails offline, which these tests do not mind.
  if (!options.pending) await sync.runNow([created.pair.id]);
  client.mockClear();
  return { sync, client, root };
}

/** The pair ran `times` times in all and its last run is over (its end written: a next run starts anew). */
async function ranAndEnded(sync: QuickSync, client: { mock: { calls: unknown[] } }, times: number): Promise<void> {
  await vi.waitFor(() => {
    expect(client.mock.calls).toHaveLength(times);
    expect(sync.list()[0]!.state).not.toBe('syncing');
  });
}

describe('QuickSync schedule', () => {
  it('on by default, every 15 minutes (new installs)', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ syncScheduled: true, syncEveryMinutes: 15 });
  });

  it('off: nextRunAt is null and nothing runs on start', async () => {
    const { sync, client } = await service({ ...DEFAULT_SETTINGS, syncScheduled: false });
    sync.startSchedule();
    expect(sync.list()[0]!.nextRunAt).toBeNull();
    expect(client).not.toHaveBeenCalled();
    sync.dispose();
  });

  it('on: runs at start, shows the next run, runs again after N minutes; paused pairs show none', async () => {
    const settings = { ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 10 };
    const { sync, client } = await service(settings);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const t0 = Date.now();
    sync.startSchedule();
    await ranAndEnded(sync, client, 1);
    expect(sync.list()[0]!.nextRunAt).toBe(t0 + 10 * 60_000);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await ranAndEnded(sync, client, 2);
    expect(sync.list()[0]!.nextRunAt).toBe(t0 + 20 * 60_000);

    settings.syncScheduled = false;
    sync.settingsChanged();
    expect(sync.list()[0]!.nextRunAt).toBeNull();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(client).toHaveBeenCalledTimes(2);

    settings.syncScheduled = true;
    sync.settingsChanged();
    expect(sync.list()[0]!.nextRunAt).toBe(Date.now() + 10 * 60_000);
    await sync.pause(sync.list()[0]!.pair.id, true);
    expect(sync.list()[0]!.nextRunAt).toBeNull();
    sync.dispose();
  });
});

describe('QuickSync run state', () => {
  it('a run that shows its end is over: Sync now at that moment starts a new run (not the ending one)', async () => {
    let again: Promise<unknown> | null = null;
    const { sync, client } = await service(DEFAULT_SETTINGS, {
      pending: true,
      // The first time the pair is seen failed, the user presses Sync now.
      onChange: (statuses) => {
        if (statuses[0]?.state === 'error' && again === null) again = sync.runNow([statuses[0].pair.id]);
      },
    });
    const pair = sync.list()[0]!.pair;
    await sync.runNow([pair.id]);
    expect(again).not.toBeNull();
    await again;
    expect(client).toHaveBeenCalledTimes(2);
    sync.dispose();
  });
});

describe('QuickSync state files', () => {
  it('pairs.json and last-run.json are never written through a link planted at their old temporary names', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sync-service-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const victim = join(root, 'victim');
    await writeFile(victim, 'precious');
    await mkdir(dataDir, { recursive: true });
    await symlink(victim, join(dataDir, 'pairs.json.tmp'));
    const { sync } = await service({ ...DEFAULT_SETTINGS }, { root, pending: true });
    const id = sync.list()[0]!.pair.id;
    await mkdir(join(dataDir, id), { recursive: true });
    await symlink(victim, join(dataDir, id, 'last-run.json.tmp'));
    await sync.runNow([id]);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dataDir, 'pairs.json'))).isFile()).toBe(true);
    expect((await lstat(join(dataDir, id, 'last-run.json'))).isFile()).toBe(true);
    sync.dispose();
  });
});

describe('QuickSync: Create → Preview → Start', () => {
  it('a new pair waits: the schedule, Sync all and --sync-now leave it alone; no next run is shown', async () => {
    const settings = { ...DEFAULT_SETTINGS, syncEveryMinutes: 10 };
    const { sync, client } = await service(settings, { pending: true });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const [status] = sync.list();
    expect(status).toMatchObject({ state: 'idle', lastRun: null, nextRunAt: null, pair: { pending: true } });
    sync.startSchedule();
    expect(sync.start()).toEqual([]);
    expect(await sync.runNow()).toEqual([]);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(client).not.toHaveBeenCalled();
    sync.dispose();
  });

  it('its Preview runs before any run (a dry run: nothing written)', async () => {
    const { sync, client, root } = await service(DEFAULT_SETTINGS, {
      pending: true,
      nodeId: 'conn:c/calendar/cal:5',
      subtree: (async () => ({
        subtree: {
          list: async () =>
            new Map([['1', { id: '1', parent: null, name: 'a.txt', type: 'file', size: 5, mtime: 1000 }]]),
          itemFor: () => {
            throw new Error('a preview downloads nothing');
          },
        },
        client: {},
      })) as unknown as () => Promise<never>,
    });
    const id = sync.list()[0]!.pair.id;
    const preview = await sync.preview(id);
    expect(preview).toMatchObject({ pairId: id, counts: { download: 1 }, bytes: 5, requests: 1 });
    expect(client).toHaveBeenCalledTimes(1);
    expect(sync.list()[0]).toMatchObject({ lastRun: null, pair: { pending: true } });
    expect(await readdir(sync.list()[0]!.pair.localPath)).toEqual([]);
    expect(sync.list()[0]!.pair.localPath.startsWith(join(root, 'downloads'))).toBe(true);
    sync.dispose();
  });

  it('Start (or Sync now of that pair) ends the wait, on disk too; then the schedule runs it', async () => {
    const settings = { ...DEFAULT_SETTINGS, syncEveryMinutes: 10 };
    const { sync, client, root } = await service(settings, { pending: true });
    const id = sync.list()[0]!.pair.id;
    await sync.runNow([id]);
    expect(client).toHaveBeenCalledTimes(1);
    expect(sync.list()[0]!.pair.pending).toBeUndefined();
    const stored = JSON.parse(await readFile(join(root, 'data', 'pairs.json'), 'utf8')) as { pairs: object[] };
    expect(stored.pairs[0]).not.toHaveProperty('pending');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const t0 = Date.now();
    sync.startSchedule();
    await vi.waitFor(() => expect(client).toHaveBeenCalledTimes(2));
    expect(sync.list()[0]!.nextRunAt).toBe(t0 + 10 * 60_000);
    sync.dispose();
  });
});
