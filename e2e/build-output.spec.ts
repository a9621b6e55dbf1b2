/**
 * What the build ships beyond the renderer: the download worker (main/infomaniak/direct-worker.mjs)
 * must sit next to the main bundle, where `new URL('./direct-worker.mjs', import.meta.url)` finds
 * it, and start from there. The Electron binary is not needed: the worker is plain Node.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from './shared-page';
import { DirectWorker } from '../main/infomaniak/direct-wire';

test('the main bundle loads the download worker from a file beside it, and that file starts', async () => {
  const outMain = join(process.cwd(), 'out', 'main');
  const bundle = readFileSync(join(outMain, 'index.js'), 'utf8');
  expect(bundle).toContain('new URL("./direct-worker.mjs", import.meta.url)');
  expect(existsSync(join(outMain, 'direct-worker.mjs'))).toBe(true);
  const worker = new DirectWorker(pathToFileURL(join(outMain, 'direct-worker.mjs')));
  try {
    expect(await worker.ready()).toBe(true);
  } finally {
    await worker.close();
  }
});
