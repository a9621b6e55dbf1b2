/** Calendar against the simulator: a bad event record is skipped (and named), never fatal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import type { DownloadItem } from '../localfs/types';
import { CalendarAdapter } from './calendar';
import { parseId } from './ids';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'cal-token-0123456789';
const scenario: ScenarioInput = {
  name: 'calendar',
  tokens: [{ value: TOKEN, scopes: ['workspace:calendar'] }],
  calendars: [
    {
      id: 7,
      name: 'Team',
      events: [
        { id: 501, title: 'Standup', start: '+1d 09:00', duration: '15m' },
        { id: 502, title: 'Weekly', start: '+2d 10:00', duration: '1h', rrule: 'FREQ=WEEKLY;COUNT=4' },
      ],
      raw_events: [
        { id: 900, calendar_id: 7, title: 'Far future', start: 1e20, end: 1e20, fullday: false },
        { id: 901, calendar_id: 7, title: 'Broken', start: '2025-13-45T99:99:99+00:00', end: 'x' },
      ],
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
const SERVICE = 'conn:c1/calendar';
const CAL = `${SERVICE}/cal:7`;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  client = clientFor(sim, TOKEN);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('calendar', () => {
  it('an event with an out-of-range time does not fail the listing; the listing names what it skipped', async () => {
    const adapter = new CalendarAdapter();
    const ctx = contextFor(client, SERVICE);
    const pages = await collect(adapter.list(ctx, parseId(CAL)!, CAL));
    const nodes = pages.flatMap((p) => p.nodes);
    expect(nodes.filter((n) => n.kind === 'event').map((n) => n.name)).toEqual(['Standup', 'Weekly']);
    const note = nodes.find((n) => n.kind === 'error');
    expect(note?.name).toMatch(/2 events/);
    expect(note?.state?.reason).toMatch(/Far future/);
  });

  it('the calendar still exports, without the bad records', async () => {
    const adapter = new CalendarAdapter();
    const ctx = contextFor(client, SERVICE);
    const job = await adapter.job(ctx, parseId(CAL)!, CAL);
    const [item] = (await collect(job.items)) as DownloadItem[];
    const ics = new TextDecoder().decode(await item!.content!());
    expect(ics).toContain('SUMMARY:Standup');
    expect(ics).toContain('SUMMARY:Weekly');
    expect(ics).not.toContain('Far future');
  });
});

describe('recurring events that repeat their id', () => {
  it('each occurrence is its own node (id + start); the export has the series once', async () => {
    const repeated: ScenarioInput = {
      name: 'occurrences',
      tokens: [{ value: TOKEN, scopes: ['workspace:calendar'] }],
      calendars: [
        {
          id: 8,
          name: 'Series',
          raw_events: [0, 7, 14].map((d) => ({
            id: 77,
            calendar_id: 8,
            title: 'Weekly sync',
            start: new Date(Date.now() + (d + 1) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
            end: new Date(Date.now() + (d + 1) * 86_400_000 + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
            rrule: 'FREQ=WEEKLY;COUNT=3',
          })),
        },
      ],
    };
    const other = await startSimulator({ scenario: repeated, quiet: true });
    const otherClient = clientFor(other, TOKEN);
    try {
      const adapter = new CalendarAdapter();
      const ctx = contextFor(otherClient, SERVICE);
      const cal = `${SERVICE}/cal:8`;
      const nodes = (await collect(adapter.list(ctx, parseId(cal)!, cal))).flatMap((p) => p.nodes);
      expect(nodes).toHaveLength(3);
      expect(new Set(nodes.map((n) => n.id)).size).toBe(3);
      const job = await adapter.job(ctx, parseId(nodes[1]!.id)!, nodes[1]!.id);
      expect(job.name).toMatch(/Weekly sync/);
      const whole = await adapter.job(ctx, parseId(cal)!, cal);
      const [item] = (await collect(whole.items)) as DownloadItem[];
      const ics = new TextDecoder().decode(await item!.content!());
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);

      // Sync's one-file layout is the same file (it had the series once per occurrence); a vdir has one file for it.
      const subtree = await adapter.subtree(ctx, parseId(cal)!, cal, { layout: 'file' });
      const [entry] = [...(await subtree.list(ctx.signal)).values()];
      const synced = new TextDecoder().decode(await subtree.itemFor(entry!).content!());
      const stampless = (text: string) => text.replace(/^DTSTAMP:.*$/gm, '');
      expect(stampless(synced)).toBe(stampless(ics));
      const vdir = await adapter.subtree(ctx, parseId(cal)!, cal, { layout: 'vdir' });
      expect((await vdir.list(ctx.signal)).size).toBe(1);
    } finally {
      await otherClient.close();
      await other.close();
    }
  });
});
