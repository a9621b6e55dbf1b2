/**
 * `scripts/parallel.mjs`, which runs `npm test`'s static checks: each script's verdict and output,
 * the exit code, and with `--while`, the foreground script streaming at its own priority while
 * the others run at the lowest priority and print after it. Runs the scripts of a temporary
 * project: through npm itself without `--while`; with it, through a stand-in for npm that runs a
 * script as npm does (its command in a shell, its exit code passed on). At the lowest priority a
 * run waits behind every other process that wants the cores, and npm's own start costs about a
 * fifth of a CPU-second, twice the stand-in's: beside four busy loops a test of two such runs
 * through npm took 73 s, past its minute; now 20–25 s for a test of one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/parallel.mjs');
const node = (code: string) => `node -e "${code}"`;
const STAND_IN = 'stand-in-npm.mjs';
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'poweron-parallel-'));
  const scripts = {
    // The foreground: says its priority, then waits long enough for the quick ones to end first.
    fg: node("console.log('fg-prio=' + require('os').getPriority()); setTimeout(() => console.log('fg-done'), 1500)"),
    'fg-fails': node("console.log('fg-ran'); process.exit(4)"),
    quick: node("console.log('quick-prio=' + require('os').getPriority())"),
    fails: node("console.error('fails-said-why'); process.exit(3)"),
  };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'parallel-probe', private: true, scripts }));
  // parallel.mjs runs `<node> $npm_execpath run --silent <name>`: anything else is refused here.
  writeFileSync(
    join(project, STAND_IN),
    [
      "import { spawnSync } from 'node:child_process';",
      "import { readFileSync } from 'node:fs';",
      'const [verb, silent, name, ...rest] = process.argv.slice(2);',
      "const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));",
      "if (verb !== 'run' || silent !== '--silent' || rest.length > 0 || !(name in scripts)) {",
      "  console.error('stand-in npm: unexpected arguments ' + JSON.stringify(process.argv.slice(2)));",
      '  process.exit(2);',
      '}',
      "const result = spawnSync(scripts[name], { shell: true, stdio: 'inherit' });",
      'process.exit(result.status ?? 1);',
    ].join('\n'),
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs parallel.mjs in the project: with `--while`, through the stand-in for npm. */
function run(...args: string[]) {
  const env = args[0] === '--while' ? { ...process.env, npm_execpath: join(project, STAND_IN) } : process.env;
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: project,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('parallel.mjs', () => {
  it('runs every script, prints each one verdict with its output, and fails when one fails', () => {
    const { code, out } = run('quick', 'fails');
    expect(code).toBe(1);
    expect(out).toMatch(/> quick: passed in [\d.]+ s\nquick-prio=\d+/);
    expect(out).toMatch(/> fails: FAILED \(exit 3\) in [\d.]+ s\nfails-said-why/);
    expect(out).toContain('parallel: 1 of 2 passed');
  });

  it('passes when every script passes', () => {
    const { code, out } = run('quick', 'quick');
    expect(code).toBe(0);
    expect(out).toContain('parallel: 2 of 2 passed');
  });

  it('--while: the foreground keeps its priority and its output comes first; the others run at the lowest priority', () => {
    const { code, out } = run('--while', 'fg', 'quick');
    expect(code).toBe(0);
    const own = getPriority();
    expect(out).toContain(`fg-prio=${own}`);
    // The lowest priority there is (19 on Linux and macOS), lower than the foreground's.
    expect(out).toContain('quick-prio=19');
    expect(own).toBeLessThan(19);
    // `quick` ended long before the foreground, yet its block is printed after the foreground's output.
    expect(out.indexOf('fg-done')).toBeGreaterThan(-1);
    expect(out.indexOf('> quick: passed')).toBeGreaterThan(out.indexOf('fg-done'));
    expect(out).toContain('parallel: 2 of 2 passed (');
    expect(out).toContain('beside fg');
  });

  it('--while: a failing foreground fails the run, and it is said', () => {
    const { code, out } = run('--while', 'fg-fails', 'quick');
    expect(code).toBe(1);
    expect(out).toContain('fg-ran');
    expect(out).toContain('parallel: fg-fails FAILED');
    expect(out).toContain('parallel: 1 of 2 passed');
  });

  it('--while: a failing other script fails the run, and it is said', () => {
    const { code, out } = run('--while', 'fg', 'fails');
    expect(code).toBe(1);
    expect(out).toMatch(/> fails: FAILED \(exit 3\)/);
    expect(out).toContain('parallel: 1 of 2 passed');
  });

  it('--while: says what it still waits for when the foreground ends first', () => {
    const { code, out } = run('--while', 'quick', 'fg');
    expect(code).toBe(0);
    expect(out).toContain('parallel: waiting for 1 of 1 more');
    expect(out.indexOf('> fg: passed')).toBeGreaterThan(out.indexOf('waiting for'));
  });

  it('refuses --while without a foreground script', () => {
    const { code, out } = run('--while');
    expect(code).toBe(2);
    expect(out).toContain('usage:');
  });
});
