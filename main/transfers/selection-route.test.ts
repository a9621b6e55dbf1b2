/**
 * A big selection of files of one folder comes as archives (issue 22.3), end to end: the kDrive
 * adapter, the transfer manager and the app's client against the simulator, requests counted in
 * its log; what each archive held is the simulator's own record.
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { Transfer } from '../../shared/model/transfers';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from '../sources/ids';
import { KdriveAdapter } from '../sources/kdrive';
import { clientFor, contextFor } from '../sources/test-support';
import { ExistingFiles } from './existing';
import type { TransferManagerDeps } from './manager';
import { ARCHIVE_BATCH_FILES, batchesOf } from './selection-route';
import { kdriveManager, treeOf, useSimulatorClient } from './test-support';

const TOKEN = 'selection-token-0123456789';
const DRIVE = 5801;
/** Files of the big selection: 1,000 here (one batch either way); `MANY=20000` runs the count, which the bench's `selection` case measures. */
const MANY = Number(process.env.MANY ?? 1_000);

const scenario: ScenarioInput = {
  name: 'selection',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 92, name: 'Selection AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Selection',
      account_id: 92,
      tree: {
        common: [
          { name: 'Many', generate: { seed: 'many', files: MANY, file_name: 'm-{i:05}.txt', size: 16 } },
          {
            name: 'Forty',
            children: [{ name: 'Inner', children: [{ name: 'f-00.txt', content: 'inner' }] }],
            generate: { seed: 'forty', files: 40, file_name: 'f-{i:02}.txt', size: 300 },
          },
          { name: 'Large', generate: { seed: 'large', files: 100, file_name: 'l-{i:03}.bin', size: 3 * 1024 * 1024 } },
          { name: 'Huge', generate: { seed: 'huge', files: 1500, file_name: 'h-{i:04}.bin', size: 3 * 1024 * 1024 } },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let base: string;

useSimulatorClient(scenario, TOKEN, (s, c) => ((sim = s), (client = c)));
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'selection-route-'));
  sim.setDownloads({ archives: 'on', archiveMaxFiles: 20_000, mode: 'direct' });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const routes = () => sim.log.entries().map((e) => e.route);
const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

const shown = new Map<string, Map<string, SourceNode>>();

/** What the tree shows of a folder once the user opened it (its pages are the walk's requests). */
async function opened(path: string): Promise<Map<string, SourceNode>> {
  const known = shown.get(path);
  if (known) return known;
  const folderId = sim.idOf(DRIVE, path)!;
  const parentId = `conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`;
  const nodes = new Map<string, SourceNode>();
  const ctx = contextFor(client, 'conn:c1/kdrive', nodes);
  for await (const page of new KdriveAdapter().list(ctx, parseId(parentId)!, parentId)) {
    for (const node of page.nodes) nodes.set(node.id, node);
  }
  shown.set(path, nodes);
  return nodes;
}

/** What the tree knows of a node (Sources.describe). */
function facts(listed: Map<string, SourceNode>) {
  return (id: string) => {
    const node = listed.get(id);
    const kind = node?.kind === 'file' ? ('file' as const) : ('folder' as const);
    return node ? { kind, name: node.name, parent: node.parentId } : null;
  };
}

function manager(listed: Map<string, SourceNode>, extra: Partial<TransferManagerDeps> = {}) {
  const describe = facts(listed);
  return kdriveManager({ client, dataDir: join(base, 'data'), describe, listed, extra });
}

const files = (nodes: Map<string, SourceNode>) => [...nodes.values()].filter((n) => n.kind === 'file');

describe('a big selection of one folder (issue 22.3)', () => {
  it('batches: at most 20,000 files and 4 GiB each, in order', () => {
    const item = (size: number | null) => ({ item: { segments: ['x'], size } });
    expect(batchesOf(Array.from({ length: 45_000 }, () => item(10))).map((b) => b.length)).toEqual([
      ARCHIVE_BATCH_FILES,
      ARCHIVE_BATCH_FILES,
      5_000,
    ]);
    const big = Array.from({ length: 5 }, () => item(1024 ** 3));
    expect(batchesOf(big).map((b) => b.length)).toEqual([4, 1]);
    // A size not known counts as 2 MiB: 2,048 of them fill 4 GiB.
    expect(batchesOf(Array.from({ length: 3000 }, () => item(null))).map((b) => b.length)).toEqual([2048, 952]);
  });

  it(`${MANY} selected files: requests ≤ ⌈n / batch⌉ × 3 + walk, every file written once`, async () => {
    shown.delete('/Common documents/Many');
    sim.log.reset();
    const listed = await opened('/Common documents/Many');
    const walk = routes().length;
    expect(walk).toBe(Math.ceil(MANY / 1000));
    const ids = files(listed).map((n) => n.id);
    expect(ids).toHaveLength(MANY);
    const m = manager(listed);
    const target = join(base, 'many');
    const began = performance.now();
    await m.start({ nodeIds: ids, folderMode: 'files', targetDir: target });
    await m.idle();
    const seconds = (performance.now() - began) / 1000;
    const [t] = m.list() as [Transfer];
    await m.dispose();
    expect(t).toMatchObject({
      kind: 'selection',
      state: 'done',
      route: 'archive',
      filesDone: MANY,
      bytesDone: MANY * 16,
    });
    const requests = routes().length - walk;
    console.info(
      `[figures] ${MANY} selected files: ${requests} requests (+${walk} to list them), ${seconds.toFixed(1)} s`,
    );
    expect(requests).toBeLessThanOrEqual(Math.ceil(MANY / ARCHIVE_BATCH_FILES) * 3);
    expect(routes().filter((r) => r === DOWNLOAD)).toEqual([]);
    const written = await readdir(target);
    expect(written).toHaveLength(MANY);
    expect(written.filter((n) => n.includes('.part'))).toEqual([]);
    expect((await lstat(join(target, `m-${String(MANY - 1).padStart(5, '0')}.txt`))).size).toBe(16);
    expect((await readdir(join(base, 'data', 'transfers'))).filter((n) => n.includes('.zip'))).toEqual([]);
  }, 300_000);

  it('a batch the server refuses as too large is split in two and asked again', async () => {
    const listed = await opened('/Common documents/Many');
    sim.setDownloads({ archiveMaxFiles: 50 });
    sim.log.reset();
    const m = manager(listed);
    const ids = files(listed)
      .map((n) => n.id)
      .slice(0, 80);
    await m.start({ nodeIds: ids, folderMode: 'files', targetDir: join(base, 'split') });
    await m.idle();
    const [t] = m.list() as [Transfer];
    await m.dispose();
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: 80 });
    // One refused (too_many_files_error), then two of 40.
    expect(routes().filter((r) => r.includes('archives'))).toHaveLength(1 + 2 * 2);
    expect(routes().filter((r) => r === DOWNLOAD)).toEqual([]);
    expect(
      sim
        .archives()
        .slice(-2)
        .map((a) => a.fileIds.length),
    ).toEqual([40, 40]);
  });

  it('after a restart (nothing in the tree yet) the selection still comes as an archive', async () => {
    const listed = await opened('/Common documents/Forty');
    const ids = files(listed).map((n) => n.id);
    const target = join(base, 'restart');
    const first = manager(listed);
    await first.start({ nodeIds: ids, folderMode: 'files', targetDir: target });
    await first.dispose();
    expect(first.list()[0]).toMatchObject({ state: 'queued', filesDone: 0 });
    const before = sim.archives().length;
    sim.log.reset();
    // The tree's cache is empty: what the transfer remembered of each node is all there is.
    const again = kdriveManager({ client, dataDir: join(base, 'data'), describe: () => null, listed: new Map() });
    await again.restore();
    await again.idle();
    const [t] = again.list() as [Transfer];
    await again.dispose();
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: 40 });
    expect(
      sim
        .archives()
        .slice(before)
        .map((a) => a.fileIds.length),
    ).toEqual([40]);
    expect(routes().filter((r) => r === DOWNLOAD)).toEqual([]);
  });

  it('large files or few files are fetched one by one, as before', async () => {
    const listed = await opened('/Common documents/Large');
    sim.log.reset();
    const m = manager(listed);
    const ids = files(listed)
      .map((n) => n.id)
      .slice(0, 25);
    await m.start({ nodeIds: ids, folderMode: 'files', targetDir: join(base, 'large') });
    await m.idle();
    await m.dispose();
    expect(m.list()[0]).toMatchObject({ state: 'done', route: null, filesDone: 25 });
    expect(routes().filter((r) => r.includes('archives'))).toEqual([]);
    expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(25);
  });
  it('files already there (the same size and time) take no archive route: only a changed one is fetched', async () => {
    const listed = await opened('/Common documents/Forty');
    const ids = files(listed).map((n) => n.id);
    const target = join(base, 'again');
    const first = manager(listed);
    await first.start({ nodeIds: ids, folderMode: 'files', targetDir: target });
    await first.idle();
    await first.dispose();
    expect(first.list()[0]).toMatchObject({ state: 'done', route: 'archive', filesDone: 40 });
    await writeFile(join(target, 'f-01.txt'), 'mine');
    const before = sim.archives().length;
    sim.log.reset();
    const again = manager(listed);
    await again.start({ nodeIds: ids, folderMode: 'files', targetDir: target });
    await again.idle();
    await again.dispose();
    // No one to ask here (no ExistingFiles): the changed file is kept beside the new one.
    expect(again.list()[0]).toMatchObject({ state: 'done', route: null, alreadyThere: 39, keptBoth: 1, filesDone: 40 });
    expect(sim.archives().length).toBe(before);
    expect(routes().filter((r) => r.includes('archives'))).toEqual([]);
    expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(1);
  });
});

