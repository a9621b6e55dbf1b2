/**
 * A transfer as a job of the last-resort policy (issue 25.1, run-fault.ts), with a mocked process:
 * an error nothing caught in one transfer's file fails that transfer, even when the shared file
 * queue started that file from another transfer's work, and the queue goes on.
 */
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { installLastResort } from '../last-resort';
import type { FaultProcess } from '../last-resort';
import { TransferManager } from './manager';
import type { DownloadJob } from './types';

let base: string;
let uninstall = () => {};
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'run-fault-'));
  await mkdir(join(base, 'Downloads'));
});
afterEach(async () => {
  uninstall();
  await rm(base, { recursive: true, force: true });
});

/** A one-file job whose bytes come from `content` (called inside the file's queue task). */
function fileJob(name: string, content: () => Promise<Uint8Array>): DownloadJob {
  return {
    name,
    kind: 'file',
    filesTotal: 1,
    items: (async function* () {
      yield { segments: [name], size: null, content };
    })(),
  };
}

it("an uncaught error in one transfer's file fails that transfer, not the one before it in the shared queue", async () => {
  const proc = new EventEmitter();
  const lines: string[] = [];
  uninstall = installLastResort(proc as unknown as FaultProcess, { log: (line) => lines.push(line) });
  let aStarted = () => {};
  const aRunning = new Promise<void>((resolve) => (aStarted = resolve));
  let releaseA = () => {};
  const gateA = new Promise<void>((resolve) => (releaseA = resolve));
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    concurrency: 1, // B's file waits behind A's: p-queue starts it from A's work
    onChange: () => {},
    resolve: async ({ id }) =>
      id === 'a'
        ? fileJob('a.txt', async () => {
            aStarted();
            await gateA;
            return new TextEncoder().encode('A');
          })
        : fileJob('b.txt', () => {
            // What yauzl did: a callback throws (Node hands it to the policy in this context) and the read never ends.
            setImmediate(() =>
              proc.emit('uncaughtException', new TypeError("Cannot read properties of null (reading 'fd')")),
            );
            return new Promise<Uint8Array>(() => {});
          }),
  });
  const [a] = await manager.start({ nodeIds: ['a'], folderMode: 'files', targetDir: join(base, 'Downloads') });
  await aRunning;
  const [b] = await manager.start({ nodeIds: ['b'], folderMode: 'files', targetDir: join(base, 'Downloads') });
  releaseA();
  await manager.idle();

  const byId = (id: string | undefined) => manager.list().find((t) => t.id === id);
  expect(byId(a)).toMatchObject({ state: 'done' });
  expect(byId(b)).toMatchObject({ state: 'failed', error: { code: 'internal' } });
  expect(await readFile(join(base, 'Downloads', 'a.txt'), 'utf8')).toBe('A');
  expect(lines).toEqual([
    expect.stringMatching(new RegExp(`^last resort: uncaught exception in transfer ${b}, which was failed; `)),
  ]);

  // The hung file gave its place in the (one-place) queue back: the next download goes through.
  const [again] = await manager.start({ nodeIds: ['a'], folderMode: 'files', targetDir: join(base, 'Downloads') });
  await manager.idle();
  expect(byId(again)).toMatchObject({ state: 'done' });
  await manager.dispose();
}, 15_000);
