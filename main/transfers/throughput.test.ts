import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeSource, patternContent } from '../localfs/test-support';
import { writeItem } from '../localfs/file-writer';
import { inside } from '../localfs/paths';

/** Small: the 512 MiB throughput and memory figures are the bench's `writer` case (issue 20.8). */
const SIZE = 24 * 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'throughput-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('streams a file through the writer in many chunks, hash verified', async () => {
  const content = patternContent(SIZE);
  const hasher = await createXXHash3();
  hasher.init();
  for (let offset = 0; offset < SIZE; offset += 64 * 1024) hasher.update(content.read(offset, 64 * 1024));
  const hash = `xxh3:${hasher.digest('hex')}`;
  const source = new FakeSource(content);
  const result = await writeItem(source.item(['big.bin'], { hash }), inside(dir, 'big.bin'));
  expect(result.bytes).toBe(SIZE);
  expect((await stat(join(dir, 'big.bin'))).size).toBe(SIZE);
});
