/**
 * Issue 8.5: a 10,000-item selection (the contract's maximum). Measures what the user and the
 * bridge feel: how long `start` takes, the bytes of every `transfers:changed` batch (serialized as
 * the bridge serializes them, JSON), and main's heap while it runs; the figures are printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TransferChanges } from '../../shared/model/transfers';
import { FakeSource } from '../localfs/test-support';
import { TransferManager } from './manager';
import type { DownloadJob } from './types';

const COUNT = Number(process.env.SCALE_COUNT ?? 10_000);
const SIZE = 2048;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'transfers-scale-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

it('10,000 selected files: start < 1 s, < 5 MB over the bridge, heap < 300 MB, every file once', async () => {
  const target = join(base, 'Downloads');
  await mkdir(target);
  const content = new Uint8Array(randomBytes(SIZE));
  const source = new FakeSource(content);
  const nodeIds = Array.from({ length: COUNT }, (_, i) => `conn:c/kdrive/drive:1/f:${i + 100}`);
  let bridgeBytes = 0;
  let batches = 0;
  const manager = new TransferManager({
    dataDir: join(base, 'data'),
    concurrency: 8,
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: (id) => ({ kind: 'file', name: `photo ${id.slice(id.lastIndexOf(':') + 1)}.jpg` }),
    resolve: async (node): Promise<DownloadJob> => {
      const name = node.name ?? node.id;
      const item = source.item([name], { key: node.id });
      return {
        name,
        kind: 'file',
        items: (async function* () {
          yield item;
        })(),
        filesTotal: 1,
        bytesTotal: SIZE,
      };
    },
    onChange: (changes: TransferChanges) => {
      batches += 1;
      bridgeBytes += Buffer.byteLength(JSON.stringify(changes));
    },
  });

  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const began = performance.now();
  const ids = await manager.start({ nodeIds, folderMode: 'files', targetDir: target });
  const startMs = performance.now() - began;
  // The renderer asks for the whole list once (at start); that crosses the bridge too.
  bridgeBytes += Buffer.byteLength(JSON.stringify(manager.list()));
  await manager.idle();
  const totalMs = performance.now() - began;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  await manager.dispose();

  console.log(
    `8.5 figures: ${COUNT} files; start ${startMs.toFixed(0)} ms; whole run ${(totalMs / 1000).toFixed(1)} s; ` +
      `${batches} batches, ${(bridgeBytes / 1024).toFixed(0)} KiB over the bridge; heap peak ${(heapPeak / 2 ** 20).toFixed(0)} MiB`,
  );
  expect(ids).toHaveLength(1);
  const [t] = manager.list();
  expect(t).toMatchObject({
    kind: 'selection',
    items: COUNT,
    state: 'done',
    filesDone: COUNT,
    bytesDone: COUNT * SIZE,
  });
  expect((await readdir(target)).length).toBe(COUNT);
  expect(source.requests).toHaveLength(COUNT);
  expect(startMs).toBeLessThan(1000);
  expect(bridgeBytes).toBeLessThan(5 * 1024 * 1024);
  expect(heapPeak).toBeLessThan(300 * 1024 * 1024);
  // ≤ 10 batches a second (one transfer: ≤ 10 of its changes a second), plus the last one.
  expect(batches).toBeLessThanOrEqual(Math.ceil(totalMs / 100) + 1);
}, 180_000);
