/** The printed table (fixed-width columns) and the commit-friendly results.json. */
import { cpus, totalmem } from 'node:os';
import { round } from './stats';
import type { ResultRow } from './stats';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export interface CaseError {
  case: string;
  error: string;
}

export interface Results {
  machine: MachineInfo;
  wallSeconds: number;
  strict: boolean;
  rows: ResultRow[];
  errors: CaseError[];
}

function fmt(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  const r = round(value);
  const text = Math.abs(r) >= 10_000 ? r.toLocaleString('en-US') : String(r);
  return unit ? `${text} ${unit}` : text;
}

function verdict(row: ResultRow): string {
  if (row.pass === null) return 'info';
  return row.pass ? 'PASS' : 'FAIL';
}

const COLUMNS: Array<{ title: string; width: number; align: 'l' | 'r'; cell: (r: ResultRow) => string }> = [
  { title: 'case', width: 8, align: 'l', cell: (r) => r.case },
  { title: 'metric', width: 31, align: 'l', cell: (r) => r.metric },
  { title: 'n', width: 2, align: 'r', cell: (r) => String(r.runs.length) },
  { title: 'median', width: 13, align: 'r', cell: (r) => fmt(r.median, r.unit) },
  {
    title: 'spread min–max',
    width: 15,
    align: 'r',
    cell: (r) => (r.runs.length > 1 ? `${fmt(r.spread.min)}–${fmt(r.spread.max)}` : '–'),
  },
  {
    title: 'reference median',
    width: 34,
    align: 'l',
    cell: (r) => (r.reference ? `${fmt(r.reference.median, r.unit)} (${r.reference.label})` : '–'),
  },
  { title: 'ratio', width: 5, align: 'r', cell: (r) => (r.ratio === null ? '–' : fmt(r.ratio)) },
  { title: 'target', width: 25, align: 'l', cell: (r) => r.target?.text ?? '–' },
  { title: 'result', width: 6, align: 'l', cell: verdict },
];

function fit(text: string, width: number, align: 'l' | 'r'): string {
  const chars = [...text];
  const cut = chars.length > width ? chars.slice(0, width - 1).join('') + '…' : text;
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'l' ? cut + pad : pad + cut;
}

export function formatTable(results: Results): string {
  const lines: string[] = [];
  const m = results.machine;
  lines.push(
    `PowerOn Sources bench, ${m.date}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`,
  );
  lines.push('');
  lines.push(
    COLUMNS.map((c) => fit(c.title, c.width, c.align))
      .join('  ')
      .trimEnd(),
  );
  lines.push(COLUMNS.map((c) => '-'.repeat(c.width)).join('  '));
  for (const row of results.rows) {
    lines.push(
      COLUMNS.map((c) => fit(c.cell(row), c.width, c.align))
        .join('  ')
        .trimEnd(),
    );
  }
  const notes = results.rows.filter((r) => r.note);
  if (notes.length > 0) {
    lines.push('');
    for (const r of notes) lines.push(`  ${r.case} / ${r.metric}: ${r.note}`);
  }
  for (const e of results.errors) lines.push(`  ${e.case}: ERROR ${e.error}`);
  const failed = results.rows.filter((r) => r.pass === false).length;
  const passed = results.rows.filter((r) => r.pass === true).length;
  lines.push('');
  lines.push(
    `${passed} passed, ${failed} failed, ${results.rows.filter((r) => r.pass === null).length} reported only` +
      `${results.errors.length > 0 ? `, ${results.errors.length} case(s) errored` : ''}; wall time ${results.wallSeconds.toFixed(0)} s`,
  );
  return lines.join('\n');
}

/** results.json: rounded numbers, stable key order, one row per metric. */
export function toJson(results: Results): string {
  const rows = results.rows.map((r) => ({
    case: r.case,
    metric: r.metric,
    unit: r.unit,
    runs: r.runs.map(round),
    median: round(r.median),
    spread: {
      min: round(r.spread.min),
      max: round(r.spread.max),
      q1: round(r.spread.q1),
      q3: round(r.spread.q3),
      iqr: round(r.spread.iqr),
    },
    reference: r.reference
      ? { label: r.reference.label, runs: r.reference.runs.map(round), median: round(r.reference.median) }
      : null,
    ratio: r.ratio === null ? null : round(r.ratio),
    target: r.target
      ? { text: r.target.text, subject: r.target.subject, op: r.target.op, threshold: round(r.target.threshold) }
      : null,
    pass: r.pass,
    note: r.note,
  }));
  const clean = (value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? null : value);
  const text = JSON.stringify(
    {
      machine: results.machine,
      wallSeconds: Math.round(results.wallSeconds),
      strict: results.strict,
      rows,
      errors: results.errors,
    },
    (_key, value: unknown) => clean(value),
    2,
  );
  // Arrays of numbers on one line each: shorter diffs when results.json is committed.
  return (
    text.replace(
      /\[\s*((?:-?[\d.e+-]+|null)(?:,\s*(?:-?[\d.e+-]+|null))*)\s*\]/g,
      (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`,
    ) + '\n'
  );
}
