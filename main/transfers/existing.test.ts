import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExistingQuestion } from '../../shared/model/existing';
import type { Transfer } from '../../shared/model/transfers';
import { createXXHash3 } from 'hash-wasm';
import { ExistingFiles, sameFile } from './existing';
import { TransferManager } from './manager';
import { FakeSource } from '../localfs/test-support';
import type { DownloadJob } from './types';
import type { DownloadItem } from '../localfs/types';

let base: string;
let target: string;
let trashDir: string;
const managers: TransferManager[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'existing-'));
  target = join(base, 'Downloads');
  trashDir = join(base, 'Trash');
  await mkdir(target);
  await mkdir(trashDir);
});

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.dispose();
  await rm(base, { recursive: true, force: true });
});

type Files = Record<string, FakeSource>;
/** A node: one file (`name`), or a folder of files. */
type Node = { file: string; source: FakeSource } | { folder: string; files: Files } | (() => DownloadJob);

function job(node: Node): DownloadJob {
  if (typeof node === 'function') return node();
  if ('file' in node) {
    return { name: node.file, kind: 'file', items: one(node.source.item([node.file])), filesTotal: 1 };
  }
  const { folder, files } = node;
  async function* items(): AsyncIterable<DownloadItem | { segments: string[] }> {
    yield { segments: [folder] };
    for (const [name, source] of Object.entries(files)) yield source.item([folder, name]);
  }
  return { name: folder, kind: 'folder', items: items() };
}

async function* one(item: DownloadItem): AsyncIterable<DownloadItem> {
  yield item;
}

interface Options {
  trash?: (path: string, root: string) => Promise<void>;
  concurrency?: number;
}

function setup(nodes: Record<string, Node>, options: Options = {}) {
  const asked: ExistingQuestion[][] = [];
  const trashed: Array<[string, string]> = [];
  const existing = new ExistingFiles({
    trash:
      options.trash ??
      (async (path, root) => {
        trashed.push([path, root]);
        await rename(path, join(trashDir, basename(path)));
      }),
    onChange: (questions) => asked.push(questions),
  });
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    resolve: async ({ id }) => job(nodes[id] as Node),
    onChange: () => undefined,
    writer: { retryDelayMs: () => 1 },
    existing,
    concurrency: options.concurrency ?? 3,
  });
  managers.push(manager);
  const get = (id: string | undefined): Transfer => {
    const found = manager.list().find((t) => t.id === id);
    if (!found) throw new Error('no transfer');
    return found;
  };
  /** Waits for the next open question (the first one shown). */
  const question = async (): Promise<ExistingQuestion> => {
    await until(() => existing.questions().length > 0);
    return existing.questions()[0] as ExistingQuestion;
  };
  const questionsAsked = (): string[] => [...new Set(asked.flat().map((q) => q.id))];
  return { manager, existing, get, question, questionsAsked, trashed };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const source = (text: string): FakeSource => new FakeSource(new TextEncoder().encode(text));

