import { describe, expect, it } from 'vitest';
import { PartFile, type PartHandle } from './part-files';

/** A handle whose writes finish only when the test says so; it records what each write held. */
function slowHandle() {
  const writes: Array<{ buffers: Uint8Array[]; done: () => void }> = [];
  const handle: PartHandle = {
    writev: (buffers, _position) =>
      new Promise((resolve) => {
        const total = buffers.reduce((n, b) => n + b.byteLength, 0);
        writes.push({ buffers: [...buffers], done: () => resolve({ bytesWritten: total }) });
      }),
    truncate: async () => undefined,
    close: async () => undefined,
  };
  return { handle, writes };
}

const chunk = (bytes: number) => new Uint8Array(bytes);
/** The very same chunks, in order (identity, not contents: the writer must not copy). */
const same = (actual: readonly Uint8Array[] | undefined, expected: readonly Uint8Array[]) => {
  expect(actual?.length).toBe(expected.length);
  expected.forEach((c, i) => expect(actual?.[i]).toBe(c));
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartFile group commit', () => {
  it('while a write is in flight, everything that arrives goes out as the next single write', async () => {
    const { handle, writes } = slowHandle();
    const file = new PartFile(handle, 0);
    const first = chunk(1024 * 1024);
    await file.write(first);
    const rest = [chunk(512 * 1024), chunk(512 * 1024), chunk(512 * 1024)];
    for (const c of rest) await file.write(c);
    expect(writes.map((w) => w.buffers.length)).toEqual([1]);
    writes[0]?.done();
    await tick();
    expect(writes).toHaveLength(2);
    same(writes[1]?.buffers, rest);
    writes[1]?.done();
    await file.close();
    expect(writes).toHaveLength(2);
  });

  it('makes the writer wait while more than 8 MiB are not on disk, and lets it go on after', async () => {
    const { handle, writes } = slowHandle();
    const file = new PartFile(handle, 0);
    await file.write(chunk(1024 * 1024));
    for (let i = 0; i < 7; i++) await file.write(chunk(1024 * 1024));
    let waited = true;
    const ninth = file.write(chunk(1024 * 1024)).then(() => (waited = false));
    await tick();
    expect(waited).toBe(true);
    writes[0]?.done();
    await ninth;
    expect(waited).toBe(false);
    writes[1]?.done();
    await tick();
    await file.close();
  });

  it('a failed write fails the next write and close', async () => {
    const failing: PartHandle = {
      writev: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })),
      truncate: async () => undefined,
      close: async () => undefined,
    };
    const file = new PartFile(failing, 0);
    const big = chunk(1024 * 1024);
    await file.write(big);
    await tick();
    await expect(file.write(chunk(10))).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(file.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
