/** Hashes of chunked uploads: over the chunk hashes, not the bytes; some written "N:xxh3:<hex>". */
import { createXXHash3, xxhash3 } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, bytesOf, listAll, open } from './test-support';
import type { Client } from './test-support';
import type { ScenarioInput } from '../index';

const DRIVE = 7001;
const MiB = 1024 * 1024;
let c: Client;

beforeAll(async () => {
  c = await open('edge', 'edge-full-token');
});
afterAll(() => c.close());

async function download(id: number): Promise<Buffer> {
  return bytesOf(await c.req('api', `/2/drive/${DRIVE}/files/${id}/download`));
}

/** xxh3 over the 8-byte xxh3 digests of each `chunk` slice (the simulator's reading of "over the chunk hashes"). */
async function overChunks(bytes: Buffer, chunk: number): Promise<string> {
  const outer = await createXXHash3();
  outer.init();
  for (let start = 0; start < bytes.length; start += chunk) {
    outer.update(Buffer.from(await xxhash3(bytes.subarray(start, start + chunk)), 'hex'));
  }
  return outer.digest('hex');
}

describe('chunked-upload hashes (edge: /Common documents/Chunked uploads)', () => {
  it('a chunk-uploaded file: "xxh3:<hex>" that is not the xxh3 of its bytes, in listings and /hash alike', async () => {
    const folder = await byPath(c, DRIVE, '/Common documents/Chunked uploads');
    const files = await listAll(c, DRIVE, folder.id, 'with=hash');
    const photo = files.find((f) => f.name === 'photo-chunked.jpg')!;
    const bytes = await download(photo.id);
    expect(bytes.length).toBe(2 * MiB);
    expect(photo.hash).toMatch(/^xxh3:[0-9a-f]{16}$/);
    expect(photo.hash).not.toBe(`xxh3:${await xxhash3(bytes)}`);
    expect(photo.hash).toBe(`xxh3:${await overChunks(bytes, MiB)}`);
    const route = await c.json<{ data: { hash: string } }>('api', `/2/drive/${DRIVE}/files/${photo.id}/hash`);
    expect(route.body.data.hash).toBe(photo.hash);
  });

  it('"N:xxh3:<hex>" with the number of chunks; a plain file keeps the plain hash', async () => {
    const folder = await byPath(c, DRIVE, '/Common documents/Chunked uploads');
    const files = await listAll(c, DRIVE, folder.id, 'with=hash');
    const video = files.find((f) => f.name === 'video-counted.mp4')!;
    const bytes = await download(video.id);
    expect(video.hash).toBe(`3:xxh3:${await overChunks(bytes, MiB)}`);
    const small = files.find((f) => f.name === 'small-plain.txt')!;
    expect(small.hash).toBe(`xxh3:${await xxhash3(await download(small.id))}`);
  });

  it('a drive rule: every file from a size on was chunk-uploaded (generated files too)', async () => {
    const scenario: ScenarioInput = {
      name: 'chunked',
      tokens: [{ value: 'chunk-token-123456', scopes: ['drive'] }],
      accounts: [{ id: 1, name: 'A', type: 'owner', legal_entity_type: 'company' }],
      drives: [
        {
          id: 5,
          name: 'D',
          account_id: 1,
          chunked_hash_from: '1 MiB',
          tree: {
            common: [
              { name: 'G', generate: { seed: 'g', files: 2, file_name: 'g-{i}.bin', size: '1536 KiB' } },
              { name: 'small.bin', size: 1000 },
            ],
          },
        },
      ],
    };
    const other = await open(scenario, 'chunk-token-123456');
    try {
      const common = await listAll(other, 5, 3, 'with=hash');
      const small = common.find((f) => f.name === 'small.bin')!;
      const smallBytes = await bytesOf(await other.req('api', `/2/drive/5/files/${small.id}/download`));
      expect(small.hash).toBe(`xxh3:${await xxhash3(smallBytes)}`);
      const g = await listAll(other, 5, common.find((f) => f.name === 'G')!.id, 'with=hash');
      const gBytes = await bytesOf(await other.req('api', `/2/drive/5/files/${g[0]!.id}/download`));
      expect(g[0]!.hash).toBe(`xxh3:${await overChunks(gBytes, MiB)}`);
    } finally {
      await other.close();
    }
  });
});
