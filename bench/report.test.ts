import { describe, expect, it } from 'vitest';
import { formatTable, toJson } from './report';
import type { Results } from './report';
import { summarize } from './stats';

const machine = {
  cpus: 2,
  cpuModel: 'Test CPU',
  memoryGiB: 4,
  node: 'v20.0.0',
  platform: 'linux-x64',
  date: '2025-01-01T00:00:00.000Z',
};

function results(): Results {
  return {
    machine,
    wallSeconds: 12.3,
    strict: false,
    rows: [
      summarize({
        case: 'union',
        metric: 'drives listed',
        unit: 'ms',
        runs: [300, 320, 310],
        reference: { label: 'one at a time', runs: [1050, 1060, 1055] },
        target: { subject: 'median', op: '<=', threshold: 375, text: '≤ 2.5× latency' },
      }),
      summarize({
        case: 'download',
        metric: 'throughput',
        unit: 'MiB/s',
        runs: [100, 110, 90],
        reference: { label: 'curl', runs: [200, 210, 190] },
        target: { subject: 'ratio', op: '>=', threshold: 0.8, text: '≥ 0.8 × curl' },
      }),
      summarize({ case: 'bundle', metric: 'gzip', unit: 'KiB', runs: [168.4] }),
    ],
    errors: [{ case: 'folder', error: 'host did not start' }],
  };
}

describe('bench report', () => {
  it('prints one fixed-width line per row with PASS, FAIL or info, and the errors', () => {
    const text = formatTable(results());
    const lines = text.split('\n');
    const union = lines.find((l) => l.startsWith('union'));
    const download = lines.find((l) => l.startsWith('download'));
    const header = lines.find((l) => l.startsWith('case'));
    expect(union).toMatch(/310 ms .* 1055 ms \(one at a time\) .* PASS$/);
    expect(download).toMatch(/100 MiB\/s .* 0\.5 .* FAIL$/);
    expect(lines.find((l) => l.startsWith('bundle'))).toMatch(/info$/);
    // Columns line up: the "median" column ends at the same offset on every row.
    const end = header!.indexOf('median') + 'median'.length;
    expect(union!.slice(0, end).endsWith('310 ms')).toBe(true);
    expect(download!.slice(0, end).endsWith('100 MiB/s')).toBe(true);
    expect(text).toContain('folder: ERROR host did not start');
    expect(text).toContain('1 passed, 1 failed, 1 reported only, 1 case(s) errored');
  });

  it('writes JSON with rounded numbers, runs on one line, verdicts and no NaN', () => {
    const json = toJson(results());
    expect(json).toContain('"runs": [300, 320, 310]');
    const parsed = JSON.parse(json) as {
      rows: Array<{ pass: boolean | null; ratio: number | null; spread: { iqr: number } }>;
    };
    expect(parsed.rows.map((r) => r.pass)).toEqual([true, false, null]);
    expect(parsed.rows[1]?.ratio).toBe(0.5);
    expect(parsed.rows[2]?.ratio).toBeNull();
    expect(json).not.toContain('NaN');
  });
});
