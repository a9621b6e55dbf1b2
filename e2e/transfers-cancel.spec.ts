/**
 * Issue 10.4: cancelling a folder transfer aborts the listing request it is waiting for (the
 * transfer's signal reaches every request it causes). No browser: the transfer engine runs in the
 * test's process against the simulator, whose listing answers are slowed down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import { createInfomaniakClient } from '../main/infomaniak/client';
import { resolveEndpoints } from '../main/infomaniak/endpoints';
import { KdriveAdapter } from '../main/sources/kdrive';
import { Sources } from '../main/sources/service';
import type { Connections } from '../main/connections/connections';
import { TransferManager } from '../main/transfers/manager';
import { DEFAULT_SETTINGS } from '../shared/model/settings';
import { startSimulator, DEMO_TOKEN } from './helpers';

const DRIVE = 610001;

test('cancelling a folder transfer aborts its in-flight listing request at once', async () => {
  const sim = await startSimulator({ scenario: 'demo', quiet: true });
  const base = mkdtempSync(join(tmpdir(), 'transfers-cancel-'));
  const client = createInfomaniakClient({
    token: DEMO_TOKEN,
    endpoints: resolveEndpoints(sim.env()).endpoints,
    ca: [sim.caPem],
  });
  try {
    const folderId = sim.idOf(DRIVE, '/Common documents/Projekte');
    const nodeId = `conn:c/kdrive/drive:${DRIVE}/f:${folderId}`;
    // Every request takes 10 s: the folder's listing is in flight for long.
    sim.setLatency({ fixedMs: 10_000, jitterMs: 0 });
    // The sources service as the app builds it (only what `job` needs of the connections).
    const connections = { client: async () => client, list: () => [], onInvalidated: () => () => undefined };
    const sources = new Sources({
      connections: connections as unknown as Connections,
      adapters: [new KdriveAdapter()],
      settings: () => DEFAULT_SETTINGS,
      language: () => 'en',
      emitPage: () => undefined,
      log: () => undefined,
    });
    const manager = new TransferManager({
      dataDir: join(base, 'data'),
      shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
      describe: () => ({ kind: 'folder', name: 'Projekte' }),
      // As main/app.ts wires it.
      resolve: (node, folderMode, signal) => sources.job(node.id, folderMode, node, signal),
      onChange: () => undefined,
    });
    sim.log.reset();
    const [id] = await manager.start({ nodeIds: [nodeId], folderMode: 'files', targetDir: join(base, 'Downloads') });
    // The listing request has arrived and has no answer yet.
    await expect
      .poll(() => sim.log.entries().filter((e) => e.path.includes(`/files/${folderId}/files`)).length, {
        timeout: 5000,
      })
      .toBe(1);
    expect(sim.log.entries().find((e) => e.path.includes(`/files/${folderId}/files`))?.status).toBe(0);
    const began = Date.now();
    await manager.cancel(id!);
    const took = Date.now() - began;
    expect(manager.list()[0]).toMatchObject({ state: 'cancelled' });
    // Far less than the 10 s the answer would take: the request itself was aborted.
    expect(took).toBeLessThan(1500);
    await manager.dispose();
  } finally {
    await client.close();
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
});