describe('files the user skips are not in the archive (issue 22.3)', () => {
  /** Answers every question with Skip (for the rest of the batch). */
  function skipAll(): ExistingFiles {
    const existing: ExistingFiles = new ExistingFiles({
      trash: async () => undefined,
      onChange: (questions) =>
        queueMicrotask(() => {
          for (const q of questions) existing.answer({ id: q.id, choice: 'skip', applyToAll: true });
        }),
    });
    return existing;
  }

  it('a selection: the skipped files are left out of file_ids, and stay untouched', async () => {
    const listed = await opened('/Common documents/Forty');
    const selected = files(listed);
    const target = join(base, 'skip-selection');
    await mkdir(target);
    const taken = selected.slice(0, 3);
    for (const node of taken) await writeFile(join(target, node.name), 'mine');
    const m = manager(listed, { existing: skipAll() });
    const before = sim.archives().length;
    await m.start({ nodeIds: selected.map((n) => n.id), folderMode: 'files', targetDir: target });
    await m.idle();
    const [t] = m.list() as [Transfer];
    await m.dispose();
    expect(t).toMatchObject({ state: 'done', route: 'archive', skipped: 3, filesDone: 40 });
    const [archive] = sim.archives().slice(before);
    const skippedIds = taken.map((n) => Number(n.id.slice(n.id.lastIndexOf(':') + 1)));
    expect(archive?.fileIds).toHaveLength(37);
    expect(archive?.fileIds.some((id) => skippedIds.includes(id))).toBe(false);
    for (const node of taken) expect(await readFile(join(target, node.name), 'utf8')).toBe('mine');
    expect(await readdir(target)).toHaveLength(40);
  });

  it('a folder: skipped files of the folder itself are left out (except_file_ids); deeper ones only stay unplaced', async () => {
    const folderId = sim.idOf(DRIVE, '/Common documents/Forty')!;
    const listed = await opened('/Common documents/Forty');
    const children = files(listed);
    const target = join(base, 'skip-folder');
    await mkdir(join(target, 'Forty', 'Inner'), { recursive: true });
    const taken = children.slice(0, 2);
    for (const node of taken) await writeFile(join(target, 'Forty', node.name), 'mine');
    await writeFile(join(target, 'Forty', 'Inner', 'f-00.txt'), 'mine too');
    const folder: SourceNode = {
      id: `conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`,
      parentId: null,
      kind: 'folder',
      name: 'Forty',
      expandable: true,
      downloadable: true,
    };
    const m = manager(new Map([[folder.id, folder]]), { existing: skipAll() });
    const before = sim.archives().length;
    await m.start({ nodeIds: [folder.id], folderMode: 'files', targetDir: target });
    await m.idle();
    const [t] = m.list() as [Transfer];
    await m.dispose();
    expect(t).toMatchObject({ state: 'done', route: 'archive', skipped: 3, filesDone: 41 });
    const [archive] = sim.archives().slice(before);
    const skippedIds = taken.map((n) => Number(n.id.slice(n.id.lastIndexOf(':') + 1)));
    // The folder's children but the two skipped: 38 files and the folder Inner (with its file).
    expect(archive?.fileIds).toHaveLength(39);
    expect(archive?.fileIds.some((id) => skippedIds.includes(id))).toBe(false);
    expect(await readFile(join(target, 'Forty', 'Inner', 'f-00.txt'), 'utf8')).toBe('mine too');
    for (const node of taken) expect(await readFile(join(target, 'Forty', node.name), 'utf8')).toBe('mine');
    const written = (await treeOf(target)).filter((p) => !p.endsWith('/'));
    expect(written).toHaveLength(41);
  });
});

