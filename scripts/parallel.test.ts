/**
 * `scripts/parallel.mjs`, which runs `npm test`'s static checks: each script's verdict and output,
 * the exit code, and with `--while`, the foreground script streaming at its own priority while
 * the others run at the lowest priority and print after it. Runs real npm scripts in a temporary
 * project.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/parallel.mjs');
const node = (code: string) => `node -e "${code}"`;
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
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: project, encoding: 'utf8', timeout: 60_000 });
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

  it('--while: a failing foreground or a failing other script fails the run, and both are said', () => {
    const foregroundFails = run('--while', 'fg-fails', 'quick');
    expect(foregroundFails.code).toBe(1);
    expect(foregroundFails.out).toContain('fg-ran');
    expect(foregroundFails.out).toContain('parallel: fg-fails FAILED');
    expect(foregroundFails.out).toContain('parallel: 1 of 2 passed');

    const otherFails = run('--while', 'fg', 'fails');
    expect(otherFails.code).toBe(1);
    expect(otherFails.out).toMatch(/> fails: FAILED \(exit 3\)/);
    expect(otherFails.out).toContain('parallel: 1 of 2 passed');
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
