/**
 * The archive route of folder downloads (issue 9.8) end to end: the kDrive adapter, the transfer
 * manager and the app's client against the simulator, requests counted in its log. Hostile archive
 * entries come from the simulator's crafted-archive control.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { Transfer } from '../../shared/model/transfers';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from '../sources/ids';
import { KdriveAdapter } from '../sources/kdrive';
import { contextFor } from '../sources/test-support';
import { entrySegments } from '../localfs/archive-entries';
import { chooseRoute } from '../localfs/archive-fetch';
import { defaultOpenPart } from '../localfs/part-files';
import type { OpenPart } from '../localfs/part-files';
import { TransferManager } from './manager';
import type { TransferManagerDeps } from './manager';
import type { CraftedEntry } from '../../simulator/model/raw-zip';
import { kdriveManager, treeOf, useSimulatorClient } from './test-support';

const TOKEN = 'archive-token-0123456789';
const DRIVE = 5501;
const FILES = 120;

const scenario: ScenarioInput = {
  name: 'archive',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 91, name: 'Archive AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Archive',
      account_id: 91,
      tree: {
        common: [
          {
            name: 'Small',
            children: [{ name: 'Empty', children: [] }],
            generate: { seed: 'small', files: FILES / 4, dirs: 3, depth: 1, file_name: 'f-{i:03}.txt', size: 700 },
          },
          { name: 'Few', generate: { seed: 'few', files: 5, file_name: 'g-{i}.txt', size: 100 } },
          { name: 'big.bin', content: { seed: 'big', size: 2 * 1024 * 1024 } },
        ],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let base: string;
let smallId: number;
let fewId: number;

useSimulatorClient(scenario, TOKEN, (s, c) => ((sim = s), (client = c)));
beforeAll(() => {
  smallId = sim.idOf(DRIVE, '/Common documents/Small')!;
  fewId = sim.idOf(DRIVE, '/Common documents/Few')!;
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'archive-route-'));
  sim.log.reset();
  sim.setDownloads({ archives: 'on', craftedArchive: null, archiveTamper: null, mode: 'direct' });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const nodeId = (id: number) => `conn:c1/kdrive/drive:${DRIVE}/f:${id}`;
const names = new Map<string, string>();

function manager(dataDir: string, extra: Partial<TransferManagerDeps> = {}): TransferManager {
  const describe = (id: string) => ({ kind: 'folder' as const, name: names.get(id) ?? 'Small' });
  return kdriveManager({ client, dataDir, describe, extra });
}

async function download(id: number, target: string, extra: Partial<TransferManagerDeps> = {}): Promise<Transfer> {
  const m = manager(join(base, 'data'), extra);
  await m.start({ nodeIds: [nodeId(id)], folderMode: 'files', targetDir: target });
  await m.idle();
  const [t] = m.list();
  await m.dispose();
  return t!;
}

const tree = treeOf;

const routes = () => sim.log.entries().map((e) => e.route);

describe('the archive route', () => {
  it('chooses the archive only for many small files', () => {
    expect(chooseRoute({ files: 29, bytes: 29 * 1024 })).toBe('files');
    expect(chooseRoute({ files: 1000, bytes: 1000 * 20 * 1024 })).toBe('archive');
    expect(chooseRoute({ files: 100, bytes: 100 * 10 * 1024 * 1024 })).toBe('files');
    expect(chooseRoute({ files: 20_001, bytes: 20_001 })).toBe('files');
  });

  it('reduces entry names to segments inside the folder', () => {
    expect(entrySegments('../x')).toEqual(['x']);
    expect(entrySegments('/abs')).toEqual(['abs']);
    expect(entrySegments('C:\\x')).toEqual(['x']);
    expect(entrySegments('a\\..\\..\\b')).toEqual(['a', 'b']);
    expect(entrySegments('./a//b/.')).toEqual(['a', 'b']);
  });

  it('a folder of 120 small files: walk + create + download = 3 requests, the same tree as file by file', async () => {
    const viaArchive = join(base, 'archive');
    const t = await download(smallId, viaArchive);
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES, filesTotal: FILES });
    expect(t.bytesDone).toBe(FILES * 700);
    expect(routes()).toEqual([
      'GET /3/drive/{drive}/files/{file}/files',
      'POST /3/drive/{drive}/files/archives',
      'GET /2/drive/{drive}/files/archives/{uuid}',
    ]);
    // Nothing left behind: no parts in the folder, no archive in the data folder.
    expect((await tree(viaArchive)).filter((p) => p.includes('.part'))).toEqual([]);
    expect((await readdir(join(base, 'data', 'transfers'))).filter((n) => n.endsWith('.zip'))).toEqual([]);

    // The same folder file by file (the archive refused): the same names, bytes and times.
    sim.log.reset();
    sim.setDownloads({ archives: 'missing' });
    const viaFiles = join(base, 'files');
    const f = await download(smallId, viaFiles);
    expect(f).toMatchObject({ state: 'done', route: 'files', filesDone: FILES });
    expect(routes().filter((r) => r === 'GET /2/drive/{drive}/files/{file}/download')).toHaveLength(FILES);
    expect(routes().filter((r) => r === 'POST /3/drive/{drive}/files/archives')).toHaveLength(1);
    const layout = await tree(viaArchive);
    expect(layout).toEqual(await tree(viaFiles));
    expect(layout).toContain('Small/Empty/');
    for (const rel of layout.filter((p) => !p.endsWith('/')).slice(0, 40)) {
      expect(await readFile(join(viaArchive, rel))).toEqual(await readFile(join(viaFiles, rel)));
      const [a, b] = await Promise.all([lstat(join(viaArchive, rel)), lstat(join(viaFiles, rel))]);
      expect(Math.abs(a.mtimeMs - b.mtimeMs)).toBeLessThan(1000);
    }
  });

  it('a 403 on the archive falls back to file by file; a small folder never asks for one', async () => {
    sim.setDownloads({ archives: 'forbidden' });
    const t = await download(smallId, join(base, 'a'));
    expect(t).toMatchObject({ state: 'done', route: 'files', filesDone: FILES });
    sim.log.reset();
    names.set(nodeId(fewId), 'Few');
    const few = await download(fewId, join(base, 'b'));
    expect(few).toMatchObject({ state: 'done', route: 'files', filesDone: 5 });
    expect(routes().filter((r) => r.includes('archives'))).toEqual([]);
  });

  it('never overwrites: a folder of that name is merged into, an existing file stays and the new one lands beside it (13.5)', async () => {
    const target = join(base, 'keep');
    await mkdir(join(target, 'Small'), { recursive: true });
    await writeFile(join(target, 'Small', 'f-001.txt'), 'mine');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', route: 'archive', keptBoth: 1 });
    expect(await readFile(join(target, 'Small', 'f-001.txt'), 'utf8')).toBe('mine');
    expect(t.targetPath).toBe(join(target, 'Small'));
    // No one to ask in this test (no ExistingFiles): both are kept.
    const files = (await tree(join(target, 'Small'))).filter((p) => !p.endsWith('/'));
    expect(files).toHaveLength(FILES + 1);
    expect(files).toContain('f-001 (1).txt');
  });

  it('files already there (the same size and time) are not fetched again: not through the archive, not one by one', async () => {
    const target = join(base, 'again');
    const first = await download(smallId, target);
    expect(first).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES });
    // One file changed locally: only that one is asked about (kept both here, no one to ask).
    await writeFile(join(target, 'Small', 'f-001.txt'), 'mine');
    sim.log.reset();
    const again = await download(smallId, target);
    expect(again).toMatchObject({ state: 'done', route: 'files', alreadyThere: FILES - 1, keptBoth: 1 });
    // The listing, and the one changed file: no archive is made for files that are there.
    expect(routes()).toEqual(['GET /3/drive/{drive}/files/{file}/files', 'GET /2/drive/{drive}/files/{file}/download']);
    sim.log.reset();
    await rm(join(target, 'Small', 'f-001 (1).txt'));
    await rm(join(target, 'Small', 'f-001.txt'));
    const third = await download(smallId, target);
    expect(third).toMatchObject({ state: 'done', alreadyThere: FILES - 1, filesDone: FILES });
  });

  it("hostile entries the walk did not list are never unpacked, anywhere: the walk's files come, nothing else (25.2)", async () => {
    sim.setDownloads({
      craftedArchive: [
        { name: '../x', content: 'dotdot' },
        { name: '/abs', content: 'absolute' },
        { name: 'C:\\x', content: 'drive' },
        { name: 'a\\..\\..\\b', content: 'backslashes' },
        { name: 'Small/CON', content: 'device' },
        { name: 'Small/bad\u0001name\u202e.txt', content: 'controls' },
        { name: `${'n'.repeat(300)}.txt`, content: 'long' },
        { name: 'dup.txt', content: 'one' },
        { name: 'link', content: '/etc/passwd', symlink: true },
        // A listed name as a link: that file comes on its own, never as a link.
        { name: 'Small/f-001.txt', content: '/etc/passwd', symlink: true },
      ],
    });
    const target = join(base, 'hostile');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES, renamedCount: 0 });
    expect(await readdir(base)).toEqual(expect.arrayContaining(['hostile', 'data']));
    expect(existsSync(join(base, 'x'))).toBe(false);
    expect(existsSync(join(base, 'b'))).toBe(false);
    const files = (await tree(target)).filter((p) => !p.endsWith('/'));
    // Exactly the walk's files, each at its size (the crafted archive held none of them: file by file).
    expect(files).toHaveLength(FILES);
    expect(files.every((p) => /^Small\/(.+\/)?f-\d{3}\.txt$/.test(p))).toBe(true);
    for (const rel of files) expect((await lstat(join(target, rel))).size).toBe(700);
    expect(routes().filter((r) => r === 'GET /2/drive/{drive}/files/{file}/download')).toHaveLength(FILES);
  });

  it('cancel stops the archive request; nothing is left in the folder or the data folder', async () => {
    sim.setLatency({
      fixedMs: 0,
      jitterMs: 0,
      routes: { 'GET /2/drive/{drive}/files/archives/{uuid}': { fixedMs: 30_000, jitterMs: 0 } },
    });
    const m = manager(join(base, 'data'));
    const target = join(base, 'cancel');
    const [id] = await m.start({ nodeIds: [nodeId(smallId)], folderMode: 'files', targetDir: target });
    const began = Date.now();
    while (!routes().includes('GET /2/drive/{drive}/files/archives/{uuid}')) {
      if (Date.now() - began > 10_000) throw new Error('the archive was never requested');
      await new Promise((r) => setTimeout(r, 20));
    }
    await m.cancel(id!);
    await m.idle();
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(m.list()[0]).toMatchObject({ state: 'cancelled', route: 'archive' });
    expect((await tree(target)).filter((p) => !p.endsWith('/'))).toEqual([]);
    expect((await readdir(join(base, 'data', 'transfers'))).filter((n) => n.includes('.zip'))).toEqual([]);
    await m.dispose();
  });

  it('a kill during the unpack leaves no half file; the restart completes it, every file once', async () => {
    const dataDir = join(base, 'data');
    const target = join(base, 'kill');
    let opened = 0;
    let killed!: () => void;
    const stop = new Promise<void>((resolve) => (killed = resolve));
    const openPart: OpenPart = async (path, flags) => {
      opened += 1;
      if (opened === 40) killed();
      return defaultOpenPart(path, flags);
    };
    const first = manager(dataDir, { writer: { openPart } });
    await first.start({ nodeIds: [nodeId(smallId)], folderMode: 'files', targetDir: target });
    await stop;
    await first.dispose();
    const done = (await tree(target)).filter((p) => /f-\d{3}\.txt$/.test(p));
    expect(done.length).toBeLessThan(FILES);

    sim.log.reset();
    const second = manager(dataDir);
    await second.restore();
    await second.idle();
    expect(second.list()[0]).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES });
    await second.dispose();
    const files = (await tree(target)).filter((p) => !p.endsWith('/'));
    expect(files).toHaveLength(FILES);
    expect(files.some((p) => p.includes('(1)') || p.includes('.part'))).toBe(false);
    for (const rel of files.slice(0, 20)) expect((await readFile(join(target, rel))).length).toBe(700);
  });
});

describe('a hostile archive (issue 25.2)', () => {
  const ARCHIVE = ['POST /3/drive/{drive}/files/archives', 'GET /2/drive/{drive}/files/archives/{uuid}'];
  const DOWNLOAD = 'GET /2/drive/{drive}/files/{file}/download';
  let reference: string | null = null;

  /** The folder file by file (no archive): what every file must hold. */
  async function referenceTree(): Promise<string> {
    if (reference) return reference;
    const dir = await mkdtemp(join(tmpdir(), 'archive-reference-'));
    sim.setDownloads({ archives: 'missing' });
    const m = manager(join(dir, 'data'));
    await m.start({ nodeIds: [nodeId(smallId)], folderMode: 'files', targetDir: join(dir, 'files') });
    await m.idle();
    await m.dispose();
    sim.setDownloads({ archives: 'on' });
    sim.log.reset();
    reference = join(dir, 'files');
    return reference;
  }
  afterAll(async () => {
    if (reference) await rm(join(reference, '..'), { recursive: true, force: true });
  });

  /** The download holds exactly the walk's files, each with the server's bytes. */
  async function expectTheFolder(target: string): Promise<void> {
    const expected = await referenceTree();
    const files = (await tree(target)).filter((p) => !p.endsWith('/'));
    expect(files).toEqual((await tree(expected)).filter((p) => !p.endsWith('/')));
    // The files whose bytes differ, compared as bytes (toEqual walked each Buffer value by value).
    const differ: string[] = [];
    for (const rel of files)
      if (!(await readFile(join(target, rel))).equals(await readFile(join(expected, rel)))) differ.push(rel);
    expect(differ).toEqual([]);
  }

  it('only the listed files are unpacked, at their listed size: extra entries and a bomb stay in it', async () => {
    await referenceTree();
    sim.setDownloads({
      archiveTamper: (entries) => [
        ...entries,
        // 256 MiB of zeros in about 256 KiB (a 1 MiB zip placed a 1 GiB file before).
        { name: 'Small/bomb.bin', zeros: 256 * 1024 * 1024 },
        { name: 'Small/extra.txt', content: 'not listed' },
        { name: '../escape.txt', content: 'not listed' },
      ],
    });
    const target = join(base, 'bounded');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES, bytesDone: FILES * 700 });
    await expectTheFolder(target);
    expect(existsSync(join(base, 'escape.txt'))).toBe(false);
    expect(routes()).toEqual(['GET /3/drive/{drive}/files/{file}/files', ...ARCHIVE]);
  });

  it('an archive of 30,000 entries for a folder of 124 is refused whole: the files come one by one', async () => {
    await referenceTree();
    const spam = Array.from({ length: 30_000 }, (_, i) => ({ name: `Small/spam/${i}.txt`, content: 'x' }));
    sim.setDownloads({ archiveTamper: (entries) => [...entries, ...spam] });
    const target = join(base, 'spam');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', route: 'files', filesDone: FILES });
    await expectTheFolder(target);
    expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(FILES);
  });

  it('entries of another size, lying, broken: those files come on their own, the others from the archive', async () => {
    await referenceTree();
    const change: Record<string, (e: CraftedEntry) => CraftedEntry> = {
      // Larger than the listing said (the sync first run that crashed 9 times in 10).
      'Small/f-001.txt': (e) => ({ ...e, content: 'x'.repeat(5000) }),
      // Changed on the server between the listing and the archive, deflated.
      'Small/f-002.txt': (e) => ({ ...e, content: 'changed '.repeat(200), deflate: true }),
      // Deflated to more bytes than its header claims.
      'Small/f-003.txt': (e) => ({ ...e, content: 'y'.repeat(2100), deflate: true, claim: 700 }),
      'Small/f-004.txt': (e) => ({ ...e, deflate: true, corrupt: 'data' }),
      'Small/f-005.txt': (e) => ({ ...e, corrupt: 'header' }),
    };
    sim.setDownloads({ archiveTamper: (entries) => entries.map((e) => change[e.name]?.(e) ?? e) });
    const target = join(base, 'broken');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: FILES, bytesDone: FILES * 700 });
    await expectTheFolder(target);
    expect(routes().filter((r) => r === DOWNLOAD)).toHaveLength(Object.keys(change).length);
  });

  it('a broken record late in the archive: the files handed over still come, the rest one by one', async () => {
    await referenceTree();
    sim.setDownloads({
      archiveTamper: (entries) => entries.map((e, i) => (i === entries.length - 10 ? { ...e, corrupt: 'central' } : e)),
    });
    const target = join(base, 'late');
    const t = await download(smallId, target);
    expect(t).toMatchObject({ state: 'done', filesDone: FILES });
    await expectTheFolder(target);
    const single = routes().filter((r) => r === DOWNLOAD).length;
    expect(single).toBeGreaterThan(0);
    expect(single).toBeLessThanOrEqual(10);
  });

  it('archives that killed runs left in the data folder are removed at start, nothing else', async () => {
    const dataDir = join(base, 'data');
    const dir = join(dataDir, 'transfers');
    await mkdir(dir, { recursive: true });
    const left = ['dead.jsonl.zip', 'dead.jsonl.zip.part', 'dead.jsonl.zip.part.json', 'gone.jsonl.zip.part.json.tmp'];
    for (const name of [...left, 'other.jsonl']) await writeFile(join(dir, name), 'x');
    const m = manager(dataDir);
    await m.restore();
    expect(await readdir(dir)).toEqual(['other.jsonl']);
    await m.dispose();
  });
});

