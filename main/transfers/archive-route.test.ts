/**
 * The archive route of folder downloads (issue 9.8) end to end: the kDrive adapter, the transfer
 * manager and the app's client against the simulator, requests counted in its log. Hostile archive
 * entries come from the simulator's crafted-archive control.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { Transfer } from '../../shared/model/transfers';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from '../sources/ids';
import { KdriveAdapter } from '../sources/kdrive';
import { clientFor, contextFor } from '../sources/test-support';
import { entrySegments } from '../localfs/archive-entries';
import { chooseRoute } from '../localfs/archive-fetch';
import { defaultOpenPart } from '../localfs/part-files';
import type { OpenPart } from '../localfs/part-files';
import { TransferManager } from './manager';
import type { TransferManagerDeps } from './manager';

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

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  // Not the budget under test here (the pacer test is below): 120 single files must not wait.
  client = clientFor(sim, TOKEN, { limit: 100_000, windowMs: 1000 });
  smallId = sim.idOf(DRIVE, '/Common documents/Small')!;
  fewId = sim.idOf(DRIVE, '/Common documents/Few')!;
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'archive-route-'));
  sim.log.reset();
  sim.setDownloads({ archives: 'on', craftedArchive: null, mode: 'direct' });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const nodeId = (id: number) => `conn:c1/kdrive/drive:${DRIVE}/f:${id}`;
const names = new Map<string, string>();

function manager(dataDir: string, extra: Partial<TransferManagerDeps> = {}): TransferManager {
  const adapter = new KdriveAdapter();
  return new TransferManager({
    dataDir,
    concurrency: 3,
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: (id) => ({ kind: 'folder', name: names.get(id) ?? 'Small' }),
    resolve: (node, mode, signal) =>
      adapter.job(
        { ...contextFor(client, 'conn:c1/kdrive'), signal, hint: { kind: node.kind, name: node.name } },
        parseId(node.id)!,
        node.id,
        mode,
      ),
    onChange: () => undefined,
    log: process.env.DEBUG_ARCHIVE ? (l) => console.log(l) : undefined,
    ...extra,
  });
}

async function download(id: number, target: string, extra: Partial<TransferManagerDeps> = {}): Promise<Transfer> {
  const m = manager(join(base, 'data'), extra);
  await m.start({ nodeIds: [nodeId(id)], folderMode: 'files', targetDir: target });
  await m.idle();
  const [t] = m.list();
  await m.dispose();
  return t!;
}

/** Every file and folder below `dir` ("a/", "a/b.txt"), sorted; links reported as such. */
async function tree(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const abs = join(dir, name);
    const info = await lstat(abs);
    const rel = relative(root, abs);
    if (info.isSymbolicLink()) out.push(`${rel} -> link`);
    else if (info.isDirectory()) out.push(`${rel}/`, ...(await tree(abs, root)));
    else out.push(rel);
  }
  return out.sort();
}

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

  it('hostile entry names are unpacked inside the folder, with safe names, never as links', async () => {
    const long = `${'n'.repeat(300)}.txt`;
    sim.setDownloads({
      craftedArchive: [
        { name: '../x', content: 'dotdot' },
        { name: '/abs', content: 'absolute' },
        { name: 'C:\\x', content: 'drive' },
        { name: 'a\\..\\..\\b', content: 'backslashes' },
        { name: 'Small/CON', content: 'device' },
        { name: 'Small/bad\u0001name\u202e.txt', content: 'controls' },
        { name: long, content: 'long' },
        { name: 'dup.txt', content: 'one' },
        { name: 'dup.txt', content: 'two' },
        { name: 'link', content: '/etc/passwd', symlink: true },
      ],
    });
    const target = join(base, 'hostile');
    const t = await download(smallId, target);
    expect(t.route).toBe('archive');
    // The link is refused (the transfer says so); everything else arrives.
    expect(t.state).toBe('failed');
    expect(t.error?.message).toContain('"link" in the archive was not unpacked: it is a link');
    expect(await readdir(base)).toEqual(expect.arrayContaining(['hostile', 'data']));
    expect(existsSync(join(base, 'x'))).toBe(false);
    expect(existsSync(join(target, 'x'))).toBe(false);
    expect(existsSync(join(base, 'b'))).toBe(false);
    const files = (await tree(target)).filter((p) => !p.endsWith('/'));
    expect(files.some((p) => p.includes('->'))).toBe(false);
    const read = (rel: string) => readFile(join(target, rel), 'utf8');
    expect(await read('Small/x')).toBe('dotdot');
    expect(await read('Small/abs')).toBe('absolute');
    expect(await read('Small/x (1)')).toBe('drive');
    expect(await read('Small/a/b')).toBe('backslashes');
    expect([await read('Small/dup.txt'), await read('Small/dup (1).txt')].sort()).toEqual(['one', 'two']);
    const written = new Set(files.map((p) => p.split('/').at(-1)!));
    expect(written.has('CON')).toBe(false);
    // eslint-disable-next-line no-control-regex
    expect([...written].some((n) => /[\u0000-\u001f\u202e]/.test(n))).toBe(false);
    expect([...written].every((n) => Buffer.byteLength(n) <= 255)).toBe(true);
    const longWritten = [...written].find((n) => n.startsWith('nnnn'))!;
    expect(await read(`Small/${longWritten}`)).toBe('long');
    expect(t.renamedCount).toBeGreaterThanOrEqual(3);
    // The walk's files that the crafted archive did not hold came file by file.
    expect(files.filter((p) => /f-\d{3}\.txt$/.test(p))).toHaveLength(FILES);
    expect(files.filter((p) => p.endsWith('.part') || p.endsWith('.part.json'))).toEqual([]);
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