describe('downloading something that already exists (13.5)', () => {
  it('asks, and Skip leaves the existing file alone without fetching a byte', async () => {
    await writeFile(join(target, 'Willkommen.txt'), 'mine');
    const src = source('theirs');
    const h = setup({ w: { file: 'Willkommen.txt', source: src } });
    const [id] = await h.manager.start({ nodeIds: ['w'], folderMode: 'files', targetDir: target });
    const q = await h.question();
    expect(q).toMatchObject({ transferId: id, name: 'Willkommen.txt', folder: 'Downloads', more: 0 });
    // Both files, side by side: the one there (4 bytes, its time on disk) and the one to download.
    const there = await stat(join(target, 'Willkommen.txt'));
    expect(q.existing).toEqual({ size: 4, modifiedAt: there.mtimeMs });
    expect(q.incoming).toEqual({ size: 6, modifiedAt: null });
    await until(() => h.get(id).waitingForDecision);
    expect(h.get(id).state).toBe('queued');
    expect(h.existing.answer({ id: q.id, choice: 'skip', applyToAll: false })).toEqual({ answered: true });
    await h.manager.idle();
    // Nothing was downloaded: the transfer is `skipped`, not `done`.
    expect(h.get(id)).toMatchObject({ state: 'skipped', skipped: 1, replaced: 0, waitingForDecision: false });
    expect(h.get(id).renamed).toEqual([]);
    expect(await readdir(target)).toEqual(['Willkommen.txt']);
    expect(await readFile(join(target, 'Willkommen.txt'), 'utf8')).toBe('mine');
    expect(src.requests).toHaveLength(0);
    expect(h.existing.questions()).toEqual([]);
    // A question answered already is not answered twice.
    expect(h.existing.answer({ id: q.id, choice: 'replace', applyToAll: false })).toEqual({ answered: false });
  });

  it('Keep both writes "name (1).ext" and says the name was taken, not that it was unsafe', async () => {
    await writeFile(join(target, 'Willkommen.txt'), 'mine');
    const h = setup({ w: { file: 'Willkommen.txt', source: source('theirs') } });
    const [id] = await h.manager.start({ nodeIds: ['w'], folderMode: 'files', targetDir: target });
    h.existing.answer({ id: (await h.question()).id, choice: 'keep', applyToAll: false });
    await h.manager.idle();
    expect(h.get(id)).toMatchObject({ state: 'done', keptBoth: 1, renamedCount: 1, skipped: 0 });
    expect(h.get(id).renamed).toEqual([['Willkommen.txt', 'Willkommen (1).txt', 'exists']]);
    expect(h.get(id).targetPath).toBe(join(target, 'Willkommen (1).txt'));
    expect(await readFile(join(target, 'Willkommen.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(target, 'Willkommen (1).txt'), 'utf8')).toBe('theirs');
  });

  it('Replace moves the old file to the trash first, then places the new bytes under the name', async () => {
    await writeFile(join(target, 'Willkommen.txt'), 'mine');
    const h = setup({ w: { file: 'Willkommen.txt', source: source('theirs') } });
    const [id] = await h.manager.start({ nodeIds: ['w'], folderMode: 'files', targetDir: target });
    h.existing.answer({ id: (await h.question()).id, choice: 'replace', applyToAll: false });
    await h.manager.idle();
    expect(h.trashed).toEqual([[join(target, 'Willkommen.txt'), target]]);
    expect(h.get(id)).toMatchObject({ state: 'done', replaced: 1, renamedCount: 0 });
    expect(h.get(id).targetPath).toBe(join(target, 'Willkommen.txt'));
    expect(await readFile(join(target, 'Willkommen.txt'), 'utf8')).toBe('theirs');
    expect(await readFile(join(trashDir, 'Willkommen.txt'), 'utf8')).toBe('mine');
  });

  it('when the trash refuses, nothing is replaced, the reason is named, and the other files still come', async () => {
    await mkdir(join(target, 'Docs'));
    await writeFile(join(target, 'Docs', 'a.txt'), 'mine');
    const h = setup(
      { d: { folder: 'Docs', files: { 'a.txt': source('new a'), 'b.txt': source('new b') } } },
      {
        trash: async () => {
          throw new Error('the trash is not available on this drive');
        },
      },
    );
    const [id] = await h.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    h.existing.answer({ id: (await h.question()).id, choice: 'replace', applyToAll: false });
    await h.manager.idle();
    const t = h.get(id);
    expect(t.state).toBe('failed');
    expect(t.error).toMatchObject({ code: 'io', reason: 'trash_failed' });
    expect(t.error?.message).toContain('"a.txt" was not replaced');
    expect(t.error?.message).toContain('the trash is not available on this drive');
    expect(t.replaced).toBe(0);
    expect(await readFile(join(target, 'Docs', 'a.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(target, 'Docs', 'b.txt'), 'utf8')).toBe('new b');
  });

  it('a folder with several taken names asks once with "apply to all"; without it, each one asks again', async () => {
    const files = (): Files => ({ '1.txt': source('n1'), '2.txt': source('n2'), '3.txt': source('n3') });
    await mkdir(join(target, 'Docs'));
    for (const name of ['1.txt', '2.txt', '3.txt']) await writeFile(join(target, 'Docs', name), `old ${name}`);
    const h = setup({ d: { folder: 'Docs', files: files() }, e: { folder: 'Docs', files: files() } });

    const [id] = await h.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    // The walk goes on while the first question waits: the others queue behind it and are counted.
    await until(() => h.existing.questions()[0]?.more === 2 && !h.existing.questions()[0]?.open);
    h.existing.answer({ id: (await h.question()).id, choice: 'keep', applyToAll: true });
    await h.manager.idle();
    expect(h.questionsAsked()).toHaveLength(1);
    expect(h.get(id)).toMatchObject({ state: 'done', keptBoth: 3, filesDone: 3 });
    expect((await readdir(join(target, 'Docs'))).sort()).toEqual(
      ['1 (1).txt', '1.txt', '2 (1).txt', '2.txt', '3 (1).txt', '3.txt'].sort(),
    );

    // A new batch asks again (the answer held for its batch only); without "apply to all", every taken name asks.
    const [second] = await h.manager.start({ nodeIds: ['e'], folderMode: 'files', targetDir: target });
    for (let n = 0; n < 3; n += 1) {
      const q = await h.question();
      h.existing.answer({ id: q.id, choice: 'skip', applyToAll: false });
      await until(() => h.existing.questions()[0]?.id !== q.id);
    }
    await h.manager.idle();
    expect(h.questionsAsked()).toHaveLength(4);
    expect(h.get(second)).toMatchObject({ state: 'skipped', skipped: 3, filesDone: 3 });
  });

  it('a selection of several files is one batch: one answer for all of its transfers', async () => {
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(target, name), 'old');
    const h = setup({
      a: { file: 'a.txt', source: source('new') },
      b: { file: 'b.txt', source: source('new') },
      c: { file: 'c.txt', source: source('new') },
    });
    const ids = await h.manager.start({ nodeIds: ['a', 'b', 'c'], folderMode: 'files', targetDir: target });
    expect(ids).toHaveLength(3);
    h.existing.answer({ id: (await h.question()).id, choice: 'replace', applyToAll: true });
    await h.manager.idle();
    expect(h.questionsAsked()).toHaveLength(1);
    expect(h.trashed).toHaveLength(3);
    for (const name of ['a.txt', 'b.txt', 'c.txt']) expect(await readFile(join(target, name), 'utf8')).toBe('new');
  });

  it('waiting holds no slot of the file queue: other downloads go on meanwhile', async () => {
    await writeFile(join(target, 'taken.bin'), 'old');
    const waiting = new FakeSource(randomBytes(1000));
    const other = new FakeSource(randomBytes(1000));
    const h = setup(
      { w: { file: 'taken.bin', source: waiting }, o: { file: 'free.bin', source: other } },
      { concurrency: 1 },
    );
    const [w] = await h.manager.start({ nodeIds: ['w'], folderMode: 'files', targetDir: target });
    const q = await h.question();
    const [o] = await h.manager.start({ nodeIds: ['o'], folderMode: 'files', targetDir: target });
    await until(() => h.get(o).state === 'done');
    expect(waiting.requests).toHaveLength(0);
    expect(h.get(w).waitingForDecision).toBe(true);
    h.existing.answer({ id: q.id, choice: 'keep', applyToAll: false });
    await h.manager.idle();
    expect(h.get(w)).toMatchObject({ state: 'done', waitingForDecision: false });
  });

  it('cancel while waiting cancels; the question goes away', async () => {
    await writeFile(join(target, 'Willkommen.txt'), 'mine');
    const h = setup({ w: { file: 'Willkommen.txt', source: source('theirs') } });
    const [id] = await h.manager.start({ nodeIds: ['w'], folderMode: 'files', targetDir: target });
    const q = await h.question();
    await h.manager.cancel(id as string);
    expect(h.get(id)).toMatchObject({ state: 'cancelled', waitingForDecision: false });
    expect(h.existing.questions()).toEqual([]);
    expect(h.existing.answer({ id: q.id, choice: 'replace', applyToAll: false })).toEqual({ answered: false });
    expect(await readdir(target)).toEqual(['Willkommen.txt']);
  });

  it('after a restart, a transfer that was waiting asks again; a skipped file stays skipped', async () => {
    await mkdir(join(target, 'Docs'));
    await writeFile(join(target, 'Docs', 'a.txt'), 'old a');
    await writeFile(join(target, 'Docs', 'b.txt'), 'old b');
    const nodes = (): Record<string, Node> => ({
      d: { folder: 'Docs', files: { 'a.txt': source('new a'), 'b.txt': source('new b') } },
    });
    const first = setup(nodes());
    const [id] = await first.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    first.existing.answer({ id: (await first.question()).id, choice: 'skip', applyToAll: false });
    await until(() => first.existing.questions()[0]?.name === 'b.txt');
    await first.manager.dispose();

    const second = setup(nodes());
    await second.manager.restore();
    const again = await second.question();
    expect(again).toMatchObject({ transferId: id, name: 'b.txt', more: 0 });
    second.existing.answer({ id: again.id, choice: 'replace', applyToAll: false });
    await second.manager.idle();
    expect(second.get(id)).toMatchObject({ state: 'done', skipped: 1, replaced: 1, filesDone: 2 });
    expect(await readFile(join(target, 'Docs', 'a.txt'), 'utf8')).toBe('old a');
    expect(await readFile(join(target, 'Docs', 'b.txt'), 'utf8')).toBe('new b');
  });

  it('never asks about what the same transfer wrote: two items of one name are numbered; a hostile name says "unsafe"', async () => {
    await mkdir(join(target, 'Dup'));
    const twins = [source('one'), source('two')];
    const h = setup({
      d: () => ({
        name: 'Dup',
        kind: 'folder',
        items: (async function* () {
          yield { segments: ['Dup'] };
          for (const [i, src] of twins.entries()) yield src.item(['Dup', 'same.txt'], { key: `id-${i}` });
          yield source('hostile').item(['Dup', 'x:y.txt']);
        })(),
      }),
    });
    const [id] = await h.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    await h.manager.idle();
    expect(h.questionsAsked()).toEqual([]);
    expect(h.get(id).renamed).toEqual([
      ['Dup/same.txt', 'Dup/same (1).txt', 'exists'],
      ['Dup/x:y.txt', 'Dup/x_y.txt', 'unsafe'],
    ]);
    expect((await readdir(join(target, 'Dup'))).sort()).toEqual(['same (1).txt', 'same.txt', 'x_y.txt']);
  });

  it('the same file already there (same size and time) is not asked about: skipped and counted as already there', async () => {
    const when = Date.parse('2025-03-04T10:00:00Z');
    await mkdir(join(target, 'Docs'));
    await writeFile(join(target, 'Docs', 'same.txt'), 'same!');
    await utimes(join(target, 'Docs', 'same.txt'), new Date(when), new Date(when + 1500)); // within 2 s
    await writeFile(join(target, 'Docs', 'older.txt'), 'same!');
    await utimes(join(target, 'Docs', 'older.txt'), new Date(when), new Date(when - 60_000));
    const sameSrc = source('same!');
    const olderSrc = source('same!');
    const h = setup({
      d: () => ({
        name: 'Docs',
        kind: 'folder',
        items: (async function* () {
          yield { segments: ['Docs'] };
          yield sameSrc.item(['Docs', 'same.txt'], { modifiedAt: when });
          yield olderSrc.item(['Docs', 'older.txt'], { modifiedAt: when });
        })(),
      }),
    });
    const [id] = await h.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    // Same size, another time: that one is asked about, with both times.
    const q = await h.question();
    expect(q).toMatchObject({ name: 'older.txt', more: 0 });
    expect(q.existing).toEqual({ size: 5, modifiedAt: when - 60_000 });
    expect(q.incoming).toEqual({ size: 5, modifiedAt: when });
    h.existing.answer({ id: q.id, choice: 'skip', applyToAll: false });
    await h.manager.idle();
    expect(h.questionsAsked()).toEqual([q.id]);
    expect(h.get(id)).toMatchObject({ state: 'skipped', alreadyThere: 1, skipped: 1, filesDone: 2 });
    expect(sameSrc.requests).toHaveLength(0);
    expect(olderSrc.requests).toHaveLength(0);
  });

  it('the same content by a plain hash, whatever the time, is already there; another content of that size is asked about', async () => {
    const hasher = await createXXHash3();
    const hash = (text: string) => {
      hasher.init();
      hasher.update(text);
      return `xxh3:${hasher.digest('hex')}`;
    };
    await writeFile(join(target, 'a.txt'), 'hello');
    await writeFile(join(target, 'b.txt'), 'HELLO');
    const info = await stat(join(target, 'a.txt'));
    expect(await sameFile({ size: 5, hash: hash('hello'), modifiedAt: 0 }, join(target, 'a.txt'), info)).toBe(true);
    expect(await sameFile({ size: 5, hash: hash('hello') }, join(target, 'b.txt'), info)).toBe(false);
    expect(await sameFile({ size: 5 }, join(target, 'a.txt'), info)).toBe(false);
    expect(await sameFile({ size: null, modifiedAt: info.mtimeMs }, join(target, 'a.txt'), info)).toBe(false);
    expect(await sameFile({ size: 6, modifiedAt: info.mtimeMs }, join(target, 'a.txt'), info)).toBe(false);

    const a = source('hello');
    const b = source('hello');
    const h = setup({
      a: () => ({ name: 'a.txt', kind: 'file', items: one(a.item(['a.txt'], { hash: hash('hello') })) }),
      b: () => ({ name: 'b.txt', kind: 'file', items: one(b.item(['b.txt'], { hash: hash('hello') })) }),
    });
    const [first] = await h.manager.start({ nodeIds: ['a'], folderMode: 'files', targetDir: target });
    await h.manager.idle();
    expect(h.get(first)).toMatchObject({ state: 'skipped', alreadyThere: 1, skipped: 0 });
    expect(h.questionsAsked()).toEqual([]);
    expect(a.requests).toHaveLength(0);
    const [second] = await h.manager.start({ nodeIds: ['b'], folderMode: 'files', targetDir: target });
    h.existing.answer({ id: (await h.question()).id, choice: 'keep', applyToAll: false });
    await h.manager.idle();
    expect(h.get(second)).toMatchObject({ state: 'done', alreadyThere: 0, keptBoth: 1 });
  });

  it('after a restart, a file found to be already there is still counted as already there', async () => {
    const when = Date.parse('2025-03-04T10:00:00Z');
    await mkdir(join(target, 'Docs'));
    await writeFile(join(target, 'Docs', 'a.txt'), 'same');
    await utimes(join(target, 'Docs', 'a.txt'), new Date(when), new Date(when));
    await writeFile(join(target, 'Docs', 'b.txt'), 'old b');
    const nodes = (): Record<string, Node> => ({
      d: () => ({
        name: 'Docs',
        kind: 'folder',
        items: (async function* () {
          yield { segments: ['Docs'] };
          yield source('same').item(['Docs', 'a.txt'], { modifiedAt: when });
          yield source('new b').item(['Docs', 'b.txt']);
        })(),
      }),
    });
    const first = setup(nodes());
    const [id] = await first.manager.start({ nodeIds: ['d'], folderMode: 'files', targetDir: target });
    await first.question();
    await first.manager.dispose();
    const second = setup(nodes());
    await second.manager.restore();
    second.existing.answer({ id: (await second.question()).id, choice: 'replace', applyToAll: false });
    await second.manager.idle();
    expect(second.get(id)).toMatchObject({ state: 'done', alreadyThere: 1, skipped: 0, replaced: 1, filesDone: 2 });
  });
});