describe('a single file', () => {
  it('of 2 MiB is one request: no /hash (its hash could not be compared anyway, 9.1)', async () => {
    const bigId = sim.idOf(DRIVE, '/Common documents/big.bin')!;
    names.set(nodeId(bigId), 'big.bin');
    const adapter = new KdriveAdapter();
    // As listed in the tree: its size is known.
    const listed = new Map([
      [
        nodeId(bigId),
        {
          id: nodeId(bigId),
          parentId: null,
          kind: 'file' as const,
          name: 'big.bin',
          size: 2 * 1024 * 1024,
          expandable: false,
          downloadable: true,
        },
      ],
    ]);
    const m = new TransferManager({
      dataDir: join(base, 'data'),
      shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
      describe: () => ({ kind: 'file', name: 'big.bin' }),
      resolve: (node, mode, signal) =>
        adapter.job({ ...contextFor(client, 'conn:c1/kdrive', listed), signal }, parseId(node.id)!, node.id, mode),
      onChange: () => undefined,
    });
    await m.start({ nodeIds: [nodeId(bigId)], folderMode: 'files', targetDir: join(base, 'one') });
    await m.idle();
    expect(m.list()[0]).toMatchObject({ state: 'done', bytesDone: 2 * 1024 * 1024, verified: 'size', route: null });
    await m.dispose();
    expect(routes()).toEqual(['GET /2/drive/{drive}/files/{file}/download']);
  });
});
