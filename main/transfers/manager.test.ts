import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { mergeTransferChanges } from '../../shared/model/transfers';
import type { Transfer, TransferChanges } from '../../shared/model/transfers';
import { FakeSource } from '../localfs/test-support';
import type { OpenPart } from '../localfs/file-writer';
import { TransferManager } from './manager';
import type { TransferManagerDeps } from './manager';

interface TransfersFile {
  version: number;
  transfers: Array<Record<string, unknown> & { transfer: Transfer }>;
}
import { SpeedMeter, etaSeconds } from './speed';
import type { DownloadJob } from './types';
import type { DownloadFolder, DownloadItem } from '../localfs/types';

type Tree =
  | { file: string; source: FakeSource; hash?: string; key?: string; size?: number }
  | { file: string; content: string }
  | { folder: string; children: Tree[] };

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function xxh3(data: Uint8Array): Promise<string> {
  const hasher = await createXXHash3();
  hasher.init();
  hasher.update(data);
  return `xxh3:${hasher.digest('hex')}`;
}

/** Like the kDrive adapter: segments relative to the target folder, the job's folder first; every folder is yielded. */
function jobFor(node: Tree): DownloadJob {
  if ('folder' in node) {
    async function* walk(
      folder: Extract<Tree, { folder: string }>,
      prefix: string[],
    ): AsyncGenerator<DownloadItem | DownloadFolder> {
      const here = [...prefix, folder.folder];
      yield { segments: here };
      for (const child of folder.children) {
        if ('folder' in child) yield* walk(child, here);
        else yield itemFor(child, [...here, child.file]);
      }
    }
    return { name: node.folder, kind: 'folder', items: walk(node, []) };
  }
  const item = itemFor(node, [node.file]);
  return {
    name: node.file,
    kind: 'file',
    items: (async function* () {
      yield item;
    })(),
    filesTotal: 1,
    bytesTotal: item.size,
  };
}

function itemFor(node: Extract<Tree, { file: string }>, segments: string[]): DownloadItem {
  if ('content' in node) {
    return { segments, size: null, content: async () => new TextEncoder().encode(node.content) };
  }
  return node.source.item(segments, {
    ...(node.hash ? { hash: node.hash } : {}),
    ...(node.key ? { key: node.key } : {}),
    ...(node.size !== undefined ? { size: node.size } : {}),
  });
}

/** Lists files and folders below `root` as relative paths (folders end with /). */
async function tree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function visit(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        out.push(`${relative(root, full)}/`);
        await visit(full);
      } else {
        out.push(relative(root, full));
      }
    }
  }
  await visit(root);
  return out.sort();
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

let base: string;
let dataDir: string;
let target: string;
const managers: TransferManager[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'transfers-'));
  dataDir = join(base, 'data');
  target = join(base, 'Downloads');
  await mkdir(target);
});

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.dispose();
  await rm(base, { recursive: true, force: true });
});

function setup(nodes: Record<string, Tree>, extra: Partial<TransferManagerDeps> = {}) {
  /** Every batch of `transfers:changed` as it was sent. */
  const batches: TransferChanges[] = [];
  /** The list as the renderer would see it after each batch. */
  const changes: Transfer[][] = [];
  const times: number[] = [];
  const shell = { openPath: vi.fn(async () => undefined), showItemInFolder: vi.fn(async () => undefined) };
  const resolveCalls: Array<[string, string]> = [];
  const manager = new TransferManager({
    dataDir,
    shell,
    resolve: async ({ id: nodeId }, mode) => {
      resolveCalls.push([nodeId, mode]);
      const node = nodes[nodeId];
      if (!node) throw new AppFailure('not_found', 'That item no longer exists.');
      return jobFor(node);
    },
    onChange: (batch) => {
      batches.push(structuredClone(batch));
      times.push(Date.now());
      changes.push(mergeTransferChanges(changes.at(-1) ?? [], batch));
    },
    writer: { retryDelayMs: () => 1 },
    ...extra,
  });
  managers.push(manager);
  const get = (id: string): Transfer => {
    const found = manager.list().find((t) => t.id === id);
    if (!found) throw new Error('no transfer');
    return found;
  };
  return { manager, changes, batches, times, shell, get, resolveCalls };
}

