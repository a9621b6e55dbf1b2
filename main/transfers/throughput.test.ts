import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeSource, patternContent } from '../localfs/test-support';
import { writeItem } from '../localfs/file-writer';
import { inside } from '../localfs/paths';

const SIZE = 512 * 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'throughput-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('streams 512 MiB through the writer (hash verified) with bounded memory', async () => {
  const content = patternContent(SIZE);
  const hasher = await createXXHash3();
  hasher.init();
  for (let offset = 0; offset < SIZE; offset += 64 * 1024) hasher.update(content.read(offset, 64 * 1024));
  const hash = `xxh3:${hasher.digest('hex')}`;
  const source = new FakeSource(content);

  const before = process.memoryUsage().rss;
  let peak = before;
  const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const result = await writeItem(source.item(['big.bin'], { hash }), inside(dir, 'big.bin'));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(probe);
  peak = Math.max(peak, process.memoryUsage().rss);

  const growthMb = (peak - before) / 1e6;
  const mbPerSecond = SIZE / 1e6 / seconds;
  console.log(
    `[throughput] 512 MiB in ${seconds.toFixed(2)} s = ${mbPerSecond.toFixed(0)} MB/s; RSS growth ${growthMb.toFixed(1)} MB`,
  );
  expect(result.bytes).toBe(SIZE);
  expect((await stat(join(dir, 'big.bin'))).size).toBe(SIZE);
  expect(growthMb).toBeLessThan(100);
}, 60_000);
