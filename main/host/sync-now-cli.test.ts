/**
 * `--sync-now` for cron, through the real command line (main/host/cli.ts in its own Node process,
 * bundled once per run by Vitest's global set-up; one test through `npm run host`'s script and tsx)
 * against the simulator: exactly one line on stdout, nothing on stderr when all went well,
 * the request log in `<data-dir>/sync-now.log` (on stderr only with --verbose), no built renderer
 * needed, and exit codes 0 (ok), 1 (errors), 2 (needs attention: a refused token).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { hostApp, hostEntry } from './test-support';

const TOKEN = 'sync-now-cli-token-0123456789';
const DRIVE = 7301;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const scenario: ScenarioInput = {
  name: 'sync-now-cli',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact'] }],
  calendars: [{ id: 1, name: 'Cron' }],
  accounts: [{ id: 73, name: 'Cron AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Cron',
      account_id: 73,
      tree: {
        common: [
          {
            name: 'Reports',
            children: [
              { name: 'q1.txt', content: 'first quarter' },
              { name: 'q2.txt', content: 'second quarter' },
            ],
          },
        ],
      },
    },
  ],
};

let sim: Simulator;
let dir: string;
let pairFolder: string;
let pairName: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'sync-now-cli-'));
  // A profile with one connection and one pair, made by the app itself; then the app is gone.
  const app = await hostApp(dir, { ...sim.env() });
  const connection = await app.connections.add(TOKEN, 'attempt-1');
  const reports = sim.idOf(DRIVE, '/Common documents/Reports')!;
  const created = await app.sync.create({ nodeId: `conn:${connection.id}/kdrive/drive:${DRIVE}/f:${reports}` });
  // The user pressed Start (a new pair waits for it; --sync-now leaves such a pair alone) while
  // Infomaniak answered errors: the pair is started, nothing is synced yet.
  sim.setFaults({ errorRate: 1 });
  await app.sync.runNow([created.pair.id]);
  sim.setFaults(null);
  pairFolder = created.pair.localPath;
  pairName = created.pair.name;
  await app.dispose();
}, 60_000);
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real command line; `viaScript`: through `npm run host`'s script (scripts/host.mjs). */
function syncNow(
  extra: string[] = [],
  viaScript = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(viaScript ? [join(projectRoot, 'scripts/host.mjs')] : hostEntry()),
      '--sync-now',
      '--data-dir',
      join(dir, 'data'),
      '--downloads-dir',
      join(dir, 'dl'),
      // no --renderer-dir: --sync-now serves no page and needs no build
      '--renderer-dir',
      join(dir, 'no-renderer-here'),
      ...extra,
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...sim.env() } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('--sync-now from the command line', () => {
  it('synced: exit 0, exactly one line on stdout, nothing on stderr, the requests in the log file', async () => {
    sim.log.reset();
    const { code, stdout, stderr } = await syncNow();
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^PowerOn Sources: 1 pair synced: 2 new, 0 updated, 0 moved, 0 trashed, 0 conflicts; no errors\n$/,
    );
    expect(code).toBe(0);
    expect(readdirSync(pairFolder).sort()).toEqual(['q1.txt', 'q2.txt']);
    const log = readFileSync(join(dir, 'data', 'sync-now.log'), 'utf8');
    expect(log).toMatch(/ GET https:\/\/127\.0\.0\.1:\d+\/3\/drive\/\d+\/files\/\d+\/files\?depth=unlimited/);
    expect(log).not.toContain(TOKEN);
    expect(sim.log.entries().length).toBeGreaterThan(0);
  }, 60_000);

  it("through npm run host's script: no build output, the same one line and exit code", async () => {
    const { code, stdout, stderr } = await syncNow([], true);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^PowerOn Sources: 1 pair synced: .*; no errors\n$/);
    expect(code).toBe(0);
  }, 60_000);

  it('--verbose: the same line on stdout, the log on stderr as well', async () => {
    const { code, stdout, stderr } = await syncNow(['--verbose']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/ GET https:\/\/127\.0\.0\.1:\d+\/\d\/drive\/\d+\//);
  }, 60_000);

  it('errors: exit 1, the line says why, stderr names the pair', async () => {
    sim.setFaults({ errorRate: 1 }); // every request of the api origin answers 500
    try {
      const { code, stdout, stderr } = await syncNow();
      expect(code).toBe(1);
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stdout).toContain('1 failed');
      expect(stderr).toBe(`PowerOn Sources: "${pairName}" failed: ${stdout.match(/1 failed \((.*)\)\n$/)?.[1]}\n`);
    } finally {
      sim.setFaults(null);
    }
  }, 60_000);

  it('a refused token: exit 2 (needs attention)', async () => {
    sim.revokeToken(TOKEN);
    try {
      const { code, stdout, stderr } = await syncNow();
      expect(code).toBe(2);
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stdout).toContain('1 needs attention');
      expect(stderr).toBe(
        `PowerOn Sources: "${pairName}" needs attention: The token was refused (revoked, expired or mistyped).\n`,
      );
    } finally {
      sim.restoreToken(TOKEN);
    }
  }, 60_000);
});
