/** Byte sizes in scenarios: a number of bytes, or a string such as "1 GiB", "64MiB", "20 kB". */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i;

export function parseSize(spec: number | string): number {
  if (typeof spec === 'number') return spec;
  const m = SIZE_PATTERN.exec(spec);
  if (!m) throw new Error(`not a size: ${spec}`);
  const unit = UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}
