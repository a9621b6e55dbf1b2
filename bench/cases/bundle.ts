/**
 * bundle: the renderer's size as shipped (out/renderer/assets/*.js and *.css from the build that
 * `npm run bench` runs first), raw and gzip (zlib level 9, what a server or asar would compress).
 * Reported only: the issue sets no target.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchCase } from '../lib/context';

export interface AssetSizes {
  files: number;
  raw: number;
  gzip: number;
}

export function assetSizes(dir: string, extension: string): AssetSizes {
  const sizes: AssetSizes = { files: 0, raw: 0, gzip: 0 };
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(extension)) continue;
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    sizes.files += 1;
    sizes.raw += bytes.byteLength;
    sizes.gzip += gzipSync(bytes, { level: 9 }).byteLength;
  }
  return sizes;
}

export const bundleCase: BenchCase = {
  name: 'bundle',
  title: 'Renderer bundle size',
  async run(ctx) {
    const dir = join(ctx.root, 'out', 'renderer', 'assets');
    const js = assetSizes(dir, '.js');
    const css = assetSizes(dir, '.css');
    if (js.files === 0) throw new Error(`no built renderer in ${dir}; run "npm run build" (npm run bench does)`);
    const kib = (bytes: number) => bytes / 1024;
    return [
      {
        case: 'bundle',
        metric: `renderer JS gzip (${js.files} file${js.files === 1 ? '' : 's'})`,
        unit: 'KiB',
        runs: [kib(js.gzip)],
        note: `raw ${kib(js.raw).toFixed(1)} KiB`,
      },
      {
        case: 'bundle',
        metric: `renderer CSS gzip (${css.files} file${css.files === 1 ? '' : 's'})`,
        unit: 'KiB',
        runs: [kib(css.gzip)],
        note: `raw ${kib(css.raw).toFixed(1)} KiB`,
      },
      {
        case: 'bundle',
        metric: 'renderer JS+CSS gzip',
        unit: 'KiB',
        runs: [kib(js.gzip + css.gzip)],
        note: `raw ${kib(js.raw + css.raw).toFixed(1)} KiB`,
      },
    ];
  },
};
