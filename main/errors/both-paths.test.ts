/**
 * Where transfers and sync used to disagree, one rule now (errors/classify.ts), checked on both
 * paths with the same failing file among others: a folder download (TransferManager) and a sync
 * run (runPair). A failure that reaches the job stops both (the files after it are not fetched);
 * one of the item only fails that file, and the others arrive.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppFailure } from '../../shared/model/errors';
import type { Transfer } from '../../shared/model/transfers';
import { InfomaniakError } from '../infomaniak/errors';
import type { DownloadFolder, DownloadItem } from '../localfs/types';
import { runPair } from '../sync/engine';
import { foldFor } from '../sync/names';
import type { RemoteEntry } from '../sync/types';
import { TransferManager } from '../transfers/manager';

const T = 1_700_000_000_000;
const FILES = ['a.txt', 'b.txt', 'c.txt', 'd.txt'];
/** The second file fails; with one download at a time, the last file shows whether the job went on. */
const FAILING = 'b.txt';

const cases: Array<{ name: string; error: () => unknown; reach: 'item' | 'job'; code: string }> = [
  {
    name: 'a drive in maintenance',
    error: () =>
      new InfomaniakError({ kind: 'http', status: 503, apiCode: 'drive_is_in_maintenance_error', message: 'x' }),
    reach: 'job',
    code: 'maintenance',
  },
  { name: 'a bug (internal)', error: () => new TypeError('x is not a function'), reach: 'job', code: 'internal' },
  {
    name: 'an unsafe redirect',
    error: () => new InfomaniakError({ kind: 'redirect', message: 'x', description: 'to http' }),
    reach: 'job',
    code: 'unsafe_redirect',
  },
  {
    name: 'EACCES from a rename (io)',
    error: () => Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES', syscall: 'rename' }),
    reach: 'item',
    code: 'io',
  },
  {
    name: 'a 500 (not retried, one file)',
    error: () => new InfomaniakError({ kind: 'http', status: 500, message: 'x' }),
    reach: 'item',
    code: 'api_error',
  },
];

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'both-paths-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Bytes of a file, or the case's error for the failing one; `asked` lists every file asked for. */
function content(name: string, error: () => unknown, asked: string[]): () => Promise<Uint8Array> {
  return async () => {
    asked.push(name);
    if (name === FAILING) throw error();
    return new TextEncoder().encode(`content of ${name}`);
  };
}

async function transfer(error: () => unknown): Promise<{ transfer: Transfer; asked: string[]; files: string[] }> {
  const asked: string[] = [];
  const target = join(base, 'Downloads');
  await mkdir(target);
  async function* items(): AsyncGenerator<DownloadItem | DownloadFolder> {
    yield { segments: ['Folder'] };
    for (const name of FILES) yield { segments: ['Folder', name], size: null, content: content(name, error, asked) };
  }
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: vi.fn(), showItemInFolder: vi.fn() },
    resolve: async () => ({ name: 'Folder', kind: 'folder', items: items() }),
    onChange: () => undefined,
    concurrency: 1,
    writer: { retryDelayMs: () => 1 },
  });
  const [id] = await manager.start({ nodeIds: ['n'], folderMode: 'files', targetDir: target });
  await manager.idle();
  const result = manager.list().find((t) => t.id === id)!;
  await manager.dispose();
  const files = await readdir(join(target, 'Folder')).catch(() => []);
  return { transfer: result, asked, files: files.sort() };
}

async function sync(error: () => unknown) {
  const asked: string[] = [];
  const root = join(base, 'pair');
  await mkdir(root);
  const entries = new Map<string, RemoteEntry>(
    FILES.map((name) => [name, { id: name, parent: null, name, type: 'file', size: 0, mtime: T }]),
  );
  const run = runPair({
    root,
    stateDir: join(base, 'state'),
    source: {
      list: async () => new Map(entries),
      itemFor: (e) => ({ segments: [e.name], size: null, content: content(e.name, error, asked) }),
    },
    fold: foldFor('linux'),
    ignoreLocalDeletes: false,
    trash: async () => undefined,
    concurrency: 1,
    signal: new AbortController().signal,
    now: () => T,
  });
  const outcome = await run.then(
    (value) => ({ ok: true as const, value }),
    (reason: unknown) => ({ ok: false as const, reason }),
  );
  return { outcome, asked, files: (await readdir(root)).sort() };
}

describe.each(cases)('$name', ({ error, reach, code }) => {
  it(`a transfer: ${reach === 'job' ? 'stops' : 'fails that file, the others arrive'}`, async () => {
    const { transfer: t, asked, files } = await transfer(error);
    expect(t.state).toBe('failed');
    expect(t.error?.code).toBe(code);
    if (reach === 'job') {
      // The queue may have started the next file before the stop reached it: never the one after.
      expect(asked.slice(0, 2)).toEqual(['a.txt', 'b.txt']);
      expect(asked).not.toContain('d.txt');
      expect(files).not.toContain('d.txt');
    } else {
      expect(asked).toEqual(FILES);
      expect(files).toEqual(['a.txt', 'c.txt', 'd.txt']);
    }
  });

  it(`a sync run: ${reach === 'job' ? 'stops' : 'counts one failed file, the others arrive'}`, async () => {
    const { outcome, asked, files } = await sync(error);
    if (reach === 'job') {
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? null : (outcome.reason as AppFailure).code).toBe(code);
      expect(asked).toEqual(['a.txt', 'b.txt']);
      expect(files).toEqual(['a.txt']);
    } else {
      expect(outcome.ok).toBe(true);
      const result = outcome.ok ? outcome.value : null;
      expect(result?.counts.failed).toBe(1);
      expect(result?.errors.map((e) => e.code)).toEqual([code]);
      expect(asked).toEqual(FILES);
      expect(files).toEqual(['a.txt', 'c.txt', 'd.txt']);
    }
  });
});
