/** Scenario loading and validation, and the CLI. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario, startSimulator } from '../index';
import type { ScenarioInput } from '../index';

const tmp = mkdtempSync(join(tmpdir(), 'sim-scenario-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const minimal = (extra: Record<string, unknown> = {}): ScenarioInput =>
  ({
    name: 't',
    tokens: [{ value: 'x', scopes: ['drive'] }],
    accounts: [{ id: 1, name: 'A' }],
    ...extra,
  }) as ScenarioInput;

function issuesOf(input: unknown): string[] {
  try {
    loadScenario(input as ScenarioInput);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues;
  }
  throw new Error('expected a ScenarioError');
}

describe('shipped scenarios', () => {
  it('demo, edge and scale validate', () => {
    for (const name of ['demo', 'edge', 'scale']) expect(loadScenario(name).name).toBe(name);
  });

  it('demo: two accounts, three drives, forty contacts, mail open, a pleasant rate limit and latency', () => {
    const s = loadScenario('demo');
    expect(s.accounts).toHaveLength(2);
    // Three drives of the user's accounts, and one of another person that only shares reach.
    expect(s.drives.filter((d) => s.accounts.some((a) => a.id === d.account_id))).toHaveLength(3);
    expect(s.drives.filter((d) => d.shared_with_me.length > 0).map((d) => d.name)).toEqual([
      'Team Zürich',
      'Keller Architektur',
    ]);
    expect(s.drives.filter((d) => d.extra_account_ids.length > 0).map((d) => d.name)).toEqual(['Team Zürich']);
    expect(s.addressbooks.reduce((n, b) => n + b.contacts.length, 0)).toBe(40);
    expect(s.mail.mode).toBe('open');
    expect(s.settings.rate_limit_per_minute).toBe(600);
    expect(s.tokens[0]?.value).toMatch(/^demo-poweron-token-/);
  });
});

describe('validation errors name the JSON path', () => {
  it('wrong types deep in a tree', () => {
    const issues = issuesOf(
      minimal({
        drives: [
          { id: 1, name: 'a', account_id: 1 },
          { id: 2, name: 'b', account_id: 1 },
          { id: 3, name: 'c', account_id: 1, tree: { common: [{ name: 'd', children: [{ name: 'f', size: true }] }] } },
        ],
      }),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^scenario drives\[2\]\.tree\.common\[0\]\.children\[0\]\.size: expected/),
    ]);
  });

  it('unknown keys, bad enums, missing fields', () => {
    const issues = issuesOf({
      name: 't',
      tokens: [{ value: 'x', scopes: [], colour: 'red' }],
      mail: { mode: 'half-open' },
      drives: [{ name: 'no id', account_id: 1 }],
    });
    expect(issues).toContain('scenario tokens[0]: unknown key colour');
    expect(issues.some((i) => i.startsWith('scenario mail.mode: expected one of'))).toBe(true);
    expect(issues.some((i) => i.startsWith('scenario drives[0].id: expected number'))).toBe(true);
  });

  it('cross references, duplicates and rules', () => {
    const issues = issuesOf(
      minimal({
        drives: [
          {
            id: 1,
            name: 'a',
            account_id: 99,
            tree: {
              common: [
                { name: 'same' },
                { name: 'same' },
                { name: 'g', generate: { seed: 's', files: 3, file_name: 'no-index.txt' } },
                { name: 'c', content: { text: 'a', base64: 'YQ==' } },
                { name: 'big', size: '12 parsecs' },
                { name: 'when', modified: 'yesterday-ish' },
              ],
            },
          },
        ],
        calendars: [{ name: 'k', events: [{ title: 'e', start: 'tomorrow', timezone: 'Mars/Olympus' }] }],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'scenario drives[0].account_id: unknown account 99',
        'scenario drives[0].tree.common[1].name: duplicate name "same"',
        'scenario drives[0].tree.common[2].generate.file_name: needs {i} to keep names unique',
        'scenario drives[0].tree.common[3].content: expected exactly one of text, base64, seed, image, pdf (got text, base64)',
        expect.stringMatching(/^scenario drives\[0\]\.tree\.common\[4\]\.size: /),
        expect.stringMatching(/^scenario drives\[0\]\.tree\.common\[5\]\.modified: expected a time/),
        expect.stringMatching(/^scenario calendars\[0\]\.events\[0\]\.start: expected "\+3d 09:30"/),
        expect.stringMatching(/^scenario calendars\[0\]\.events\[0\]\.timezone: expected an IANA time zone/),
      ]),
    );
  });

  it('startSimulator rejects, and loads a scenario file by path', async () => {
    await expect(startSimulator({ scenario: { name: 'x' } as ScenarioInput, quiet: true })).rejects.toThrow(
      /scenario tokens: /,
    );
    await expect(startSimulator({ scenario: 'no-such-scenario', quiet: true })).rejects.toThrow(/Unknown scenario/);
    const file = join(tmp, 'mine.json');
    writeFileSync(file, JSON.stringify(minimal()));
    expect(loadScenario(file).name).toBe('t');
    writeFileSync(join(tmp, 'broken.json'), '{ not json');
    expect(() => loadScenario(join(tmp, 'broken.json'))).toThrow(/not valid JSON/);
  });
});

function runCli(args: string[]): {
  child: ReturnType<typeof spawn>;
  out: Promise<string>;
  code: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { child, out: code.then(() => text), code };
}

describe('cli', () => {
  it('exits 2 with a clear message for a bad scenario', async () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', tokens: [{ value: 'x', scopes: 'drive' }] }));
    const run = runCli(['--scenario', file]);
    expect(await run.code).toBe(2);
    expect(await run.out).toContain('scenario tokens[0].scopes: expected array');
  });

  it('prints the endpoint overrides and the tokens, and answers /1/accounts', async () => {
    const dir = join(tmp, 'cli-data');
    const run = runCli(['--scenario', 'demo', '--data-dir', dir, '--quiet']);
    try {
      let text = '';
      run.child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
      for (let i = 0; i < 100 && !text.includes('TOKEN='); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = text.split('\n');
      expect(lines.slice(0, 6).map((l) => l.split('=')[0])).toEqual([
        'INFOMANIAK_API_URL',
        'INFOMANIAK_CALENDAR_URL',
        'INFOMANIAK_CONTACTS_URL',
        'INFOMANIAK_MAIL_URL',
        'INFOMANIAK_NOTIFY_URL',
        'NODE_EXTRA_CA_CERTS',
      ]);
      for (const l of lines.slice(0, 5)) expect(l).toMatch(/^INFOMANIAK_\w+_URL=https:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[5]).toBe(`NODE_EXTRA_CA_CERTS=${join(dir, 'ca.pem')}`);
      const token = /^TOKEN=(\S+) label="PowerOn Demo" scopes=(\S+) revoked=false$/m.exec(text);
      expect(token?.[2]).toBe('accounts,drive,workspace:calendar,workspace:contact,workspace:mail');
      const { readFileSync } = await import('node:fs');
      const agent = new Agent({ connect: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8') } });
      const res = await fetch(`${lines[0]!.split('=')[1]}/1/accounts`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token?.[1]}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: string }).result).toBe('success');
      await agent.close();
    } finally {
      run.child.kill('SIGINT');
      expect(await run.code).toBe(0);
    }
  });
});
