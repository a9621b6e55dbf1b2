/**
 * npm run simulator -- --scenario demo|edge|scale|PATH [--port N] [--data-dir D] [--now ISO] [--quiet]
 * Prints the endpoint overrides the app reads and the scenario's tokens, then serves until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { ScenarioError, startSimulator } from './index';
import type { Simulator } from './index';

const USAGE = `Usage: npm run simulator -- --scenario demo|edge|scale|PATH [--port N] [--data-dir DIR] [--now ISO] [--quiet]

  --scenario  a shipped scenario (demo, edge, scale) or a path to a scenario JSON file
  --port      port of the api origin; calendar, contacts, mail, storage and notify use N+1..N+5 (default: random)
  --data-dir  where ca.pem, cert.pem and key.pem are written (default: a new temporary folder)
  --now       the simulator's "now" (ISO 8601), for reproducible relative dates
  --quiet     do not print each request`;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: { scenario?: string; port?: string; 'data-dir'?: string; now?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: 'string', short: 's' },
        port: { type: 'string', short: 'p' },
        'data-dir': { type: 'string' },
        now: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.scenario) fail(`Missing --scenario.\n\n${USAGE}`, 2);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65531) fail(`--port must be an integer from 1 to 65531`, 2);
  }
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) fail(`--now must be an ISO 8601 date`, 2);
  }

  let sim: Simulator;
  try {
    sim = await startSimulator({
      scenario: values.scenario,
      ...(port !== undefined ? { port } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(now ? { now } : {}),
      quiet: values.quiet ?? false,
    });
  } catch (error) {
    if (error instanceof ScenarioError) fail(error.message, 2);
    fail(`Could not start the simulator: ${(error as Error).message}`, 1);
  }

  const lines = Object.entries(sim.env()).map(([k, v]) => `${k}=${v}`);
  lines.push(`# storage origin (302 download targets): ${sim.urls.storage}`);
  lines.push('# tokens: value, label, scopes, revoked');
  for (const t of sim.tokens) {
    lines.push(
      `TOKEN=${t.value} label=${JSON.stringify(t.label ?? '')} scopes=${t.scopes.join(',') || '-'} revoked=${t.revoked}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
