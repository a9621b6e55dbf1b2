/** v3 cursor pagination, v2 page pagination, and listings that never materialise the drive. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, open } from './test-support';
import type { ApiFile, Client, CursorPage } from './test-support';

const DRIVE = 9001;
let c: Client;
let big: ApiFile;

beforeAll(async () => {
  c = await open('scale', 'scale-token');
  big = await byPath(c, DRIVE, '/Common documents/Big folder');
});
afterAll(() => c.close());

const list = (folder: number, query: string) =>
  c.json<CursorPage & { error?: { code: string } }>('api', `/3/drive/${DRIVE}/files/${folder}/files?${query}`);

describe('cursor pagination (v3)', () => {
  it('the scale drive holds exactly 100,000 files, and a page of 1000 builds only that page', async () => {
    const fresh = await open('scale', 'scale-token');
    try {
      expect(fresh.sim.stats(DRIVE)).toEqual({ resolvedGenerated: 0, fileCount: 100_000 });
      const folder = await byPath(fresh, DRIVE, '/Common documents/Big folder');
      const { body } = await fresh.json<CursorPage>('api', `/3/drive/${DRIVE}/files/${folder.id}/files?limit=1000`);
      expect(body.data).toHaveLength(1000);
      expect(body.has_more).toBe(true);
      expect(fresh.sim.stats(DRIVE).resolvedGenerated).toBe(1000);
    } finally {
      await fresh.close();
    }
  });

  it('limit outside 5..1000 is 422 validation_failed; default is 10', async () => {
    for (const limit of [4, 0, 1001, -1]) {
      const { status, body } = await list(big.id, `limit=${limit}`);
      expect(status, `limit=${limit}`).toBe(422);
      expect(body.error?.code).toBe('validation_failed');
    }
    expect((await list(big.id, 'limit=5')).body.data).toHaveLength(5);
    expect((await list(big.id, '')).body.data).toHaveLength(10);
    expect((await list(big.id, 'limit=1000')).body.data).toHaveLength(1000);
  });

  it('walks 20,000 files in 20 pages of 1000 with opaque cursors', async () => {
    const ids = new Set<number>();
    let cursor: string | null = null;
    let pages = 0;
    let last: CursorPage | undefined;
    const t0 = performance.now();
    do {
      const q: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await list(big.id, q);
      expect(status).toBe(200);
      expect(body.data).toHaveLength(1000);
      for (const f of body.data) ids.add(f.id);
      cursor = body.cursor;
      pages++;
      last = body;
      if (body.has_more) expect(typeof body.cursor).toBe('string');
    } while (cursor);
    const ms = performance.now() - t0;
    expect(pages).toBe(20);
    expect(ids.size).toBe(20_000);
    expect(last?.has_more).toBe(false);
    expect(last?.cursor).toBeNull();
    console.info(`[figures] 20 pages of 1000 from a 20,000-file folder: ${ms.toFixed(0)} ms`);
  });

  it('names and order are stable and deterministic', async () => {
    const first = await list(big.id, 'limit=5');
    expect(first.body.data.map((f) => f.name)).toEqual([
      'file-00001.dat',
      'file-00002.dat',
      'file-00003.dat',
      'file-00004.dat',
      'file-00005.dat',
    ]);
    const again = await list(big.id, 'limit=5');
    expect(again.body.data).toEqual(first.body.data);
  });

  it('rejects a forged cursor and a cursor from another folder', async () => {
    expect((await list(big.id, 'limit=5&cursor=not-a-cursor')).status).toBe(422);
    const other = await byPath(c, DRIVE, '/Common documents/Archive');
    const page = await list(other.id, 'limit=5');
    expect(page.body.cursor).not.toBeNull();
    expect((await list(big.id, `limit=5&cursor=${encodeURIComponent(page.body.cursor!)}`)).status).toBe(422);
  });

  it('order_by, order and type[] work on a generated folder', async () => {
    const desc = await list(big.id, 'limit=5&order_by=name&order=desc');
    expect(desc.body.data[0]?.name).toBe('file-20000.dat');
    const bySize = await list(big.id, 'limit=1000&order_by[]=size');
    const sizes = bySize.body.data.map((f) => f.size ?? 0);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    const archive = await byPath(c, DRIVE, '/Common documents/Archive');
    const dirs = await list(archive.id, 'limit=1000&type[]=dir');
    expect(dirs.body.data.map((f) => f.name)).toEqual(['batch-1-01', 'batch-1-02', 'batch-1-03', 'batch-1-04']);
    const files = await list(archive.id, 'limit=1000&type=file');
    expect(files.body.data.every((f) => f.type === 'file')).toBe(true);
    expect((await list(big.id, 'order_by=colour')).status).toBe(422);
  });
});

describe('page pagination (v2)', () => {
  it('/2/drive/{drive}/files/{id}/files pages with total, page, pages, items_per_page', async () => {
    const { status, body } = await c.json<{
      data: ApiFile[];
      total: number;
      page: number;
      pages: number;
      items_per_page: number;
    }>('api', `/2/drive/${DRIVE}/files/${big.id}/files?page=3&per_page=1000`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ result: 'success', total: 20_000, page: 3, pages: 20, items_per_page: 1000 });
    expect(body.data[0]?.name).toBe('file-02001.dat');
    const past = await c.json<{ data: ApiFile[] }>(
      'api',
      `/2/drive/${DRIVE}/files/${big.id}/files?page=21&per_page=1000`,
    );
    expect(past.body.data).toEqual([]);
    expect((await c.json('api', `/2/drive/${DRIVE}/files/${big.id}/files?per_page=1001`)).status).toBe(422);
  });

  it('/2/drive pages its drives', async () => {
    const e = await open('edge', 'edge-full-token');
    try {
      const p1 = await e.json<{ data: Array<{ id: number }>; total: number; pages: number; page: number }>(
        'api',
        '/2/drive?account_id=3001&per_page=2&page=1',
      );
      const p2 = await e.json<{ data: Array<{ id: number }>; total: number; pages: number; page: number }>(
        'api',
        '/2/drive?account_id=3001&per_page=2&page=2',
      );
      expect(p1.body).toMatchObject({ total: 3, pages: 2, page: 1, items_per_page: 2 });
      expect(p1.body.data.map((d) => d.id)).toEqual([7001, 7003]);
      expect(p2.body.data.map((d) => d.id)).toEqual([7004]);
    } finally {
      await e.close();
    }
  });
});
