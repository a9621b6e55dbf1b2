/**
 * The built-in demo: the embedded simulator with its `demo` scenario, started on first use and
 * reached through the ordinary connection flow. Its CA is handed to the demo connection's client
 * only; nothing process-wide trusts it.
 */
import { join } from 'node:path';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { DemoProvider } from '../connections/connections';

export function createDemoProvider(options: { dataDir: string; log: (line: string) => void }): DemoProvider {
  let running: Promise<Simulator> | null = null;
  return {
    async start() {
      running ??= startSimulator({
        scenario: 'demo',
        dataDir: join(options.dataDir, 'demo-simulator'),
        quiet: true,
      }).catch((error: unknown) => {
        running = null;
        throw error;
      });
      const sim = await running;
      options.log(`demo: simulator on ${sim.urls.api}`);
      const token = sim.tokens.find((t) => !t.revoked);
      if (!token) throw new Error('The demo scenario has no usable token.');
      return {
        endpoints: {
          api: sim.urls.api,
          calendar: sim.urls.calendar,
          contacts: sim.urls.contacts,
          mail: sim.urls.mail,
          notify: sim.urls.notify,
        },
        ca: [sim.caPem],
        token: token.value,
      };
    },
    async stop() {
      const sim = running ? await running.catch(() => null) : null;
      running = null;
      await sim?.close();
    },
  };
}
