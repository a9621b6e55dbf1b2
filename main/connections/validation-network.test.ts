/**
 * Issue 23.9: a token check without a network says "Can't reach Infomaniak" as soon as the
 * connection fails (refused, DNS), not after the client's retries, and never as "the token was
 * refused". A real client (the app's factory options) against a closed port and an unresolvable
 * name; the simulator's 401 for the token that is refused.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { createInfomaniakClient } from '../infomaniak/client';
import type { Endpoints } from '../infomaniak/types';
import { Connections } from './connections';
import type { ClientFactoryOptions } from './connections';
import { memoryStore } from '../settings/store';
import { testCipher } from './test-support';
import { Vault } from './vault';

/** The service as app.ts builds it, with a real client for each validation. */
function service(endpoints: Endpoints, ca: string[] = []) {
  const store = memoryStore();
  const steps: string[] = [];
  const svc = new Connections({
    store,
    vault: new Vault(store, testCipher),
    target: { endpoints, ca },
    demo: null,
    createClient: ({ token, endpoints: ep, ca: certs, onUnauthorized, retry }: ClientFactoryOptions) =>
      createInfomaniakClient({ token, endpoints: ep, ca: certs, onUnauthorized, ...(retry ? { retry } : {}) }),
    onChange: () => {},
    onProgress: (p) => steps.push(`${p.step}:${p.state}`),
    log: () => {},
  });
  return { svc, steps };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const everywhere = (base: string): Endpoints => ({ api: base, calendar: base, contacts: base, mail: base });

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await run();
    return { ms: performance.now() - start, error: null };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
});
afterAll(async () => {
  await sim.close();
});

describe('a token check without a network (23.9)', () => {
  it('a refused connection: "Can\'t reach Infomaniak" within a second, every step settled, not "token refused"', async () => {
    const { svc, steps } = service(everywhere(`https://127.0.0.1:${await closedPort()}`));
    const { ms, error } = await timed(() => svc.add('pat-wrong-token-0123456789', 'a1', true));
    console.info(`[validation] refused connection: ${ms.toFixed(0)} ms`);
    expect(error).toMatchObject({ code: 'network' });
    expect((error as Error).message).toMatch(/^Can't reach Infomaniak/);
    expect(ms).toBeLessThan(1500);
    // No step is left "running" (the list never stays on "Checking the token…").
    for (const step of ['accounts', 'label', 'drive'])
      expect(steps.filter((s) => s === `${step}:running`).length).toBeLessThanOrEqual(1);
    const last = new Map(steps.map((s) => s.split(':') as [string, string]));
    expect([...last.values()]).not.toContain('running');
  });

  it('a name that does not resolve (DNS): the same, fast', async () => {
    const { svc } = service(everywhere('https://api.poweron-test.invalid'));
    const { ms, error } = await timed(() => svc.add('pat-wrong-token-0123456789', 'a2', true));
    console.info(`[validation] DNS failure: ${ms.toFixed(0)} ms`);
    expect(error).toMatchObject({ code: 'network' });
    expect((error as Error).message).toMatch(/^Can't reach Infomaniak/);
    expect(ms).toBeLessThan(3000);
  });

  it('a reachable Infomaniak that refuses the token says so: token_invalid, not "can\'t reach"', async () => {
    const env = sim.env();
    const endpoints: Endpoints = {
      api: env.INFOMANIAK_API_URL!,
      calendar: env.INFOMANIAK_CALENDAR_URL!,
      contacts: env.INFOMANIAK_CONTACTS_URL!,
      mail: env.INFOMANIAK_MAIL_URL!,
    };
    const { svc } = service(endpoints, [sim.caPem]);
    const { error } = await timed(() => svc.add('pat-wrong-token-0123456789', 'a3', true));
    expect(error).toMatchObject({ code: 'token_invalid' });
  });
});