describe('TransferManager', () => {
  it('downloads one file and reports progress, totals and the final state', async () => {
    const data = randomBytes(200_000);
    const { manager, changes, batches, get } = setup({ n1: { file: 'report.pdf', source: new FakeSource(data) } });
    const [id] = await manager.start({ nodeIds: ['n1'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const t = get(id as string);
    expect(t).toMatchObject({
      name: 'report.pdf',
      kind: 'file',
      state: 'done',
      bytesDone: 200_000,
      bytesTotal: 200_000,
      filesDone: 1,
      filesTotal: 1,
      targetPath: join(target, 'report.pdf'),
      renamed: [],
      resumes: 0,
    });
    expect(t.finishedAt).toBeGreaterThanOrEqual(t.createdAt);
    expect(sha256(await readFile(join(target, 'report.pdf')))).toBe(sha256(data));
    expect(changes[0]?.[0]?.state).toBe('queued');
    expect(changes.at(-1)?.[0]?.state).toBe('done');
    // Per-transfer batches: this transfer at most once in each, never the whole list again.
    expect(batches.every((b) => b.changed.length === 1 && b.removed.length === 0)).toBe(true);
  });

  it('never overwrites: an existing file gives "name (1).ext", also between simultaneous transfers', async () => {
    await writeFile(join(target, 'report.pdf'), 'mine');
    const a = randomBytes(1000);
    const b = randomBytes(1000);
    const { manager, get } = setup({
      a: { file: 'report.pdf', source: new FakeSource(a) },
      b: { file: 'report.pdf', source: new FakeSource(b) },
    });
    const [ia, ib] = await manager.start({ nodeIds: ['a', 'b'], folderMode: 'files', targetDir: target });
    await manager.idle();
    expect(await readFile(join(target, 'report.pdf'), 'utf8')).toBe('mine');
    // Which of the two simultaneous transfers gets (1) depends on timing; each gets its own name.
    const names = [get(ia as string), get(ib as string)].map((t) => t.renamed.map(([, to]) => to));
    expect(names.flat().sort()).toEqual(['report (1).pdf', 'report (2).pdf']);
    expect(names.every((n) => n.length === 1)).toBe(true);
    expect(sha256(await readFile(get(ia as string).targetPath as string))).toBe(sha256(a));
    expect(sha256(await readFile(get(ib as string).targetPath as string))).toBe(sha256(b));
  });

  it('keeps a folder structure, creates empty folders, renames hostile names and merges into a folder that was there (13.5)', async () => {
    await mkdir(join(target, 'Photos'));
    await writeFile(join(target, 'Photos', 'old.jpg'), 'old');
    const src = (): FakeSource => new FakeSource(randomBytes(5000));
    const nodes: Record<string, Tree> = {
      f: {
        folder: 'Photos',
        children: [
          { file: 'a.jpg', source: src() },
          {
            folder: '2024',
            children: [
              { file: 'CON.jpg', source: src() },
              { file: 'x:y?.txt', source: src() },
              { folder: 'empty', children: [] },
            ],
          },
          { folder: '..', children: [{ folder: '..', children: [{ file: 'escape.txt', source: src() }] }] },
          { file: 'Readme.md', source: src() },
          { file: 'README.md', source: src() },
          { file: 'notes.txt', content: 'hello' },
        ],
      },
    };
    const { manager, get } = setup(nodes);
    const [id] = await manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const t = get(id as string);
    expect(t.state).toBe('done');
    expect(t.kind).toBe('folder');
    // A real folder of that name is merged into (nothing in it is touched); a file there would be asked about.
    expect(t.targetPath).toBe(join(target, 'Photos'));
    expect(await tree(target)).toEqual([
      'Photos/',
      'Photos/2024/',
      'Photos/2024/_CON.jpg',
      'Photos/2024/empty/',
      'Photos/2024/x_y_.txt',
      'Photos/README (1).md',
      'Photos/Readme.md',
      'Photos/_/',
      'Photos/_/_/',
      'Photos/_/_/escape.txt',
      'Photos/a.jpg',
      'Photos/notes.txt',
      'Photos/old.jpg',
    ]);
    // Each change names its reason: unsafe on disk, or the name was taken (both kept).
    expect(t.renamed).toEqual([
      ['Photos/2024/CON.jpg', 'Photos/2024/_CON.jpg', 'unsafe'],
      ['Photos/2024/x:y?.txt', 'Photos/2024/x_y_.txt', 'unsafe'],
      ['Photos/..', 'Photos/_', 'unsafe'],
      ['Photos/../..', 'Photos/_/_', 'unsafe'],
      ['Photos/README.md', 'Photos/README (1).md', 'exists'],
    ]);
    expect(t).toMatchObject({ renamedCount: 5, keptBoth: 1, skipped: 0, replaced: 0 });
    expect(t).toMatchObject({ filesDone: 7, filesTotal: 7, bytesDone: 6 * 5000 + 5, bytesTotal: 6 * 5000 + 5 });
    expect(await readFile(join(target, 'Photos', 'notes.txt'), 'utf8')).toBe('hello');
    expect(await readFile(join(target, 'Photos', 'old.jpg'), 'utf8')).toBe('old');
    expect(existsSync(join(base, 'escape.txt'))).toBe(false);
  });

  it('never merges into a link to a folder: a symlink of that name is a name taken (both kept)', async () => {
    await mkdir(join(base, 'elsewhere'));
    await symlink(join(base, 'elsewhere'), join(target, 'Photos'));
    const { manager, get } = setup({ f: { folder: 'Photos', children: [{ file: 'a.jpg', content: 'new' }] } });
    const [id] = await manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await manager.idle();
    expect(get(id as string)).toMatchObject({ state: 'done', targetPath: join(target, 'Photos (1)') });
    expect(await readdir(join(base, 'elsewhere'))).toEqual([]);
    expect(await readFile(join(target, 'Photos (1)', 'a.jpg'), 'utf8')).toBe('new');
  });

  it('resumes a half-done folder after a restart: finished files are not fetched again, the part is continued', async () => {
    const small1 = new FakeSource(randomBytes(10_000));
    const small2 = new FakeSource(randomBytes(20_000));
    const bigData = randomBytes(1_000_000);
    const big = new FakeSource(bigData, { chunkSize: 20_000 });
    big.pauseAt = [600_000];
    const nodes: Record<string, Tree> = {
      f: {
        folder: 'Work',
        children: [
          { file: 'one.txt', source: small1 },
          { file: 'two.txt', source: small2 },
          { file: 'big.bin', source: big, hash: await xxh3(bigData) },
        ],
      },
    };
    const first = setup(nodes, { concurrency: 1 });
    const [id] = await first.manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => big.served >= 600_000 && big.active === 1);
    await first.manager.dispose();
    const saved = JSON.parse(await readFile(join(dataDir, 'transfers.json'), 'utf8')) as TransfersFile;
    expect(saved.transfers[0]?.transfer.state).toBe('queued');
    expect((await stat(join(target, 'Work', 'big.bin.part'))).size).toBe(600_000);

    const second = setup(nodes, { concurrency: 1 });
    await second.manager.restore();
    expect(second.get(id as string).state).toBe('queued');
    await second.manager.idle();
    const t = second.get(id as string);
    expect(t).toMatchObject({ state: 'done', filesDone: 3, bytesDone: 1_030_000 });
    expect(small1.served).toBe(10_000);
    expect(small2.served).toBe(20_000);
    expect(big.served).toBe(1_000_000);
    expect(big.requests.at(-1)).toEqual({ start: 600_000, ifRange: '"v1"', status: 206 });
    expect(sha256(await readFile(join(target, 'Work', 'big.bin')))).toBe(sha256(bigData));
    expect(await tree(target)).toEqual(['Work/', 'Work/big.bin', 'Work/one.txt', 'Work/two.txt']);
    expect(existsSync(join(dataDir, 'transfers', `${id}.jsonl`))).toBe(false);
  });

  it('two items of the same name in one folder are two files (own slots), also after a restart', async () => {
    const data = [randomBytes(300_000), randomBytes(200_000), randomBytes(100_000)];
    const sources = data.map((d) => new FakeSource(d, { chunkSize: 10_000 }));
    (sources[0] as FakeSource).pauseAt = [150_000];
    const nodes: Record<string, Tree> = {
      f: {
        folder: 'Dup',
        children: sources.map((source, i) => ({ file: 'same.txt', source, key: `id-${i}` })),
      },
    };
    const first = setup(nodes, { concurrency: 3 });
    const [id] = await first.manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => (sources[0] as FakeSource).served >= 150_000 && (sources[2] as FakeSource).active === 0);
    await first.manager.dispose();
    (sources[0] as FakeSource).release();

    const second = setup(nodes, { concurrency: 3 });
    await second.manager.restore();
    await second.manager.idle();
    expect(second.get(id as string)).toMatchObject({ state: 'done', filesDone: 3 });
    expect(await tree(target)).toEqual(['Dup/', 'Dup/same (1).txt', 'Dup/same (2).txt', 'Dup/same.txt']);
    const contents = await Promise.all(
      ['same.txt', 'same (1).txt', 'same (2).txt'].map(async (n) => sha256(await readFile(join(target, 'Dup', n)))),
    );
    expect(contents.sort()).toEqual(data.map(sha256).sort());
    // The names were allocated once: the restart did not fetch finished files again.
    expect((sources[1] as FakeSource).served).toBe(200_000);
    expect((sources[2] as FakeSource).served).toBe(100_000);
  });

  it('a file placed just before a kill (not yet journaled as done) is adopted after a restart, not fetched again as a (1) twin (8.7)', async () => {
    const small = randomBytes(30_000);
    const done = new FakeSource(small, { chunkSize: 10_000 });
    const big = new FakeSource(randomBytes(400_000), { chunkSize: 10_000 });
    big.pauseAt = [100_000];
    const nodes: Record<string, Tree> = {
      f: {
        folder: 'Box',
        children: [
          { file: 'a.bin', source: done },
          { file: 'b.bin', source: big },
        ],
      },
    };
    const first = setup(nodes);
    const [id] = await first.manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => existsSync(join(target, 'Box', 'a.bin')) && big.served >= 100_000);
    await first.manager.dispose();
    big.release();
    // The kill landed after a.bin was placed but before its "done" line reached the journal.
    const journalFile = join(dataDir, 'transfers', `${id as string}.jsonl`);
    const lines = (await readFile(journalFile, 'utf8')).split('\n');
    const kept = lines.filter((line) => !(line.includes('"t":"done"') && line.includes('a.bin')));
    expect(kept.length).toBe(lines.length - 1);
    await writeFile(journalFile, kept.join('\n'));
    const servedBefore = done.served;

    const second = setup(nodes);
    await second.manager.restore();
    await second.manager.idle();
    expect(second.get(id as string)).toMatchObject({ state: 'done', filesDone: 2 });
    expect(await tree(join(target, 'Box'))).toEqual(['a.bin', 'b.bin']);
    expect(sha256(await readFile(join(target, 'Box', 'a.bin')))).toBe(sha256(small));
    expect(done.served).toBe(servedBefore);
  });

  it('a journaled folder swapped for a link between runs is not followed (8.9)', async () => {
    const outside = join(base, 'outside');
    await mkdir(outside);
    const big = new FakeSource(randomBytes(400_000), { chunkSize: 10_000 });
    big.pauseAt = [100_000];
    const nodes: Record<string, Tree> = {
      f: { folder: 'Box', children: [{ folder: 'Inner', children: [{ file: 'big.bin', source: big }] }] },
    };
    const first = setup(nodes);
    const [id] = await first.manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => big.served >= 100_000);
    await first.manager.dispose();
    big.release();
    // Between runs, someone replaces the journaled folder with a link to a folder outside.
    await rm(join(target, 'Box', 'Inner'), { recursive: true });
    const { symlink } = await import('node:fs/promises');
    await symlink(outside, join(target, 'Box', 'Inner'));

    const second = setup(nodes);
    await second.manager.restore();
    await second.manager.idle();
    expect(second.get(id as string)).toMatchObject({ state: 'failed', error: { code: 'io' } });
    expect(await readdir(outside)).toEqual([]);
  });

  it('a folder swapped for a link to a copy of it while downloading: nothing placed or removed through it (21.1)', async () => {
    const outside = join(base, 'outside');
    const big = new FakeSource(randomBytes(400_000), { chunkSize: 10_000 });
    big.pauseAt = [100_000];
    const nodes: Record<string, Tree> = {
      f: { folder: 'Box', children: [{ folder: 'Inner', children: [{ file: 'big.bin', source: big }] }] },
    };
    const { manager, get } = setup(nodes);
    const [id] = await manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => big.served >= 100_000);
    // The user moves the folder to another disk (with the part in it) and links it back.
    const { cp, symlink } = await import('node:fs/promises');
    await cp(join(target, 'Box', 'Inner'), outside, { recursive: true });
    await rm(join(target, 'Box', 'Inner'), { recursive: true });
    await symlink(outside, join(target, 'Box', 'Inner'));
    const before = await tree(outside);
    big.release();
    await manager.idle();
    expect(get(id as string)).toMatchObject({ state: 'failed', error: { code: 'unsafe_path' } });
    expect(await tree(outside)).toEqual(before);
  });

  it("says when a file waits for the token's request budget, and for how long (9.8)", async () => {
    const data = randomBytes(5000);
    const source = new FakeSource(data);
    let go: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const paced: Tree = { file: 'w.bin', source };
    const { manager, get } = setup({ n: paced });
    const original = source.fetch;
    source.fetch = async (request) => {
      request.onWait?.(12_000);
      await gate;
      request.onWait?.(0);
      return original(request);
    };
    const before = Date.now();
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await until(() => get(id as string).waitingUntil !== null);
    const until12 = get(id as string).waitingUntil as number;
    expect(until12).toBeGreaterThanOrEqual(before + 12_000);
    expect(until12).toBeLessThan(Date.now() + 12_500);
    go();
    await manager.idle();
    expect(get(id as string)).toMatchObject({ state: 'done', waitingUntil: null, verified: 'size' });
  });

  it('keeps saying a folder waits for the budget while one of its files still waits, when another file finishes', async () => {
    const waiting = new FakeSource(randomBytes(3000));
    const quick = new FakeSource(randomBytes(2000));
    let go: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const original = waiting.fetch;
    waiting.fetch = async (request) => {
      request.onWait?.(12_000);
      await gate;
      request.onWait?.(0);
      return original(request);
    };
    const { manager, get } = setup({
      f: {
        folder: 'Both',
        children: [
          { file: 'slow.bin', source: waiting },
          { file: 'quick.bin', source: quick },
        ],
      },
    });
    const [id] = await manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await until(() => get(id as string).filesDone === 1);
    // quick.bin is in place; slow.bin still waits for the budget: the folder still says so.
    expect(get(id as string).waitingUntil).not.toBeNull();
    go();
    await manager.idle();
    expect(get(id as string)).toMatchObject({ state: 'done', filesDone: 2, waitingUntil: null });
  });

  it('resumes dropped connections automatically and counts them', async () => {
    const data = randomBytes(500_000);
    const source = new FakeSource(data);
    source.dropAt = [100_000, 300_000];
    const { manager, get } = setup({ n: { file: 'd.bin', source } });
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await manager.idle();
    expect(get(id as string)).toMatchObject({ state: 'done', resumes: 2, bytesDone: 500_000 });
    expect(source.served).toBe(500_000);
  });

  it('cancel stops the transfer and removes its part; retry starts it again', async () => {
    const data = randomBytes(300_000);
    const source = new FakeSource(data);
    source.pauseAt = [100_000];
    const { manager, get } = setup({ n: { file: 'c.bin', source } });
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await until(() => source.served >= 100_000);
    await manager.cancel(id as string);
    expect(get(id as string).state).toBe('cancelled');
    expect(await readdir(target)).toEqual([]);
    expect(source.active).toBe(0);

    await manager.retry(id as string);
    await manager.idle();
    expect(get(id as string).state).toBe('done');
    expect(source.requests.at(-1)).toEqual({ status: 200 });
    expect(sha256(await readFile(join(target, 'c.bin')))).toBe(sha256(data));
  });

  it('a full disk fails with disk_full, keeps the part, and retry resumes from it', async () => {
    let full = true;
    const openPart: OpenPart = async (path, flags) => {
      const handle = await open(path, flags);
      let written = 0;
      return {
        writev: async (buffers, position) => {
          const size = buffers.reduce((n, b) => n + b.byteLength, 0);
          if (full && written + size > 1024 * 1024) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
          written += size;
          return handle.writev(buffers, position);
        },
        truncate: (length) => handle.truncate(length),
        close: () => handle.close(),
      };
    };
    const data = randomBytes(3 * 1024 * 1024);
    const source = new FakeSource(data);
    const { manager, get } = setup({ n: { file: 'big.iso', source } }, { writer: { openPart } });
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const failed = get(id as string);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('disk_full');
    // Everything written before the disk filled is kept (how much depends on how writes were grouped).
    const kept = (await stat(join(target, 'big.iso.part'))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1024 * 1024);

    full = false;
    await manager.retry(id as string);
    await manager.idle();
    expect(get(id as string).state).toBe('done');
    expect(get(id as string).error).toBeUndefined();
    expect(source.requests.at(-1)).toMatchObject({ start: kept, status: 206 });
    expect(sha256(await readFile(join(target, 'big.iso')))).toBe(sha256(data));
  });

  it('integrity failures leave no file; other files of the folder still complete', async () => {
    const good = new FakeSource(randomBytes(1000));
    // The listing says 900 bytes, the server sends 1000: a size that does not match.
    const { manager, get } = setup({
      f: {
        folder: 'F',
        children: [
          { file: 'bad1.bin', source: new FakeSource(randomBytes(1000)), size: 900 },
          { file: 'good.bin', source: good },
          { file: 'bad2.bin', source: new FakeSource(randomBytes(1000)), size: 900 },
        ],
      },
    });
    const [id] = await manager.start({ nodeIds: ['f'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const t = get(id as string);
    expect(t.state).toBe('failed');
    expect(t.error?.code).toBe('integrity');
    expect(t.error?.message).toMatch(/^2 files failed/);
    expect(await tree(target)).toEqual(['F/', 'F/good.bin']);
  });

  it('limits simultaneous downloads across transfers and follows a new limit at once', async () => {
    const sources = Array.from({ length: 6 }, () => {
      const s = new FakeSource(randomBytes(10_000));
      s.pauseAt = [1000];
      return s;
    });
    const nodes = Object.fromEntries(sources.map((s, i) => [`n${i}`, { file: `f${i}.bin`, source: s } as Tree]));
    const { manager, get } = setup(nodes, { concurrency: 2 });
    const active = (): number => sources.reduce((n, s) => n + s.active, 0);
    let peak = 0;
    const probe = setInterval(() => (peak = Math.max(peak, active())), 1);
    const ids = await manager.start({ nodeIds: Object.keys(nodes), folderMode: 'files', targetDir: target });
    await until(() => active() === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(active()).toBe(2);
    expect(ids.filter((id) => get(id).state === 'running')).toHaveLength(2);

    manager.setConcurrency(4);
    expect(manager.concurrency).toBe(4);
    await until(() => active() === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(active()).toBe(4);
    for (const s of sources) {
      s.pauseAt = [];
      s.release();
    }
    await until(() => ids.every((id) => get(id).state === 'done'));
    clearInterval(probe);
    expect(peak).toBe(4);
    expect(Math.max(...sources.map((s) => s.maxActive))).toBe(1);
  });

  it('computes speed and ETA while running, and throttles notifications', async () => {
    const source = new FakeSource(randomBytes(640_000), { chunkSize: 8_000 });
    source.chunkDelayMs = 8;
    const { manager, changes, times, get } = setup({ n: { file: 's.bin', source } }, { tickMs: 50 });
    const started = Date.now();
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const elapsed = Date.now() - started;
    expect(get(id as string).state).toBe('done');
    const running = changes.map((list) => list[0]).filter((t) => t?.state === 'running' && t.speed > 0);
    expect(running.length).toBeGreaterThan(0);
    const sample = running.at(-1) as Transfer;
    expect(sample.etaSeconds).not.toBeNull();
    expect(sample.speed).toBeGreaterThan(10_000);
    expect(sample.speed).toBeLessThan(100_000_000);
    // 80 chunks, ~15 ticks and 3 state changes, but at most one batch per 100 ms (≤ 10 a second).
    expect(changes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    expect(changes.length).toBeGreaterThanOrEqual(3);
  });

  it('persists transfers.json and starts fresh (keeping the file aside) when it is corrupt', async () => {
    const { manager } = setup({ n: { file: 'p.txt', content: 'x' } });
    const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
    await manager.idle();
    const saved = JSON.parse(await readFile(join(dataDir, 'transfers.json'), 'utf8')) as TransfersFile;
    expect(saved).toMatchObject({
      version: 2,
      transfers: [
        {
          nodes: [{ id: 'n', kind: null, name: null }],
          folderMode: 'files',
          targetDir: target,
          transfer: { id, state: 'done' },
        },
      ],
    });
    await manager.dispose();

    const reloaded = setup({});
    await reloaded.manager.restore();
    expect(reloaded.manager.list().map((t) => [t.id, t.state])).toEqual([[id, 'done']]);
    await reloaded.manager.dispose();

    await writeFile(join(dataDir, 'transfers.json'), '{"version":1,"transfers":[{"oops"');
    const lines: string[] = [];
    const broken = setup({}, { log: (line) => lines.push(line) });
    await broken.manager.restore();
    expect(broken.manager.list()).toEqual([]);
    expect((await readdir(dataDir)).some((n) => n.startsWith('transfers.corrupt-'))).toBe(true);
    expect(lines.join('\n')).toMatch(/moved aside/);
  });

  it('skips a corrupt record of transfers.json with a notice and keeps the others (also version-1 records)', async () => {
    const good = (id: string, extra: Record<string, unknown>) => ({
      transfer: {
        id,
        name: 'a.txt',
        kind: 'file',
        state: 'done',
        bytesDone: 1,
        bytesTotal: 1,
        filesDone: 1,
        filesTotal: 1,
        speed: 0,
        etaSeconds: null,
        targetPath: join(target, 'a.txt'),
        renamed: [],
        resumes: 0,
        createdAt: 1,
      },
      folderMode: 'files',
      targetDir: target,
      ...extra,
    });
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      join(dataDir, 'transfers.json'),
      JSON.stringify({
        version: 1,
        transfers: [
          good('old', { nodeId: 'n1' }),
          { transfer: { id: 'bad', state: 'exploded' }, nodeId: 'n2' },
          good('new', { nodes: [{ id: 'n3', kind: 'file', name: 'a.txt' }] }),
          'not even an object',
        ],
      }),
    );
    const notices: Array<{ code: string; message: string }> = [];
    const { manager } = setup({}, { onNotice: (n) => notices.push(n) });
    await manager.restore();
    expect(manager.list().map((t) => [t.id, t.state, t.renamedCount])).toEqual([
      ['old', 'done', 0],
      ['new', 'done', 0],
    ]);
    expect(notices).toEqual([
      expect.objectContaining({ code: 'transfers_record_skipped', message: expect.stringMatching(/^2 /) }),
    ]);
  });

  it('opens and reveals results through the shell, and clears finished transfers', async () => {
    const { manager, shell, get } = setup({
      ok: { file: 'o.txt', content: 'o' },
      bad: { file: 'b.bin', source: new FakeSource(randomBytes(10)), size: 5 },
    });
    const [ok, bad] = await manager.start({ nodeIds: ['ok', 'bad'], folderMode: 'files', targetDir: target });
    await manager.idle();
    await manager.open(ok as string);
    await manager.reveal(ok as string);
    expect(shell.openPath).toHaveBeenCalledWith(join(target, 'o.txt'));
    expect(shell.showItemInFolder).toHaveBeenCalledWith(join(target, 'o.txt'));
    expect(manager.completedFilesFor(['ok', 'bad', 'ok', 'unknown'])).toEqual([join(target, 'o.txt')]);
    expect(get(bad as string).state).toBe('failed');
    await expect(manager.open(bad as string)).rejects.toMatchObject({ code: 'not_found' });
    await expect(manager.cancel('nope')).rejects.toMatchObject({ code: 'not_found' });
    await manager.clearFinished();
    expect(manager.list()).toEqual([]);
  });

  it('rejects a relative target folder and turns resolver errors into failed transfers', async () => {
    const { manager, get, resolveCalls } = setup({});
    await expect(manager.start({ nodeIds: ['x'], folderMode: 'zip', targetDir: 'relative/dir' })).rejects.toMatchObject(
      { code: 'validation' },
    );
    const [id] = await manager.start({ nodeIds: ['missing'], folderMode: 'zip', targetDir: target });
    await manager.idle();
    expect(resolveCalls).toEqual([['missing', 'zip']]);
    expect(get(id as string)).toMatchObject({ state: 'failed', error: { code: 'not_found' } });
  });
});

describe('SpeedMeter', () => {
  it('smooths the rate over time and gives an ETA', () => {
    const meter = new SpeedMeter(1000);
    expect(meter.sample(0)).toBe(0);
    meter.add(1000);
    expect(meter.sample(1000)).toBe(1000);
    meter.add(3000);
    const next = meter.sample(2000);
    expect(next).toBeGreaterThan(1000);
    expect(next).toBeLessThan(3000);
    expect(next).toBeCloseTo(1000 + (1 - Math.exp(-1)) * 2000, 6);
    expect(meter.sample(12_000)).toBeLessThan(1);
    expect(etaSeconds(500, 1500, 100)).toBe(10);
    expect(etaSeconds(500, null, 100)).toBeNull();
    expect(etaSeconds(500, 1500, 0)).toBeNull();
  });
});
