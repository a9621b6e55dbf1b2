import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeSync } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXXHash3 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/model/errors';
import { FakeSource, at } from './test-support';
import { partNames, readPartState, writeItem } from './file-writer';
import type { OpenPart, WriteOptions } from './file-writer';
import { inside } from './paths';
import type { DownloadItem } from './types';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const fast: WriteOptions = { retryDelayMs: () => 1 };

async function xxh3(data: Uint8Array): Promise<string> {
  const hasher = await createXXHash3();
  hasher.init();
  hasher.update(data);
  return `xxh3:${hasher.digest('hex')}`;
}

async function failureOf(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Opens real handles that fail with ENOSPC once `limit` bytes were written through them. */
function fullDisk(limit: number): OpenPart {
  let written = 0;
  return async (path, flags) => {
    const handle = await open(path, flags);
    return {
      writev: async (buffers, position) => {
        const total = buffers.reduce((n, b) => n + b.byteLength, 0);
        if (written + total > limit) {
          throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
            code: 'ENOSPC',
            syscall: 'write',
          });
        }
        written += total;
        return handle.writev(buffers, position);
      },
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeItem', () => {
  it('writes a file through a .part, removes the working files and sets mtime', async () => {
    const data = randomBytes(300_000);
    const source = new FakeSource(data);
    const final = join(dir, 'a.bin');
    const modifiedAt = Date.UTC(2020, 0, 2, 3, 4, 5);
    const result = await writeItem(source.item(['a.bin'], { modifiedAt, hash: await xxh3(data) }), at(final));
    expect(result).toMatchObject({ path: final, bytes: data.length, resumes: 0, fetched: data.length, reused: 0 });
    expect(sha256(await readFile(final))).toBe(sha256(data));
    expect(await readdir(dir)).toEqual(['a.bin']);
    expect((await stat(final)).mtimeMs).toBe(modifiedAt);
  });

  it('resumes after a drop at 60% with Range + If-Range, fetching nothing twice', async () => {
    const data = randomBytes(1_000_000);
    const source = new FakeSource(data, { chunkSize: 16 * 1024 });
    source.dropAt = [600_000];
    const events: string[] = [];
    const final = join(dir, 'big.bin');
    const result = await writeItem(source.item(['big.bin'], { hash: await xxh3(data) }), at(final), {
      ...fast,
      events: { resumed: () => events.push('resumed') },
    });
    expect(sha256(await readFile(final))).toBe(sha256(data));
    expect(result.resumes).toBe(1);
    expect(events).toEqual(['resumed']);
    expect(source.served - data.length).toBe(0);
    expect(source.requests).toEqual([{ status: 200 }, { start: 600_000, ifRange: '"v1"', status: 206 }]);
  });

  it('resumes across calls (app restart) from the part and its sidecar, hashing the part first', async () => {
    const data = randomBytes(500_000);
    const source = new FakeSource(data);
    source.dropAt = [200_000];
    const item = source.item(['r.bin'], { hash: await xxh3(data) });
    const final = join(dir, 'r.bin');
    const first = await failureOf(writeItem(item, at(final), { ...fast, maxAttempts: 1 }));
    expect(first.code).toBe('network');
    expect((await stat(join(dir, 'r.bin.part'))).size).toBe(200_000);
    expect(await readPartState(final)).toMatchObject({ v: 1, etag: '"v1"', size: 500_000, offset: 200_000 });

    const progress: Array<[number, boolean]> = [];
    const result = await writeItem(item, at(final), { events: { progress: (d, f) => progress.push([d, f]) } });
    expect(result).toMatchObject({ reused: 200_000, fetched: 300_000 });
    expect(progress[0]).toEqual([200_000, false]);
    expect(sha256(await readFile(final))).toBe(sha256(data));
    expect(source.requests.at(-1)).toEqual({ start: 200_000, ifRange: '"v1"', status: 206 });
    expect(source.served).toBe(data.length);
  });

  it('restarts from 0 when If-Range does not match (the file changed): 200 → whole new body', async () => {
    const old = randomBytes(400_000);
    const source = new FakeSource(old);
    source.dropAt = [100_000];
    const final = join(dir, 'doc.bin');
    await failureOf(writeItem(source.item(['doc.bin'], { size: null }), at(final), { ...fast, maxAttempts: 1 }));

    const fresh = randomBytes(250_000);
    source.setContent(fresh, '"v2"');
    const progress: number[] = [];
    const result = await writeItem(source.item(['doc.bin'], { size: null }), at(final), {
      events: { progress: (d) => progress.push(d) },
    });
    expect(source.requests.at(-1)).toEqual({ start: 100_000, ifRange: '"v1"', status: 200 });
    expect(sha256(await readFile(final))).toBe(sha256(fresh));
    expect(result.bytes).toBe(250_000);
    expect(progress.includes(-100_000)).toBe(true);
    expect(progress.reduce((a, b) => a + b, 0)).toBe(250_000);
  });

  it('treats a body that ends early as a drop and resumes', async () => {
    const data = randomBytes(100_000);
    const source = new FakeSource(data);
    const realFetch = source.fetch;
    let calls = 0;
    const item = source.item(['short.bin'], {
      fetch: async (request) => {
        calls += 1;
        const response = await realFetch(request);
        if (calls > 1) return response;
        const body = response.body;
        return {
          ...response,
          body: (async function* () {
            let sent = 0;
            for await (const chunk of body) {
              if (sent >= 50_000) return;
              sent += chunk.byteLength;
              yield chunk;
            }
          })(),
        };
      },
    });
    const result = await writeItem(item, inside(dir, 'short.bin'), fast);
    expect(result.resumes).toBe(1);
    expect(sha256(await readFile(join(dir, 'short.bin')))).toBe(sha256(data));
  });

  it('fails with integrity on a size mismatch and leaves no file and no part', async () => {
    const data = randomBytes(10_000);
    const source = new FakeSource(data, { knownLength: false });
    const failure = await failureOf(writeItem(source.item(['s.bin'], { size: 10_001 }), inside(dir, 's.bin')));
    expect(failure.code).toBe('integrity');
    expect(await readdir(dir)).toEqual([]);
  });

  it('never fails or deletes on a hash mismatch; "size+hash" only where a plain hash matched (9.1)', async () => {
    const small = randomBytes(10_000);
    const big = randomBytes(2 * 1024 * 1024);
    const cases = [
      // A plain hash (small file, one-piece upload) that matches.
      { name: 'ok.bin', data: small, hash: await xxh3(small), verified: 'size+hash' },
      // A plain-looking hash that does not match: kept, checked by size only.
      { name: 'wrong.bin', data: small, hash: await xxh3(randomBytes(10)), verified: 'size' },
      // Chunk-uploaded (≥ 1 MiB): the server's xxh3 is over chunk hashes, never compared.
      { name: 'chunked.bin', data: big, hash: 'xxh3:0123456789abcdef', verified: 'size' },
      { name: 'counted.bin', data: small, hash: '3:xxh3:0123456789abcdef0123456789abcdef', verified: 'size' },
      { name: 'none.bin', data: small, hash: null, verified: 'size' },
    ];
    for (const c of cases) {
      const result = await writeItem(new FakeSource(c.data).item([c.name], { hash: c.hash }), inside(dir, c.name));
      expect([c.name, result.verified]).toEqual([c.name, c.verified]);
      expect(sha256(await readFile(join(dir, c.name)))).toBe(sha256(c.data));
    }
    expect((await readdir(dir)).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  it('a wrong size still fails with integrity and leaves no file and no part', async () => {
    const source = new FakeSource(randomBytes(10_000));
    const failure = await failureOf(writeItem({ ...source.item(['s.bin']), size: 9_000 }, inside(dir, 's.bin')));
    expect(failure.code).toBe('integrity');
    expect(await readdir(dir)).toEqual([]);
  });

  it("never writes through a link planted at the sidecar's temporary name or at the part (8.9)", async () => {
    const outside = join(dir, 'outside.txt');
    await writeFile(outside, 'precious');
    const final = join(dir, 'x.bin');
    const { symlink } = await import('node:fs/promises');
    await symlink(outside, join(dir, partNames('x.bin').sidecarTmp));
    const data = randomBytes(50_000);
    await writeItem(new FakeSource(data).item(['x.bin']), at(final));
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(sha256(await readFile(final))).toBe(sha256(data));

    // A link where a part would be: refused, the target untouched.
    await symlink(outside, join(dir, partNames('y.bin').part));
    const failure = await failureOf(writeItem(new FakeSource(data).item(['y.bin']), inside(dir, 'y.bin')));
    expect(failure.code).toBe('io');
    expect(await readFile(outside, 'utf8')).toBe('precious');
  });

  it('owns the download retries: a dead host costs exactly maxAttempts attempts, waiting the Retry-After (8.19)', async () => {
    let attempts = 0;
    const dead: DownloadItem = {
      segments: ['d.bin'],
      size: 10,
      fetch: async () => {
        attempts += 1;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    };
    const failure = await failureOf(writeItem(dead, inside(dir, 'd.bin'), { ...fast, maxAttempts: 4 }));
    expect(failure.code).toBe('network');
    expect(attempts).toBe(4);

    // A 429 with Retry-After: retried, and not before the server said.
    const times: number[] = [];
    const data = randomBytes(1000);
    const source = new FakeSource(data);
    const limited: DownloadItem = {
      ...source.item(['r.bin']),
      fetch: async (request) => {
        times.push(Date.now());
        if (times.length === 1) {
          throw Object.assign(new AppFailure('rate_limited', 'Too many requests.', { status: 429 }), {
            retryAfterMs: 150,
          });
        }
        return source.fetch(request);
      },
    };
    await writeItem(limited, inside(dir, 'r.bin'), { ...fast, maxAttempts: 2 });
    expect(times).toHaveLength(2);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(140);
    expect(sha256(await readFile(join(dir, 'r.bin')))).toBe(sha256(data));
  });

  it('ENOSPC → disk_full, the part is kept and the next attempt resumes from it', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const source = new FakeSource(data);
    const final = join(dir, 'full.bin');
    const item = source.item(['full.bin'], { hash: await xxh3(data) });
    const failure = await failureOf(writeItem(item, at(final), { openPart: fullDisk(1024 * 1024) }));
    expect(failure.code).toBe('disk_full');
    expect(failure.message).not.toMatch(/ENOSPC: no space/);
    // Everything written before the disk filled is kept (how much depends on how writes were grouped).
    const kept = (await stat(`${final}.part`)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1024 * 1024);
    expect(existsSync(final)).toBe(false);

    await writeItem(item, at(final));
    expect(source.requests.at(-1)).toMatchObject({ start: kept, status: 206 });
    expect(sha256(await readFile(final))).toBe(sha256(data));
  });

  it('a body the client can sink goes through the part descriptor: progress, size check, a full disk', async () => {
    const data = randomBytes(300_000);
    const requests: number[] = [];
    /** An item whose responses write into the descriptor themselves, `limit` bytes at most (then ENOSPC). */
    const sinking = (bytes: Buffer, limit = Infinity): DownloadItem => ({
      segments: ['sunk.bin'],
      size: data.length,
      fetch: async (request) => {
        const start = request.start ?? 0;
        requests.push(start);
        return {
          status: start > 0 ? 206 : 200,
          totalSize: data.length,
          offset: start,
          etag: '"s"',
          lastModified: null,
          contentType: null,
          cancel: () => undefined,
          body: {
            [Symbol.asyncIterator]: () => {
              throw new Error('the body is not read when it can be sunk');
            },
          },
          sink: async (fd, position, onProgress) => {
            let written = 0;
            for (let at = start; at < bytes.length; at += 64 * 1024) {
              const piece = bytes.subarray(at, Math.min(at + 64 * 1024, bytes.length));
              if (written + piece.length > limit) {
                throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
              }
              writeSync(fd, piece, 0, piece.length, position + written);
              written += piece.length;
              onProgress(written);
            }
            return written;
          },
        };
      },
    });
    const progress: number[] = [];
    const final = join(dir, 'sunk.bin');
    const events = { events: { progress: (n: number, fresh: boolean) => fresh && progress.push(n) } };
    await writeItem(sinking(data), at(final), { ...fast, ...events });
    expect(sha256(await readFile(final))).toBe(sha256(data));
    expect(progress.reduce((a, b) => a + b, 0)).toBe(data.length);

    const tooLong = await failureOf(writeItem(sinking(Buffer.concat([data, data])), inside(dir, 'long.bin'), fast));
    expect(tooLong.code).toBe('integrity');

    const full = await failureOf(writeItem(sinking(data, 128 * 1024), inside(dir, 'full.bin'), fast));
    expect(full.code).toBe('disk_full');
    expect((await stat(join(dir, 'full.bin.part'))).size).toBe(128 * 1024);
    await writeItem(sinking(data), inside(dir, 'full.bin'), fast);
    expect(requests.at(-1)).toBe(128 * 1024);
    expect(sha256(await readFile(join(dir, 'full.bin')))).toBe(sha256(data));
  });

  it('never replaces a file that appeared meanwhile: reallocates, or fails without touching it', async () => {
    const data = randomBytes(1000);
    const final = join(dir, 'x.txt');
    const source = new FakeSource(data);
    const item = source.item(['x.txt'], {
      fetch: async (request) => {
        const response = await source.fetch(request);
        await writeFile(final, 'precious');
        return response;
      },
    });
    const result = await writeItem(item, at(final), { reallocate: () => join(dir, 'x (1).txt') });
    expect(result.path).toBe(join(dir, 'x (1).txt'));
    expect(await readFile(final, 'utf8')).toBe('precious');
    expect(sha256(await readFile(result.path))).toBe(sha256(data));

    const again = await failureOf(writeItem(item, at(final)));
    expect(again.code).toBe('io');
    expect(await readFile(final, 'utf8')).toBe('precious');
  });

  it('leaves a foreign .part alone', async () => {
    await writeFile(join(dir, 'y.txt.part'), 'not ours');
    const source = new FakeSource(randomBytes(10));
    const failure = await failureOf(writeItem(source.item(['y.txt']), inside(dir, 'y.txt')));
    expect(failure.code).toBe('io');
    expect(await readFile(join(dir, 'y.txt.part'), 'utf8')).toBe('not ours');
  });

  it('writes generated content the same way (part, then rename)', async () => {
    const text = new TextEncoder().encode('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    await writeFile(join(dir, 'cal.ics'), 'existing');
    const result = await writeItem(
      { segments: ['cal.ics'], size: null, content: async () => text },
      inside(dir, 'cal.ics'),
      { reallocate: () => join(dir, 'cal (1).ics') },
    );
    expect(result.path).toBe(join(dir, 'cal (1).ics'));
    expect(await readFile(result.path, 'utf8')).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    expect((await readdir(dir)).sort()).toEqual(['cal (1).ics', 'cal.ics']);
  });

  it('uses a shortened part name when the final name is close to 255 bytes', async () => {
    const name = `${'n'.repeat(250)}.bin`;
    expect(Buffer.byteLength(partNames(name).sidecarTmp)).toBeLessThanOrEqual(255);
    const source = new FakeSource(randomBytes(100_000));
    source.dropAt = [50_000];
    await failureOf(writeItem(source.item([name]), inside(dir, name), { ...fast, maxAttempts: 1 }));
    expect((await readdir(dir)).some((n) => n.endsWith('.part') && Buffer.byteLength(n) <= 255)).toBe(true);
    const result = await writeItem(source.item([name]), inside(dir, name));
    expect(result.reused).toBe(50_000);
    expect(await readdir(dir)).toEqual([name]);
  });

  it('stops on abort with `cancelled`, keeping the part for the caller to decide', async () => {
    const source = new FakeSource(randomBytes(200_000));
    source.pauseAt = [100_000];
    const controller = new AbortController();
    const promise = writeItem(source.item(['c.bin']), inside(dir, 'c.bin'), { signal: controller.signal });
    while (source.served < 100_000) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const failure = await failureOf(promise);
    expect(failure.code).toBe('cancelled');
    expect((await stat(join(dir, 'c.bin.part'))).size).toBe(100_000);
    expect(source.active).toBe(0);
  });

  it('finishes a complete part left by a crash before the rename without fetching again', async () => {
    const data = randomBytes(50_000);
    const final = join(dir, 'done.bin');
    await writeFile(`${final}.part`, data);
    const sidecar = { v: 1, etag: '"v1"', lastModified: null, size: 50_000, hash: null, offset: 50_000 };
    await writeFile(`${final}.part.json`, JSON.stringify(sidecar));
    const source = new FakeSource(data);
    const result = await writeItem(source.item(['done.bin'], { size: null }), at(final));
    expect(source.requests).toEqual([]);
    expect(result).toMatchObject({ bytes: 50_000, reused: 50_000, fetched: 0 });
    expect(await readdir(dir)).toEqual(['done.bin']);
  });

  it('starts over on 416 when the size was never known (the part may be complete or stale)', async () => {
    const data = randomBytes(30_000);
    const final = join(dir, 'u.bin');
    await writeFile(`${final}.part`, randomBytes(40_000));
    const sidecar = { v: 1, etag: '"v1"', lastModified: null, size: null, hash: null, offset: 40_000 };
    await writeFile(`${final}.part.json`, JSON.stringify(sidecar));
    const source = new FakeSource(data, { knownLength: false });
    await writeItem(source.item(['u.bin']), at(final));
    expect(source.requests).toEqual([{ status: 200 }]);
    expect(sha256(await readFile(final))).toBe(sha256(data));
  });

  it('restarts when a server without validators reports another size', async () => {
    const source = new FakeSource(randomBytes(80_000), { etag: null, lastModified: null });
    source.dropAt = [40_000];
    const final = join(dir, 'nv.bin');
    await failureOf(writeItem(source.item(['nv.bin'], { size: null }), at(final), { ...fast, maxAttempts: 1 }));
    const next = randomBytes(60_000);
    source.setContent(next, '', '');
    source.etag = null;
    source.lastModified = null;
    await writeItem(source.item(['nv.bin'], { size: null }), at(final));
    expect(sha256(await readFile(final))).toBe(sha256(next));
  });
});
