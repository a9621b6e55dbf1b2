/**
 * `npm run bench [-- --strict] [-- --only connect,union] [-- --runs N]`
 *
 * Builds (npm does that first), starts the simulator, runs each case, prints one table of medians,
 * spreads and ratios to references measured in the same run, and writes bench/results.json.
 * Exit code: 0 after printing, unless `--strict` is given and a target was missed or a case failed.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimulator } from '../simulator/index';
import type { Simulator } from '../simulator/index';
import { archiveCase } from './cases/archive';
import { throttleCase } from './cases/throttle';
import { bundleCase } from './cases/bundle';
import { connectCase } from './cases/connect';
import { dragCase } from './cases/drag';
import { downloadCase } from './cases/download';
import { folderCase } from './cases/folder';
import { lanesCase } from './cases/lanes';
import { previewCase } from './cases/preview';
import { resetCase } from './cases/reset';
import { selectionCase } from './cases/selection';
import { syncCase } from './cases/sync';
import { unionCase } from './cases/union';
import { walkCase } from './cases/walk';
import { writerCase } from './cases/writer';
import type { BenchCase, BenchContext } from './lib/context';
import { cleanup, cleanupSync, onCleanup } from './lib/resources';
import { formatTable, machineInfo, toJson } from './report';
import type { CaseError, Results } from './report';
import { summarize } from './stats';
import type { ResultRow } from './stats';

const CASES: BenchCase[] = [
  connectCase,
  unionCase,
  folderCase,
  walkCase,
  archiveCase,
  selectionCase,
  lanesCase,
  previewCase,
  downloadCase,
  resetCase,
  writerCase,
  bundleCase,
  syncCase,
  dragCase,
  throttleCase,
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parse(argv: string[]): { strict: boolean; only: string[] | null; runs: number | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      strict: { type: 'boolean' },
      only: { type: 'string', multiple: true },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      `npm run bench [-- --strict] [-- --only <case>[,<case>…]] [-- --runs N]\ncases: ${CASES.map((c) => c.name).join(', ')}\n`,
    );
    process.exit(0);
  }
  const only = values.only
    ? values.only
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
    : null;
  for (const name of only ?? []) {
    if (!CASES.some((c) => c.name === name))
      throw new Error(`unknown case "${name}" (cases: ${CASES.map((c) => c.name).join(', ')})`);
  }
  const runs = values.runs === undefined ? null : Number(values.runs);
  if (runs !== null && (!Number.isInteger(runs) || runs < 1 || runs > 50)) throw new Error('--runs must be 1..50');
  return { strict: values.strict ?? false, only, runs };
}

async function main(): Promise<number> {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const started = performance.now();
  let scale: Promise<Simulator> | null = null;
  const ctx: BenchContext = {
    root,
    scale: () => {
      scale ??= startSimulator({ scenario: 'scale', quiet: true }).then((sim) => {
        onCleanup(() => sim.close());
        return sim;
      });
      return scale;
    },
    runs: (defaultRuns) => options.runs ?? defaultRuns,
    progress: (line) => process.stderr.write(`· ${line}\n`),
  };

  const rows: ResultRow[] = [];
  const errors: CaseError[] = [];
  const selected = CASES.filter((c) => !options.only || options.only.includes(c.name));
  for (const benchCase of selected) {
    const caseStart = performance.now();
    ctx.progress(`${benchCase.name}: ${benchCase.title}`);
    try {
      const measurements = await benchCase.run(ctx);
      rows.push(...measurements.map(summarize));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`bench: case ${benchCase.name} failed: ${error instanceof Error ? error.stack : message}\n`);
      errors.push({ case: benchCase.name, error: message.split('\n')[0] ?? message });
    }
    ctx.progress(`${benchCase.name}: ${((performance.now() - caseStart) / 1000).toFixed(1)} s`);
  }
  await cleanup();

  const results: Results = {
    machine: machineInfo(),
    wallSeconds: (performance.now() - started) / 1000,
    strict: options.strict,
    rows,
    errors,
  };
  process.stdout.write(`\n${formatTable(results)}\n`);
  const out = join(root, 'bench', 'results.json');
  writeFileSync(out, toJson(results));
  process.stdout.write(`written: ${out}\n`);

  const failed = rows.some((r) => r.pass === false) || errors.length > 0;
  return options.strict && failed ? 1 : 0;
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    void cleanup().finally(() => process.exit(1));
  },
);
