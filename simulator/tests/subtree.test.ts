/** The recursive listing: depth=unlimited, cursor pages, parent_id and path, refused on id 1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPath, open } from './test-support';
import type { ApiFile, Client, CursorPage } from './test-support';

const DRIVE = 9001;
let c: Client;

beforeAll(async () => {
  c = await open('scale', 'scale-token');
});
afterAll(() => c.close());

type Answer = CursorPage & { error?: { code: string; description: string } };

async function walk(folder: number, query = 'limit=1000&with=path'): Promise<{ files: ApiFile[]; pages: number }> {
  const files: ApiFile[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: string = `depth=unlimited&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { status, body } = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/${folder}/files?${q}`);
    expect(status, JSON.stringify(body.error)).toBe(200);
    files.push(...body.data);
    cursor = body.cursor;
    expect(body.has_more).toBe(cursor !== null);
    pages++;
  } while (cursor);
  return { files, pages };
}

describe('recursive listing (depth=unlimited)', () => {
  it('lists every descendant of a generated tree once, each folder before its contents, in ⌈n/1000⌉ pages', async () => {
    const archive = await byPath(c, DRIVE, '/Common documents/Archive');
    const before = c.sim.stats(DRIVE).resolvedGenerated;
    const { files, pages } = await walk(archive.id);
    // 4 folders × 3 levels: 4 + 16 + 64 = 84 folders; 85 folders × 940 files.
    expect(files.filter((f) => f.type === 'dir')).toHaveLength(84);
    expect(files.filter((f) => f.type === 'file')).toHaveLength(85 * 940);
    expect(pages).toBe(Math.ceil(files.length / 1000));
    expect(new Set(files.map((f) => f.id)).size).toBe(files.length);
    // Each entry's parent listed before it, and its path the parent's plus its name. Gathered and
    // compared once: 160,000 expect() calls took a second of the file's CPU.
    const seen = new Map<number, string>([[archive.id, '/Common documents/Archive']]);
    const wrong: string[] = [];
    for (const f of files) {
      const parentPath = seen.get(f.parent_id as number);
      if (parentPath === undefined) wrong.push(`${f.id}: its parent ${f.parent_id} is not listed before it`);
      else if (f.path !== `${parentPath}/${f.name}`) wrong.push(`${f.id}: path ${f.path}, not ${parentPath}/${f.name}`);
      if (f.type === 'dir') seen.set(f.id, f.path as string);
    }
    expect(wrong).toEqual([]);
    // Only what was returned was built (plus the parents that `path` needs).
    expect(c.sim.stats(DRIVE).resolvedGenerated - before).toBeLessThan(files.length * 1.1);
  });

  it('a written-out tree with generated parts: the same entries as listing folder by folder', async () => {
    const common = await byPath(c, DRIVE, '/Common documents/Deep');
    const { files } = await walk(common.id, 'limit=7');
    const expected: number[] = [];
    const pending = [common.id];
    while (pending.length > 0) {
      const id = pending.shift()!;
      const { body } = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/${id}/files?limit=1000`);
      for (const f of body.data) {
        expected.push(f.id);
        if (f.type === 'dir') pending.push(f.id);
      }
    }
    expect(files.map((f) => f.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });

  it('is refused on the root folder (id 1), and on a file', async () => {
    const root = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/1/files?depth=unlimited&limit=1000`);
    expect(root.status).toBe(400);
    expect(root.body.error?.description).toMatch(/file_id 1/);
    const note = await byPath(c, DRIVE, '/Common documents/Misc/note-1.txt');
    const file = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/${note.id}/files?depth=unlimited`);
    expect(file.status).toBe(400);
    expect(file.body.error?.code).toBe('destination_not_a_directory');
  });

  it('refuses a forged or foreign cursor and an unknown depth', async () => {
    const deep = await byPath(c, DRIVE, '/Common documents/Deep');
    const misc = await byPath(c, DRIVE, '/Common documents/Misc');
    const first = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/${deep.id}/files?depth=unlimited&limit=5`);
    const cursor = first.body.cursor as string;
    const [body] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ f: deep.id, s: 'unlimited|', k: [[deep.id, 9]] })).toString(
      'base64url',
    );
    for (const [folder, cur] of [
      [misc.id, cursor],
      [deep.id, `${forged}.${cursor.split('.')[1]}`],
      [deep.id, body],
    ] as const) {
      const answer = await c.json<Answer>(
        'api',
        `/3/drive/${DRIVE}/files/${folder}/files?depth=unlimited&limit=5&cursor=${encodeURIComponent(cur ?? '')}`,
      );
      expect(answer.status).toBe(422);
    }
    const bad = await c.json<Answer>('api', `/3/drive/${DRIVE}/files/${deep.id}/files?depth=7`);
    expect(bad.status).toBe(422);
  });

  it('type[]=file returns only files, still descending into folders', async () => {
    const deep = await byPath(c, DRIVE, '/Common documents/Deep');
    const { files } = await walk(deep.id, 'limit=1000&type[]=file');
    expect(files).toHaveLength(9 * 10);
    expect(files.every((f) => f.type === 'file')).toBe(true);
  });
});
