/**
 * Issue 21.2, "parse loudly", adversarial: every listing decoder a sync run depends on is fed an
 * answer of a changed shape (an object where a list belongs, a list under another key, a string)
 * and the run fails with `api_error`, changing nothing locally. A record that does not decode is
 * unknown, never deleted: its file stays (also everything below a folder that did not decode).
 * A change feed answering in a changed shape is never applied: the run lists in full instead.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import type { ApiPage, InfomaniakApi } from '../infomaniak/types';
import type { InfomaniakClient } from '../infomaniak/client';
import { CalendarAdapter } from '../sources/calendar';
import { ContactsAdapter } from '../sources/contacts';
import { parseId } from '../sources/ids';
import { kdriveSubtree } from '../sources/kdrive-subtree';
import { contextFor } from '../sources/test-support';
import type { Subtree } from '../sources/types';
import { runPair } from './engine';
import type { RunOptions, RunSource } from './engine';
import { FeedMemory, KdriveFeedSource } from './feed';
import { runOptions, tree } from './test-support';

let dir: string;
let root: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-parse-'));
  root = join(dir, 'pair');
  await mkdir(root);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Answer = (path: string, params: Record<string, unknown>) => unknown;

/** A client whose GETs are answered by `answer` (the `data` of the envelope); every path asked is kept. */
function stubClient(answer: Answer): InfomaniakApi & { asked: string[] } {
  const asked: string[] = [];
  const api = {
    asked,
    endpoints: {} as InfomaniakApi['endpoints'],
    get: async <T>(_host: string, path: string, options?: { searchParams?: Record<string, unknown> }) => {
      asked.push(path);
      return { data: answer(path, options?.searchParams ?? {}) as T } as ApiPage<T>;
    },
    post: async () => {
      throw new Error('no POST here');
    },
    probe: async () => {
      throw new Error('no probe here');
    },
    download: async () => {
      throw new Error('no download here');
    },
  };
  return api as unknown as InfomaniakApi & { asked: string[] };
}

function options(source: RunSource): RunOptions {
  return runOptions({ root, stateDir: join(dir, 'state'), source });
}

const T = 1_700_000_000;
const file = (id: number, name: string, parent: number, path: string) => ({
  id,
  name,
  type: 'file',
  parent_id: parent,
  size: name.length,
  last_modified_at: T,
  path,
});
const folder = (id: number, name: string, parent: number, path: string) => ({
  id,
  name,
  type: 'dir',
  parent_id: parent,
  last_modified_at: T,
  path,
});

/** Folder 10 (`/P`): a.txt, b.txt and Sub/c.txt. */
const GOOD = [
  file(11, 'a.txt', 10, '/P/a.txt'),
  file(12, 'b.txt', 10, '/P/b.txt'),
  folder(13, 'Sub', 10, '/P/Sub'),
  file(14, 'c.txt', 13, '/P/Sub/c.txt'),
];

/** A kDrive subtree whose listing answers `listing()`; downloads write the file's name as its bytes. */
function kdrive(client: InfomaniakApi, folderId = 10): Subtree {
  const subtree = kdriveSubtree(client, { driveId: 1, folderId });
  return {
    list: (signal) => subtree.list(signal),
    itemFor: (entry) => ({
      segments: [entry.name],
      size: entry.size,
      modifiedAt: entry.mtime ?? undefined,
      content: async () => new TextEncoder().encode(entry.name),
    }),
  };
}

async function firstRun(source: RunSource): Promise<Record<string, string>> {
  await runPair(options(source));
  return tree(root);
}

describe('kDrive listings fed a changed shape fail the run and change nothing', () => {
  const shapes: Array<[string, unknown]> = [
    ['an object instead of the list', { files: GOOD }],
    ['a string', 'maintenance'],
    ['null', null],
  ];
  for (const [what, shape] of shapes) {
    it(`the recursive listing (walk): ${what}`, async () => {
      let answer: unknown = GOOD;
      const client = stubClient(() => answer);
      const before = await firstRun(kdrive(client));
      expect(Object.keys(before)).toHaveLength(4);
      answer = shape;
      await expect(runPair(options(kdrive(client)))).rejects.toMatchObject({ code: 'api_error' });
      expect(await tree(root)).toEqual(before);
    });
  }

  it("a folder's own listing (a whole drive's top level, and the folder-by-folder fallback)", async () => {
    let top: unknown = [folder(10, 'P', 1, '/P')];
    const client = stubClient((path, params) =>
      path.endsWith('/files/1/files') ? top : params.depth === 'unlimited' ? GOOD : [],
    );
    const before = await firstRun(kdrive(client, 1));
    expect(Object.keys(before)).toContain('P/a.txt');
    top = { data: [folder(10, 'P', 1, '/P')] };
    await expect(runPair(options(kdrive(client, 1)))).rejects.toMatchObject({ code: 'api_error' });
    expect(await tree(root)).toEqual(before);
  });
});

