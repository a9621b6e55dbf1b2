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
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartFile release', () => {
  it('hands a chunk back only after the write that holds it has finished', async () => {
    const { handle, writes } = slowHandle();
    const released: Uint8Array[] = [];
    const file = new PartFile(handle, 0, (c) => released.push(c));
    const chunks = [chunk(600 * 1024), chunk(600 * 1024), chunk(10)];
    for (const c of chunks) await file.write(c);
    await tick();
    // The first two filled a batch: it is being written, so nothing may be reused yet.
    expect(writes).toHaveLength(1);
    expect(writes[0]?.buffers).toEqual([chunks[0], chunks[1]]);
    expect(released).toEqual([]);
    writes[0]?.done();
    await tick();
    expect(released).toEqual([chunks[0], chunks[1]]);
    const closing = file.close();
    await tick();
    expect(released).toHaveLength(2);
    writes[1]?.done();
    await closing;
    expect(released).toEqual(chunks);
  });

  it('hands back what was never written when the file is closed with discard', async () => {
    const { handle } = slowHandle();
    const released: Uint8Array[] = [];
    const file = new PartFile(handle, 0, (c) => released.push(c));
    const pending = chunk(100);
    await file.write(pending);
    await file.close(true);
    expect(released).toEqual([pending]);
  });
});
