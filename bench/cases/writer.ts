/**
 * writer: 512 MiB through the part writer (main/localfs/file-writer.ts `writeItem`: part file,
 * group-commit batching, sidecar, xxh3 verification, placement) from an in-memory source, in the
 * bench process. Moved here from the unit suite (issue 20.8), which keeps a small correctness test:
 * a throughput figure belongs in the bench. Rows: throughput (reported) and RSS growth while
 * writing (peak RSS sampled every 10 ms − RSS before; target < 100 MB in every run).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createXXHash3 } from 'hash-wasm';
import { writeItem } from '../../main/localfs/file-writer';
import { inside } from '../../main/localfs/paths';
import type { DownloadItem } from '../../main/localfs/types';
import type { BenchCase } from '../lib/context';
import { removeTempDir, tempDir } from '../lib/resources';

const SIZE = 512 * 1024 * 1024;
const BLOCK = 64 * 1024;
const MB = 1_000_000;

/** 512 MiB made of 16 random 64 KiB blocks in turn (no 512 MiB buffer), and its xxh3. */
async function content(): Promise<{ block: (i: number) => Uint8Array; hash: string }> {
  const pool = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(BLOCK)));
  const block = (i: number) => pool[i % pool.length] as Uint8Array;
  const hasher = await createXXHash3();
  hasher.init();
  for (let i = 0; i < SIZE / BLOCK; i++) hasher.update(block(i));
  return { block, hash: `xxh3:${hasher.digest('hex')}` };
}

function item(block: (i: number) => Uint8Array, hash: string): DownloadItem {
  return {
    segments: ['big.bin'],
    size: SIZE,
    hash,
    fetch: async () => ({
      status: 200,
      totalSize: SIZE,
      offset: 0,
      etag: null,
      lastModified: null,
      contentType: 'application/octet-stream',
      body: (async function* () {
        for (let i = 0; i < SIZE / BLOCK; i++) yield block(i);
      })(),
      cancel: () => undefined,
    }),
  };
}

export const writerCase: BenchCase = {
  name: 'writer',
  title: '512 MiB through the part writer (hash verified): throughput and memory',
  async run(ctx) {
    const { block, hash } = await content();
    const throughput: number[] = [];
    const growth: number[] = [];
    for (let run = 0; run < ctx.runs(3); run++) {
      ctx.progress(`writer: run ${run + 1}`);
      const dir = tempDir('writer');
      try {
        const before = process.memoryUsage.rss();
        let peak = before;
        const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
        const started = performance.now();
        const result = await writeItem(item(block, hash), inside(dir, 'big.bin'));
        const seconds = (performance.now() - started) / 1000;
        clearInterval(probe);
        peak = Math.max(peak, process.memoryUsage.rss());
        if (result.bytes !== SIZE) throw new Error(`the writer wrote ${result.bytes} of ${SIZE} bytes`);
        throughput.push(SIZE / MB / seconds);
        growth.push((peak - before) / MB);
      } finally {
        removeTempDir(dir);
      }
    }
    return [
      {
        case: 'writer',
        metric: '512 MiB through the part writer',
        unit: 'MB/s',
        runs: throughput,
        note: 'in-memory source, xxh3 verified, into a temporary folder',
      },
      {
        case: 'writer',
        metric: 'RSS growth while writing 512 MiB',
        unit: 'MB',
        runs: growth,
        target: { subject: 'every', op: '<', threshold: 100, text: '< 100 MB in every run' },
        note: 'peak RSS sampled every 10 ms − RSS before (the bench process)',
      },
    ];
  },
};
