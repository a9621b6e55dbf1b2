/** The 32×32 app icon shown under the pointer while files are dragged out (PNG, rendered from renderer/public/icon.svg). */
export const DRAG_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAADXUlEQVR4nMSXW0jTURzHv///prat8rLSsovdjEycXbyFllmKFBFZD5EzE1G6GEFQRG+9RU+RL0llGKgVZCoYGhRImA0M0UUXtQcV1Jla8+7m3L9zju7iZdt/K/UDf853nMvve87OVQp7ssr95JNT14mK4zhuD0kD8X/4JQhCE0k1Y16S+yhK01syOIuQq8uPAeYnHIdgLCKCgG6AzxkrSau2GlCkv0oFz9VgCREE/jg1wSG9yl/OG74SJ+uxhNCRGDNORUhlnOGCp8GTVUEsfafthbvQv1rmLcnkeTLh4AEn9q9Hxc149lHtCTQ2L3hoQBXit6B2BxpbSoYiBMsEjc2LKZgUHojDu9dCLEcjgpAosrzUVYHspK3Iz97LtDpfg8qGbqflT0VvQPG1WKavFjaiqLbdaXmnI7BRKcNdtQqeci8jEpuUcnhsoCgvBgofCdN0qbnqPaWioQu13/qYpnWfXomGRwZiQwMQF6pk+s/oJHIKGiCWnIcNGBo3MX1gpxL7tvrDfQM7lFb9vK4T/cNGiEWnn8DL+k5bW6QzbhuIsaukaeuHu2haB2xt2XVmLg5XwcEw2zKqbxmAu3yyM+BsBBwaMJnMVm02C/PyW7uHF9QWDHb1vaW8+wa0nYNI8VvBdATZat9/mX3gvGnsQR5Z5xY9l8gQX6tubtc7CuN4Dmg7bJVUdo1ZGDdO4RnZZOhH9XwDtvOhucMjA4NWnXNkG1aucLlpWvGVeyE3edu/Gahq7EZrzwjTIWvleHQxCmKhG1iwv4zpNt0Iapp0cNuAYdKM82TvN85MppNRwXh9Ix6Bq30cVWF5tEzKzEWF1lU/0LC2HCHxVp294yizb8iAMaMJyRHTDW5ftxJZ5HDyIrPah3z6USN8Fd5k0wrAuYTNKLwcjfBNq631bxVrUe2k9xROkVEmwAWZiVvIwaLCKpHzgG7Dt0u1bIK6QpQByoYAGR5fisKhMOfn/Ifvfcgt+Iyu3+MQA6dQl+nI5TwIItlB/ob4XWuQMPOR2y0+/uhHXUs/S3/qRiAaAb2cXF1WQ65GqVgGiPm3vMCxJ9OyQGPzgklSQLQeS4+exuYnXqS1k7MmG0uMYOayaGy2EY2XnCmnb7Xph+MiByYx2Luw9HQl/c3Nyl2G5/lfAAAA///83Q7cAAAABklEQVQDAFRmO0j64mKTAAAAAElFTkSuQmCC';

/** 3×5 pixel digits (and "+"), one string of 15 bits per glyph, row by row. */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  '+': '000010111010000',
};

/**
 * Draws a count badge (white digits on a red rounded box) into the bottom-right corner of a 32-bit
 * bitmap (BGRA, as Electron's `NativeImage.toBitmap()` gives it) and returns the new pixels.
 * Pure, so it is tested without Electron. Counts over 99 show "99+".
 */
export function drawCountBadge(bitmap: Uint8Array, width: number, height: number, count: number): Uint8Array {
  const out = new Uint8Array(bitmap);
  const text = count > 99 ? '99+' : String(Math.max(0, Math.floor(count)));
  const scale = text.length <= 2 && width >= 32 ? 2 : 1;
  const textW = text.length * 4 * scale - scale;
  const boxW = Math.min(width, textW + 4 * scale);
  const boxH = Math.min(height, 5 * scale + 4 * scale);
  const x0 = width - boxW;
  const y0 = height - boxH;
  const put = (x: number, y: number, b: number, g: number, r: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 4;
    out[i] = b;
    out[i + 1] = g;
    out[i + 2] = r;
    out[i + 3] = 255;
  };
  for (let y = 0; y < boxH; y++) {
    for (let x = 0; x < boxW; x++) {
      const corner = (x === 0 || x === boxW - 1) && (y === 0 || y === boxH - 1);
      if (!corner) put(x0 + x, y0 + y, 0x2b, 0x2b, 0xc8);
    }
  }
  const tx = x0 + Math.floor((boxW - textW) / 2);
  const ty = y0 + 2 * scale;
  [...text].forEach((ch, index) => {
    const bits = GLYPHS[ch] ?? '';
    for (let bit = 0; bit < bits.length; bit++) {
      if (bits[bit] !== '1') continue;
      const gx = tx + index * 4 * scale + (bit % 3) * scale;
      const gy = ty + Math.floor(bit / 3) * scale;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) put(gx + dx, gy + dy, 255, 255, 255);
    }
  });
  return out;
}
