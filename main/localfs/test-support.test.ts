/**
 * The fake download source the writer, transfer and drag tests share. Its pauses are a test's
 * handle on "the body is half way": they must not hang a test whose release came first.
 */
import { describe, expect, it } from 'vitest';
import { FakeSource, patternContent } from './test-support';

async function drain(source: FakeSource): Promise<number> {
  const response = await source.fetch({});
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.byteLength;
  return bytes;
}

/** Rejects when `promise` has not settled after `ms` (a hang shows as a failure, not a stuck test). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  ]);
}

describe('FakeSource pauses', () => {
  it('holds the body at a pause until released', async () => {
    const source = new FakeSource(patternContent(200_000), { chunkSize: 10_000 });
    source.pauseAt = [100_000];
    let done = false;
    const body = drain(source).then((bytes) => ((done = true), bytes));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    expect(source.served).toBe(100_000);
    source.release();
    await expect(within(body, 2000)).resolves.toBe(200_000);
  });

  it('a release before the body reaches its pause lets it through (it hung under load: drag/service.test)', async () => {
    const source = new FakeSource(patternContent(200_000), { chunkSize: 10_000 });
    source.pauseAt = [100_000];
    source.release();
    await expect(within(drain(source), 2000)).resolves.toBe(200_000);
  });
});
