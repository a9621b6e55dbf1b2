/**
 * Reading a zip without trusting it (issue 25.1, 25.2), against hand-written hostile zips: entry
 * streams destroyed while their reads wait (the uncaught TypeError in yauzl's fd-slicer that ended
 * the process), bombs, lying sizes, 30,000 entries, broken headers and broken data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadResponse } from '../infomaniak/types';
import { ArchiveReader, entryMisfit, maxEntries } from './archive-entries';
import type { ArchiveEntry } from './archive-entries';
import { writeZip } from './test-support';
import type { DownloadItem } from './types';

type Fetch = NonNullable<DownloadItem['fetch']>;

let dir: string;
/** Errors nothing caught (the process would have ended); `crashed` rejects with the first. */
const uncaught: unknown[] = [];
let crash: (error: unknown) => void = () => undefined;
let crashed: Promise<never>;
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
  crash(error);
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archive-entries-'));
  uncaught.length = 0;
  crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined);
  process.on('uncaughtException', onUncaught);
});
afterEach(async () => {
  process.off('uncaughtException', onUncaught);
  await rm(dir, { recursive: true, force: true });
});

async function entriesOf(reader: ArchiveReader): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for await (const entry of reader.entries()) out.push(entry);
  return out;
}

async function bytesOf(response: DownloadResponse): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('entries read side by side', () => {
  for (const deflate of [false, true]) {
    it(`an entry stopped while its next read waits behind another's ends nothing (${deflate ? 'deflated' : 'stored'})`, async () => {
      const contents = Array.from({ length: 10 }, () => randomBytes(256 * 1024));
      const path = join(dir, 'a.zip');
      await writeZip(
        path,
        contents.map((content, i) => ({ name: `f${i}.bin`, content, deflate })),
      );
      const reader = await ArchiveReader.open(path);
      const entries = await entriesOf(reader);
      // Every entry read at once; every other one stopped by its reader after its first bytes (as
      // the writer does on a size that does not match, a cancel, a kill).
      const reads = Promise.allSettled(
        entries.map(async (entry, i) => {
          const response = await reader.fetcher(entry)({});
          const chunks: Uint8Array[] = [];
          let read = 0;
          for await (const chunk of response.body) {
            chunks.push(chunk);
            read += chunk.byteLength;
            if (i % 2 === 0 && read > 64 * 1024) {
              response.cancel();
              return null;
            }
          }
          return Buffer.concat(chunks);
        }),
      );
      // Before the fix: "TypeError: Cannot read properties of null (reading 'fd')", uncaught, and
      // every read after it waiting for ever.
      const results = await Promise.race([reads, crashed]);
      reader.close();
      expect(uncaught).toEqual([]);
      // The others read whole and right (compared as digests: a diff of 256 KiB is slow to print).
      const digest = (b: unknown) => (Buffer.isBuffer(b) ? createHash('sha256').update(b).digest('hex') : b);
      const read = results.map((r) => (r.status === 'fulfilled' ? digest(r.value) : String(r.reason)));
      expect(read).toEqual(contents.map((c, i) => (i % 2 === 1 ? digest(c) : null)));
    });
  }
});

describe('bounds', () => {
  it('an entry is taken only at the size the listing announced, and never packed like a bomb', async () => {
    const path = join(dir, 'b.zip');
    await writeZip(path, [
      { name: 'same.txt', content: 'x'.repeat(700) },
      { name: 'grown.txt', content: 'x'.repeat(5000), deflate: true },
      { name: 'bomb.bin', zeros: 64 * 1024 * 1024 },
      { name: 'zeros-small.bin', zeros: 512 * 1024 },
      { name: 'link', content: '/etc/passwd', symlink: true },
    ]);
    const reader = await ArchiveReader.open(path);
    const [same, grown, bomb, small, link] = await entriesOf(reader);
    reader.close();
    expect(entryMisfit(same!, 700)).toBeNull();
    expect(entryMisfit(grown!, 700)).toBe('it holds 5000 bytes where the listing said 700');
    // Even where the listing announced that size: ~1000:1 is no real file.
    expect(entryMisfit(bomb!, 64 * 1024 * 1024)).toMatch(/^it is packed \d+:1, tighter than any real file$/);
    // A small file of zeros is harmless (and real).
    expect(entryMisfit(small!, 512 * 1024)).toBeNull();
    expect(entryMisfit(link!, 11)).toBe('it is a link; links are never unpacked');
  });

  it('an archive of far more entries than the listing is refused before any is read', async () => {
    const path = join(dir, 'c.zip');
    await writeZip(
      path,
      Array.from({ length: 30_000 }, (_, i) => ({ name: `spam/${i}.txt`, content: 'x' })),
    );
    await expect(ArchiveReader.open(path, { maxEntries: maxEntries(41) })).rejects.toMatchObject({
      code: 'api_error',
      message: expect.stringContaining('30000 entries, where at most 146 were expected'),
    });
    const reader = await ArchiveReader.open(path, { maxEntries: maxEntries(30_000) });
    expect(reader.entryCount).toBe(30_000);
    reader.close();
  });
});

describe('an entry that cannot be read', () => {
  /** The file's own download, counted: what the archive could not give. */
  function own(): { fetch: Fetch; requests: Array<Parameters<Fetch>[0]> } {
    const requests: Array<Parameters<Fetch>[0]> = [];
    const fetch: Fetch = async (request) => {
      requests.push(request);
      const body = Buffer.from('from the server');
      return {
        status: 200,
        totalSize: body.length,
        offset: 0,
        etag: null,
        lastModified: null,
        contentType: null,
        body: (async function* () {
          yield body;
        })(),
        cancel: () => undefined,
      };
    };
    return { fetch, requests };
  }

  it('a broken header or broken data hands the file to its own download, asked for whole', async () => {
    const path = join(dir, 'd.zip');
    await writeZip(path, [
      { name: 'good.txt', content: 'good' },
      { name: 'header.txt', content: 'header', corrupt: 'header' },
      { name: 'data.txt', content: 'data '.repeat(100), deflate: true, corrupt: 'data' },
      { name: 'lies.txt', content: 'lies '.repeat(100), deflate: true, claim: 20 },
    ]);
    const reader = await ArchiveReader.open(path);
    const [good, header, data, lies] = await entriesOf(reader);
    const server = own();
    expect((await bytesOf(await reader.fetcher(good!, server.fetch)({}))).toString()).toBe('good');
    // A broken local header: the file's own download at once.
    const viaHeader = await reader.fetcher(header!, server.fetch)({ expectedBytes: 6 });
    expect((await bytesOf(viaHeader)).toString()).toBe('from the server');
    // Broken data, or more data than announced: this attempt fails as a drop (the writer tries
    // again), and the next attempt is the file's own download of the whole file.
    for (const entry of [data!, lies!]) {
      const fetch = reader.fetcher(entry, server.fetch);
      await expect(bytesOf(await fetch({}))).rejects.toMatchObject({ code: 'network' });
      await fetch({ start: 7, ifRange: 'W/"x"', expectedBytes: entry.size - 7 });
    }
    expect(server.requests).toEqual([
      { expectedBytes: 6 },
      { expectedBytes: data!.size },
      { expectedBytes: lies!.size },
    ]);
    // Without an own download (nothing else could give it): that file fails, as integrity.
    await expect(reader.fetcher(header!)({})).rejects.toMatchObject({ code: 'integrity' });
    // A closed archive gives nothing more, but its files still come on their own.
    reader.close();
    expect((await bytesOf(await reader.fetcher(good!, server.fetch)({}))).toString()).toBe('from the server');
    expect(uncaught).toEqual([]);
  });
});
