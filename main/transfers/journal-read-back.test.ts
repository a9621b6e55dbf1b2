/** A transfer's journal read back with damaged lines and lines of another shape: skipped and logged, the rest kept. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, rawKey } from './journal';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('journal read back', () => {
  it('skips lines that are not entries (and a torn last line), logs how many, keeps the good ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-read-back-'));
    dirs.push(dir);
    const file = join(dir, 't1.jsonl');
    const lines = [
      JSON.stringify({ t: 'dir', raw: ['A'], path: ['A'] }),
      JSON.stringify({ t: 'done', raw: ['A', 'x.txt'], path: ['A', 'x.txt'], bytes: 3 }),
      JSON.stringify({ t: 'done', raw: ['A', 'y.txt'], path: ['A', 'y.txt'], bytes: -1 }),
      JSON.stringify({ t: 'file', raw: ['A', 'z.txt'], path: [] }),
      JSON.stringify({ t: 'rename', raw: ['A'], path: ['B'] }),
      JSON.stringify({ t: 'skip', raw: ['A', 'w.txt'], path: ['A', 'w.txt'], bytes: 1, same: true }),
      '[1,2,3]',
      '{"t":"file","raw":["A","torn',
    ];
    await writeFile(file, lines.join('\n'));
    const log: string[] = [];
    const journal = await Journal.load(file, (line) => log.push(line));
    expect(journal.dirs.get(rawKey(['A']))).toEqual(['A']);
    expect(journal.files.get(rawKey(['A', 'x.txt']))).toEqual({ path: ['A', 'x.txt'], done: true, bytes: 3 });
    expect(journal.files.get(rawKey(['A', 'w.txt']))).toMatchObject({ skipped: true, same: true });
    expect([...journal.files.keys()]).toHaveLength(2);
    expect(log).toEqual(['transfers: 5 line(s) of t1.jsonl ignored (damaged or of another shape)']);
  });
});
