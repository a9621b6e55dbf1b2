/**
 * Calendar and address-book pairs (generated `.ics`/`.vcf`) against the simulator: an unchanged
 * calendar or book writes nothing, run after run (bytes, mtime, "0 updated"), even when the clock
 * moves between runs; identical bytes found on disk are adopted, never written again or copied
 * beside as a conflict. Requests are counted: an unchanged run costs the listing only.
 */
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { SyncLayout } from '../../shared/model/sync';
import type { InfomaniakClient } from '../infomaniak/client';
import { CalendarAdapter } from '../sources/calendar';
import { ContactsAdapter } from '../sources/contacts';
import { clientFor } from '../sources/test-support';
import { QuickSync } from './service';
import { sourcesOver } from './test-support';

const TOKEN = 'generated-pairs-token-0123';
const scenario: ScenarioInput = {
  name: 'generated-pairs',
  tokens: [{ value: TOKEN, scopes: ['workspace:calendar', 'workspace:contact'] }],
  calendars: [
    {
      id: 31,
      name: 'Team',
      events: [
        { id: 3101, title: 'Standup', start: '+1d 09:00', duration: '15m', timezone: 'Europe/Zurich' },
        { id: 3102, title: 'Weekly', start: '+2d 10:00', duration: '1h', rrule: 'FREQ=WEEKLY;COUNT=4' },
        { id: 3103, title: 'Holiday', start: '+5d', all_day: true },
      ],
    },
  ],
  addressbooks: [
    {
      id: 41,
      name: 'Friends',
      default: true,
      contacts: [
        { id: 4101, firstname: 'Anna', lastname: 'Muster', emails: [{ address: 'anna@example.com' }] },
        { id: 4102, firstname: 'Ben', lastname: 'Beispiel', phones: [{ number: '+41 44 000 00 00' }] },
      ],
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'sync-generated-'));
});
afterEach(() => vi.useRealTimers());
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function quickSync(name: string): QuickSync {
  const { connections, sources } = sourcesOver(client, [new CalendarAdapter(), new ContactsAdapter()]);
  return new QuickSync({
    dataDir: join(dir, name, 'data'),
    connections,
    lookupNode: () => undefined,
    sources,
    settings: () => DEFAULT_SETTINGS,
    downloadsDir: () => join(dir, name, 'Downloads'),
    platform: 'linux',
    openPath: async () => undefined,
    onChange: () => undefined,
    log: () => undefined,
  });
}

/** Every file of a folder: bytes and mtime. */
async function snapshot(root: string): Promise<Map<string, { text: string; mtimeMs: number }>> {
  const out = new Map<string, { text: string; mtimeMs: number }>();
  for (const name of (await readdir(root)).sort()) {
    const path = join(root, name);
    out.set(name, { text: await readFile(path, 'utf8'), mtimeMs: (await stat(path)).mtimeMs });
  }
  return out;
}

const CASES: Array<[string, string, SyncLayout]> = [
  ['a calendar as one .ics', 'conn:c1/calendar/cal:31', 'file'],
  ['a calendar as a vdir', 'conn:c1/calendar/cal:31', 'vdir'],
  ['an address book as one .vcf', 'conn:c1/contacts/book:41', 'file'],
  ['an address book as a vdir', 'conn:c1/contacts/book:41', 'vdir'],
];

describe('generated pairs write only when the bytes differ', () => {
  it.each(CASES)('%s: three unchanged runs, minutes apart, write nothing', async (label, nodeId, layout) => {
    const sync = quickSync(`${label}-${layout}`.replace(/[^a-z]+/g, '-'));
    await sync.init();
    const created = await sync.create({ nodeId, layout });
    const root = created.pair.localPath;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });

    const [first] = await sync.runNow([created.pair.id]);
    expect(first).toMatchObject({ ok: true, counts: { failed: 0 } });
    expect(first!.counts.added).toBeGreaterThan(0);
    const before = await snapshot(root);
    expect(before.size).toBe(first!.counts.added);

    for (let run = 0; run < 3; run++) {
      vi.setSystemTime(Date.now() + 5 * 60_000); // the clock moves between runs, as with the schedule
      sim.log.reset();
      const [again] = await sync.runNow([created.pair.id]);
      expect(again).toMatchObject({ ok: true, counts: { added: 0, updated: 0, conflicts: 0, failed: 0 } });
      expect(await snapshot(root)).toEqual(before);
      // An unchanged run costs the listing only (calendars: the calendar list and its events; books: theirs).
      expect(again!.requests).toBe(sim.log.entries().length);
      expect(again!.requests).toBeLessThanOrEqual(3);
    }
    sync.dispose();
  });

  it('identical bytes already on disk are adopted (state lost): no write, no conflict copy', async () => {
    const sync = quickSync('state-lost');
    await sync.init();
    const created = await sync.create({ nodeId: 'conn:c1/calendar/cal:31', layout: 'vdir' });
    const root = created.pair.localPath;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await sync.runNow([created.pair.id]);
    const before = await snapshot(root);

    // The pair's state (manifest, last run) is gone: the files on disk are all the engine sees.
    await rm(join(dir, 'state-lost', 'data', created.pair.id), { recursive: true, force: true });
    vi.setSystemTime(Date.now() + 60 * 60_000);
    const [again] = await sync.runNow([created.pair.id]);
    expect(again).toMatchObject({ ok: true, counts: { added: 0, updated: 0, conflicts: 0, failed: 0 } });
    expect(await snapshot(root)).toEqual(before);
    sync.dispose();
  });
});
