/**
 * Where the Mark-of-the-Web is applied: `writeItem`, the one placement point of downloads, archive
 * entries, sync and drag staging. The mark goes on the verified part before it is placed (placing
 * sets the mtime afterwards; the mark moves with the file), and a failing mark never fails the file.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const marks = vi.hoisted(() => ({ calls: [] as Array<{ path: string; origin?: string; existed: boolean }> }));

vi.mock('./mark-of-web', async () => {
  const fs = await import('node:fs');
  return {
    markDownloaded: vi.fn(async (path: string, source: { origin?: string }) => {
      marks.calls.push({ path, origin: source.origin, existed: fs.existsSync(path) });
      return 'failed';
    }),
  };
});

const { writeItem } = await import('./file-writer');
const { at } = await import('./test-support');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'motw-'));
  marks.calls.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeItem marks what it places', () => {
  it('marks the written part with the item origin, then places the file; a failed mark does not fail it', async () => {
    const data = new TextEncoder().encode('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    const target = join(dir, 'Kalender.ics');
    const result = await writeItem(
      {
        segments: ['Kalender.ics'],
        size: data.byteLength,
        content: async () => data,
        origin: 'https://calendar.example',
      },
      at(target),
    );
    expect(result.path).toBe(target);
    expect(marks.calls).toEqual([{ path: `${target}.part`, origin: 'https://calendar.example', existed: true }]);
    expect(await readFile(target, 'utf8')).toContain('BEGIN:VCALENDAR');
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(await readdir(dir)).toEqual(['Kalender.ics']);
  });
});