describe('a record that does not decode is unknown, never deleted', () => {
  it('a file record: its file stays; the rest of the run goes on and says so', async () => {
    let answer: unknown[] = GOOD;
    const client = stubClient(() => answer);
    await firstRun(kdrive(client));
    answer = [{ id: 11, name: { not: 'a name' } }, GOOD[1], GOOD[2], GOOD[3], file(15, 'new.txt', 10, '/P/new.txt')];
    const outcome = await runPair(options(kdrive(client)));
    expect(outcome.counts).toMatchObject({ added: 1, trashed: 0 });
    expect(Object.keys(await tree(root))).toContain('a.txt');
    expect(outcome.errors[0]).toMatchObject({ code: 'api_error' });
  });

  it('a folder record: the folder and everything below it stay', async () => {
    let answer: unknown[] = GOOD;
    const client = stubClient(() => answer);
    await firstRun(kdrive(client));
    answer = [GOOD[0], GOOD[1], { id: 13, type: 'dir' }, GOOD[3]];
    const outcome = await runPair(options(kdrive(client)));
    expect(outcome.counts.trashed).toBe(0);
    expect(Object.keys(await tree(root))).toEqual(expect.arrayContaining(['Sub/', 'Sub/c.txt']));
  });

  it('a record without a readable id: nothing is trashed in that run', async () => {
    let answer: unknown[] = GOOD;
    const client = stubClient(() => answer);
    await firstRun(kdrive(client));
    answer = [GOOD[0], 'garbage'];
    const outcome = await runPair(options(kdrive(client)));
    expect(outcome.counts.trashed).toBe(0);
    expect(Object.keys(await tree(root)).sort()).toEqual(['Sub/', 'Sub/c.txt', 'a.txt', 'b.txt']);
  });
});

describe('the change feeds fed a changed shape', () => {
  it('are never applied: a run fed one fails and changes nothing; the next lists in full and trashes only what the listing no longer has', async () => {
    let listing: unknown[] = GOOD;
    // Everything but the recursive listing answers in a shape no decoder knows (cursor, continue, activities).
    const client = stubClient((path, params) =>
      path.endsWith('/files/10/files') && params.depth === 'unlimited'
        ? listing
        : path.endsWith('/activities') || path.includes('listing')
          ? { cursor: 'c1', actions: 'everything was deleted', data: { actions: [{ action: 'file_delete' }] } }
          : [],
    );
    const feeds = new FeedMemory(join(dir, 'feeds'));
    await mkdir(join(dir, 'feeds'));
    const source = () =>
      new KdriveFeedSource({
        subtree: kdrive(client),
        client,
        target: { driveId: 1, folderId: 10 },
        stateDir: join(dir, 'state'),
        memory: feeds,
        driveKey: 'c:1',
        now: () => Date.parse('2026-11-29T12:00:00Z'),
      });
    await firstRun(source());
    listing = GOOD.filter((f) => f.id !== 12);
    const failed: string[] = [];
    for (let run = 0; run < 3; run++) {
      const before = await tree(root);
      try {
        await runPair(options(source()));
      } catch (error) {
        // Parse loudly: the run that met the changed shape fails with api_error and touches nothing.
        failed.push(error instanceof AppFailure ? error.code : String(error));
        expect(await tree(root)).toEqual(before);
      }
    }
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((code) => code === 'api_error')).toBe(true);
    // The feed was asked (and its answer refused), the runs that went on listed in full: b.txt went to the trash, nothing else.
    expect(client.asked.some((path) => path.includes('continue') || path.endsWith('/activities'))).toBe(true);
    expect(Object.keys(await tree(root)).sort()).toEqual(['.trash/', '.trash/b.txt', 'Sub/', 'Sub/c.txt', 'a.txt']);
  });
});

describe('calendar and address book listings fed a changed shape fail the run', () => {
  const cases = [
    ['calendar', 'the calendars', new CalendarAdapter(), 'conn:c1/calendar/cal:7', /\/calendar$/],
    ['calendar', 'the events', new CalendarAdapter(), 'conn:c1/calendar/cal:7', /\/event$/],
    ['contacts', 'the address books', new ContactsAdapter(), 'conn:c1/contacts/book:3', /\/addressbook$/],
    ['contacts', 'the contacts', new ContactsAdapter(), 'conn:c1/contacts/book:3', /\/contact\/all$/],
  ] as const;
  for (const [service, what, adapter, nodeId, route] of cases) {
    it(`${what}`, async () => {
      let broken = false;
      const good = (path: string): unknown =>
        path.endsWith('/calendar')
          ? [{ id: 7, name: 'Team' }]
          : path.endsWith('/event')
            ? [{ id: 501, title: 'Standup', start: '2026-11-30 09:00:00', end: '2026-11-30 09:15:00' }]
            : path.endsWith('/addressbook')
              ? [{ id: 3, name: 'Friends', default: true }]
              : [{ id: 41, firstname: 'Ada', lastname: 'Lovelace', addressbook_id: 3 }];
      const client = stubClient((path) => (broken && route.test(path) ? { items: 'moved elsewhere' } : good(path)));
      const ctx = contextFor(client as unknown as InfomaniakClient, `conn:c1/${service}`);
      const source = () => adapter.subtree(ctx, parseId(nodeId)!, nodeId, { layout: 'vdir' });
      const before = await firstRun(await source());
      expect(Object.keys(before)).toHaveLength(1);
      broken = true;
      await expect(runPair(options(await source()))).rejects.toMatchObject({ code: 'api_error' });
      expect(await tree(root)).toEqual(before);
    });
  }
});
