/**
 * The generated pictures (model/media.ts): real PNGs of the asked size, the same bytes for the
 * same seed, and since they are kept once drawn, every caller still gets bytes of its own.
 */
import { describe, expect, it } from 'vitest';
import { pngLandscape, pngPortrait } from '../model/media';

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('generated pictures', () => {
  it('are PNGs of the asked size, the same for a seed and different for another', () => {
    const a = pngLandscape(64, 48, 'media-test-a');
    expect(pngSize(a)).toEqual({ width: 64, height: 48 });
    expect(pngSize(pngPortrait('media-test-a', 32))).toEqual({ width: 32, height: 32 });
    expect(pngLandscape(64, 48, 'media-test-a').equals(a)).toBe(true);
    expect(pngLandscape(64, 48, 'media-test-b').equals(a)).toBe(false);
    expect(pngLandscape(48, 64, 'media-test-a').equals(a)).toBe(false);
    expect(pngPortrait('media-test-a', 32).equals(pngPortrait('media-test-a', 32))).toBe(true);
  });

  it('kept once drawn, each caller still gets its own bytes: changing one copy changes no other', () => {
    const first = pngLandscape(40, 30, 'media-test-copy');
    const original = Buffer.from(first);
    first.fill(0);
    const second = pngLandscape(40, 30, 'media-test-copy');
    expect(second.equals(original)).toBe(true);
    const portrait = pngPortrait('media-test-copy', 24);
    const portraitCopy = Buffer.from(portrait);
    portrait.fill(1);
    expect(pngPortrait('media-test-copy', 24).equals(portraitCopy)).toBe(true);
  });
});
