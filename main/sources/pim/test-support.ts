/** Assertions shared by the .ics and .vcf tests: CRLF line ends, 75-octet lines, intact UTF-8. */
import { expect } from 'vitest';

export function expectContentLines(text: string): void {
  expect(text.endsWith('\r\n')).toBe(true);
  // No bare LF and no bare CR anywhere.
  expect(/(?<!\r)\n/.test(text)).toBe(false);
  expect(/\r(?!\n)/.test(text)).toBe(false);
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lineStart = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      const line = bytes.subarray(lineStart, i);
      expect(line.length, `line ${JSON.stringify(decoder.decode(line))}`).toBeLessThanOrEqual(75);
      // A fold inside a multi-byte sequence would leave an invalid UTF-8 line.
      expect(() => decoder.decode(line)).not.toThrow();
      lineStart = i + 2;
    }
  }
  expect(lineStart).toBe(bytes.length);
}
