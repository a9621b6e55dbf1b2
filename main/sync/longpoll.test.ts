/**
 * The long-poll wakes a kDrive pair's run on a change (issue 21.6), through QuickSync and the
 * sources' adapters against the simulator's notify origin: only with automatic sync on, with the
 * cursor of the pair's last run, at most one woken run a minute, and off for the drive (never
 * required) when the notify host refuses the token. Requests are counted in the simulator's log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Settings } from '../../shared/model/settings';
import type { InfomaniakClient } from '../infomaniak/client';
import { KdriveAdapter } from '../sources/kdrive';
import { clientFor } from '../sources/test-support';
import { FeedMemory } from './feed';
import { readLongPoll, watchable } from './longpoll';
import { QuickSync } from './service';
import { SYNC_TOKEN, projectScenario, sourcesOver } from './test-support';

const DRIVE = 5801;
const LONGPOLL = 'GET /2/drive/{drive}/files/listing/longpoll';

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;
let n = 0;
const project = () => sim.idOf(DRIVE, '/Common documents/Project')!;
const longPolls = () => sim.log.entries().filter((e) => e.route === LONGPOLL);

beforeAll(async () => {
  sim = await startSimulator({
    scenario: projectScenario('longpoll', DRIVE, [{ name: 'first.txt', content: 'first' }]),
    quiet: true,
  });
  sim.setFeeds({ longpollWaitMs: 200 });
  client = clientFor(sim, SYNC_TOKEN, { limit: 10_000, windowMs: 1000 });
  dir = await mkdtemp(join(tmpdir(), 'sync-longpoll-'));
});
afterEach(() => sim.setFeeds({ longpoll: true }));
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

interface ManualTimer {
  fn: () => void;
  ms: number;
  cleared: boolean;
}

function quickSync(settings: Settings, clock: { now: number }, timers?: ManualTimer[]) {
  const { connections, sources } = sourcesOver(client, [new KdriveAdapter()], () => settings);
  const name = `q${++n}`;
  return new QuickSync({
    dataDir: join(dir, name, 'data'),
    connections,
    lookupNode: () => undefined,
    sources,
    settings: () => settings,
    downloadsDir: () => join(dir, name, 'Downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
    now: () => clock.now,
    ...(timers
      ? {
          timer: {
            set: (fn: () => void, ms: number) => timers[timers.push({ fn, ms, cleared: false }) - 1],
            clear: (handle: unknown) => void ((handle as ManualTimer).cleared = true),
          },
        }
      : {}),
  });
}

const idle = (sync: QuickSync) => sync.list()[0]!.state === 'idle' && sync.list()[0]!.lastRun !== null;

describe('the long-poll', () => {
  it('wakes the pair within a minute of a change, with the cursor of its last run', async () => {
    const clock = { now: Date.now() };
    const sync = quickSync({ ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 1440 }, clock);
    await sync.init();
    const created = await sync.create({ nodeId: `conn:c1/kdrive/drive:${DRIVE}/f:${project()}` });
    await sync.runNow([created.pair.id]); // the user's Start (a new pair waits for it)
    sim.log.reset();
    sync.startSchedule(); // runs the pair now; then the long-poll watches it
    await vi.waitFor(() => expect(longPolls().length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    const poll = longPolls()[0]!;
    expect(poll).toMatchObject({ origin: 'notify', authorization: true, status: 200 });
    expect(poll.path).toMatch(/[?&]cursor=[^&]+&timeout=50s$/);

    clock.now += 61_000; // a minute after the last run: a change wakes the run at once
    const runs = sync.list()[0]!.lastRun!.startedAt;
    sim.mutate(DRIVE, { op: 'add', parentId: project(), name: 'woken.txt', content: { text: 'woken' } });
    await vi.waitFor(() => expect(sync.list()[0]!.lastRun!.startedAt).toBeGreaterThan(runs), { timeout: 10_000 });
    await vi.waitFor(() => expect(idle(sync)).toBe(true));
    expect(await readFile(join(created.pair.localPath, 'woken.txt'), 'utf8')).toBe('woken');
    expect(sync.list()[0]!.lastRun).toMatchObject({ ok: true, via: 'feed', counts: { added: 1 } });
    sync.dispose();
  });

  it('a change less than a minute after the last run waits for the minute, then wakes it', async () => {
    const clock = { now: Date.now() };
    const timers: ManualTimer[] = [];
    const sync = quickSync({ ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 1440 }, clock, timers);
    await sync.init();
    const created = await sync.create({ nodeId: `conn:c1/kdrive/drive:${DRIVE}/f:${project()}` });
    await sync.runNow([created.pair.id]); // the user's Start
    sim.log.reset();
    sync.startSchedule();
    await vi.waitFor(() => expect(idle(sync)).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() => expect(longPolls().filter((e) => e.status === 200).length).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    const runs = sync.list()[0]!.lastRun!.startedAt;
    clock.now += 20_000;
    sim.mutate(DRIVE, {
      op: 'note',
      id: sim.idOf(DRIVE, '/Common documents/Project/first.txt')!,
      action: 'file_access',
    });
    // The change is seen; the last run started 20 s ago: the wake waits the other 40 s.
    await vi.waitFor(() => expect(timers.filter((t) => !t.cleared && t.ms === 40_000)).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(sync.list()[0]!.lastRun!.startedAt).toBe(runs);
    timers.find((t) => !t.cleared && t.ms === 40_000)!.fn();
    await vi.waitFor(() => expect(sync.list()[0]!.lastRun!.startedAt).toBeGreaterThan(runs), { timeout: 10_000 });
    // Only file_access happened: the woken run is one continue request that relists nothing.
    expect(sync.list()[0]!.lastRun).toMatchObject({ ok: true, via: 'feed', requests: 1 });
    sync.dispose();
  });

  it('off with automatic sync off; refused by the notify host, it stays off for the drive', async () => {
    const clock = { now: Date.now() };
    const off = quickSync({ ...DEFAULT_SETTINGS, syncScheduled: false }, clock);
    await off.init();
    const created = await off.create({ nodeId: `conn:c1/kdrive/drive:${DRIVE}/f:${project()}` });
    off.startSchedule();
    await off.runNow([created.pair.id]);
    sim.log.reset();
    off.startSchedule();
    await off.runNow([created.pair.id]);
    expect(longPolls()).toEqual([]);
    off.dispose();

    sim.setFeeds({ longpoll: false });
    const refused = quickSync({ ...DEFAULT_SETTINGS, syncScheduled: true, syncEveryMinutes: 1440 }, clock);
    await refused.init();
    const started = await refused.create({ nodeId: `conn:c1/kdrive/drive:${DRIVE}/f:${project()}` });
    await refused.runNow([started.pair.id]); // the user's Start
    sim.log.reset();
    refused.startSchedule();
    await vi.waitFor(() => expect(longPolls()).toHaveLength(1), { timeout: 10_000 });
    expect(longPolls()[0]!.status).toBe(401);
    // A second run does not ask again: the drive's answer is remembered.
    await refused.runNow();
    sim.mutate(DRIVE, {
      op: 'note',
      id: sim.idOf(DRIVE, '/Common documents/Project/first.txt')!,
      action: 'file_access',
    });
    await refused.runNow();
    expect(longPolls()).toHaveLength(1);
    expect(refused.list()[0]!.state).toBe('idle');
    refused.dispose();
  });

  it('a refusal is remembered a day, then the drive is asked again', async () => {
    const memory = new FeedMemory(join(dir, 'memory'));
    const t = 1_800_000_000_000;
    expect(await memory.longPoll('c:1', t)).toBeUndefined();
    await memory.setLongPoll('c:1', false, t);
    expect(await memory.longPoll('c:1', t + 3_600_000)).toBe(false);
    expect(await memory.longPoll('c:1', t + 86_400_000)).toBeUndefined();
    await memory.setLongPoll('c:1', true, t);
    expect(await new FeedMemory(join(dir, 'memory')).longPoll('c:1')).toBe(true);
  });

  it('watches started kDrive pairs only: never one waiting for its Start (Create → Preview → Start), paused, running or not kDrive', () => {
    const status = (id: string, pair: object, state = 'idle') => ({
      pair: { id, kind: 'kdrive', paused: false, ...pair },
      state,
    });
    const target = (id: string) => ({ id, driveId: 1, driveKey: 'c:1', stateDir: `/state/${id}` });
    const watched = watchable(
      [
        status('started', {}),
        status('was-pending', { pending: false }),
        status('waiting', { pending: true }),
        status('paused', { paused: true }, 'paused'),
        status('running', {}, 'syncing'),
        status('calendar', { kind: 'calendar' }),
      ],
      target,
    );
    expect(watched.map((w) => w.id)).toEqual(['started', 'was-pending']);
  });

  it('reads {changes: bool} and nothing else', () => {
    expect(readLongPoll({ kind: 'json', status: 200, body: { changes: true } })).toEqual({ changes: true });
    expect(readLongPoll({ kind: 'json', status: 200, body: { changes: false } })).toEqual({ changes: false });
    expect(readLongPoll({ kind: 'json', status: 200, body: { result: 'success', data: {} } })).toBe('refused');
    expect(readLongPoll({ kind: 'json', status: 200, body: { changes: 'yes' } })).toBe('refused');
    expect(readLongPoll({ kind: 'redirect', status: 302, location: 'https://login.infomaniak.com' })).toBe('refused');
    expect(readLongPoll({ kind: 'http', status: 401, apiCode: 'not_authorized' })).toBe('refused');
    expect(readLongPoll({ kind: 'not_json', status: 200, contentType: 'text/html' })).toBe('refused');
    expect(readLongPoll({ kind: 'http', status: 502 })).toBe('again');
    expect(readLongPoll({ kind: 'http', status: 429 })).toBe('again');
  });
});