// Listing and resolving thousands of nodes takes seconds on a loaded machine.
describe('how long it takes at the budget (issue 22.3)', { timeout: 180_000 }, () => {
  /** A client with Infomaniak's budget (60 requests a minute, the pacer's default). */
  let paced: InfomaniakClient;
  beforeAll(() => {
    paced = clientFor(sim, TOKEN);
  });
  afterAll(async () => {
    await paced.close();
  });

  /** The estimates a transfer showed, in order (every change batch). */
  function watched(listed: Map<string, SourceNode>) {
    const seen: Array<Transfer['estimate']> = [];
    const m = kdriveManager({
      client: paced,
      dataDir: join(base, 'data'),
      describe: facts(listed),
      listed,
      extra: { notifyIntervalMs: 0, onChange: (changes) => changes.changed.forEach((t) => seen.push(t.estimate)) },
    });
    return { m, seen };
  }

  async function until(condition: () => boolean): Promise<void> {
    const began = Date.now();
    while (!condition()) {
      if (Date.now() - began > 120_000) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('100 large selected files, one request each: "about 1 min 42 s at 60 requests/min"', async () => {
    const listed = await opened('/Common documents/Large');
    const { m, seen } = watched(listed);
    const [id] = await m.start({
      nodeIds: files(listed).map((n) => n.id),
      folderMode: 'files',
      targetDir: join(base, 'e'),
    });
    await until(() => seen.some((e) => e?.complete === true));
    await m.cancel(id!);
    await m.idle();
    await m.dispose();
    const first = seen.find((e) => e);
    // Counted while the selection was resolved: 100 requests at 60 per 61 s.
    expect(first).toMatchObject({ requests: 100, seconds: 102, limit: 60, windowMs: 61_000 });
    const complete = seen.find((e) => e?.complete)!;
    expect(complete.requests).toBeLessThanOrEqual(100);
    expect(complete.requests).toBeGreaterThan(60);
    expect(m.list()[0]?.estimate).toBeNull();
  });

  it('a folder of large files: "at least" while its files are counted, then the whole estimate', async () => {
    const folderId = sim.idOf(DRIVE, '/Common documents/Huge')!;
    const folder: SourceNode = {
      id: `conn:c1/kdrive/drive:${DRIVE}/f:${folderId}`,
      parentId: null,
      kind: 'folder',
      name: 'Huge',
      expandable: true,
      downloadable: true,
    };
    // The second listing page comes late: the first is counted meanwhile.
    sim.setLatency({ fixedMs: 0, jitterMs: 0, routes: { [LISTING]: { fixedMs: 1500, jitterMs: 0 } } });
    try {
      const { m, seen } = watched(new Map([[folder.id, folder]]));
      const [id] = await m.start({ nodeIds: [folder.id], folderMode: 'files', targetDir: join(base, 'h') });
      await until(() => seen.some((e) => e?.complete === true));
      await m.cancel(id!);
      await m.idle();
      await m.dispose();
      const counting = seen.find((e) => e && !e.complete);
      expect(counting).toMatchObject({ requests: 1000, complete: false });
      expect(seen.find((e) => e?.complete)).toMatchObject({ complete: true });
      expect(seen.find((e) => e?.complete)!.requests).toBeGreaterThan(1400);
    } finally {
      sim.setLatency({ fixedMs: 0, jitterMs: 0 });
    }
  });

  it('20,000 small selected files as an archive: not bound by the budget, no estimate', async () => {
    const listed = await opened('/Common documents/Many');
    const { m, seen } = watched(listed);
    const [id] = await m.start({
      nodeIds: files(listed).map((n) => n.id),
      folderMode: 'files',
      targetDir: join(base, 'n'),
    });
    await until(() => m.list()[0]?.route === 'archive');
    await m.cancel(id!);
    await m.idle();
    await m.dispose();
    expect(seen.filter((e) => e)).toEqual([]);
  });
});
