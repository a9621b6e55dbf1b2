/**
 * Small statistics for the bench: median, quartiles, spread, ratio to a reference, and the check of
 * a row against its target. Pure functions, no I/O.
 */

/** The q-quantile (0..1) with linear interpolation between the two nearest ranks. NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (at - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export interface Spread {
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** Interquartile range q3 − q1. */
  iqr: number;
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { min: Number.NaN, max: Number.NaN, q1: Number.NaN, q3: Number.NaN, iqr: Number.NaN };
  const q1 = quantile(finite, 0.25);
  const q3 = quantile(finite, 0.75);
  return { min: Math.min(...finite), max: Math.max(...finite), q1, q3, iqr: q3 - q1 };
}

/** ours / reference; NaN when either is missing or the reference is 0. */
export function ratio(ours: number, reference: number): number {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return Number.NaN;
  return ours / reference;
}

/**
 * A target: `subject op threshold`. The subject is a statistic of the runs (`median`, the worst
 * case `max` / `min`), `every` run, or the `ratio` of the median to the reference median. The threshold is a
 * number the case computes from what it measured (e.g. "reference median + 150 ms"), never a
 * result written in advance.
 */
export interface Target {
  subject: 'median' | 'max' | 'min' | 'every' | 'ratio';
  op: '<' | '<=' | '>' | '>=' | '==';
  threshold: number;
  /** How the target reads in the table, e.g. "≤ 2.5× latency". */
  text: string;
}

export function meets(value: number, op: Target['op'], threshold: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(threshold)) return false;
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
  }
}

/** One measured quantity as a case reports it. */
export interface Measurement {
  case: string;
  metric: string;
  unit: string;
  runs: number[];
  reference?: { label: string; runs: number[] } | null;
  target?: Target | null;
  /** Short free text shown after the row (e.g. "= 2.1× latency"). */
  note?: string;
}

/** A measurement with its statistics and verdict, as printed and written to results.json. */
export interface ResultRow {
  case: string;
  metric: string;
  unit: string;
  runs: number[];
  median: number;
  spread: Spread;
  reference: { label: string; runs: number[]; median: number } | null;
  ratio: number | null;
  target: Target | null;
  /** null: no target (reported only). */
  pass: boolean | null;
  note: string | null;
}

export function summarize(m: Measurement): ResultRow {
  const med = median(m.runs);
  const reference = m.reference
    ? { label: m.reference.label, runs: [...m.reference.runs], median: median(m.reference.runs) }
    : null;
  const r = reference ? ratio(med, reference.median) : Number.NaN;
  const target = m.target ?? null;
  let pass: boolean | null = null;
  if (target) {
    const s = spread(m.runs);
    if (target.subject === 'every') {
      pass = m.runs.length > 0 && m.runs.every((v) => meets(v, target.op, target.threshold));
    } else {
      const subject =
        target.subject === 'median' ? med : target.subject === 'max' ? s.max : target.subject === 'min' ? s.min : r;
      pass = m.runs.length > 0 && meets(subject, target.op, target.threshold);
    }
  }
  return {
    case: m.case,
    metric: m.metric,
    unit: m.unit,
    runs: [...m.runs],
    median: med,
    spread: spread(m.runs),
    reference,
    ratio: Number.isFinite(r) ? r : null,
    target,
    pass,
    note: m.note ?? null,
  };
}

/** Rounds for display and JSON: 3 significant digits below 100, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value);
  if (abs >= 10) return Math.round(value * 10) / 10;
  if (abs >= 1) return Math.round(value * 100) / 100;
  return Math.round(value * 1000) / 1000;
}
