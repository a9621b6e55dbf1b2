/**
 * A transfer engine in its own process, for the kill -9 test (e2e/transfers-restart.spec.ts):
 * the app's Infomaniak client, kDrive adapter and TransferManager against the simulator, with no
 * node cache (as after a restart). `start` begins a folder download and runs until killed;
 * `restore` reloads transfers.json, runs to the end and prints the transfer list as JSON.
 */
import { readFileSync } from 'node:fs';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import { parseId } from '../../main/sources/ids';
import { KdriveAdapter } from '../../main/sources/kdrive';
import type { AdapterContext } from '../../main/sources/types';
import { TransferManager } from '../../main/transfers/manager';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';

interface ChildInput {
  mode: 'start' | 'restore';
  env: Record<string, string>;
  token: string;
  nodeId: string;
  name: string;
  dataDir: string;
  targetDir: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
  const { endpoints } = resolveEndpoints(input.env);
  const ca = readExtraCa(input.env, (path) => readFileSync(path, 'utf8'));
  const client = createInfomaniakClient({ token: input.token, endpoints, ca });
  const adapter = new KdriveAdapter();
  const manager = new TransferManager({
    dataDir: input.dataDir,
    concurrency: 2,
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    // At start the listing the user saw knows the node; after a restart nothing does.
    describe: (id) => (id === input.nodeId ? { kind: 'folder', name: input.name } : null),
    resolve: async (node, folderMode, signal) => {
      const parsed = parseId(node.id);
      if (!parsed) throw new Error('bad node id');
      const ctx: AdapterContext = {
        connectionId: 'c',
        serviceNodeId: 'conn:c/kdrive',
        client,
        settings: DEFAULT_SETTINGS,
        language: 'en',
        lookup: () => undefined,
        hint: node,
        signal,
        now: () => Date.now(),
      };
      return adapter.job(ctx, parsed, node.id, folderMode);
    },
    onChange: () => undefined,
  });
  if (input.mode === 'start') {
    await manager.start({ nodeIds: [input.nodeId], folderMode: 'files', targetDir: input.targetDir });
    process.stdout.write('started\n');
    await manager.idle();
    process.stdout.write('finished before the kill\n');
  } else {
    await manager.restore();
    await manager.idle();
    process.stdout.write(`${JSON.stringify(manager.list())}\n`);
  }
  await manager.dispose();
  await client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
