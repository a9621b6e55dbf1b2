/**
 * Test support for the transfer engine against the simulator: one simulator and client for the tests
 * of a file, a TransferManager over the kDrive adapter and a client (the app's wiring without
 * Electron), and the tree a download left on disk.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from '../sources/ids';
import { KdriveAdapter } from '../sources/kdrive';
import { clientFor, contextFor } from '../sources/test-support';
import { TransferManager } from './manager';
import type { TransferManagerDeps } from './manager';

/**
 * Starts a simulator of `scenario` and a client of `token` before the tests of the file and closes
 * both after them; `ready` receives them (the file keeps them in its own variables). The client's
 * budget is lifted: these tests count requests, none waits for the budget (the pacer's own tests
 * scale it down instead).
 */
export function useSimulatorClient(
  scenario: ScenarioInput,
  token: string,
  ready: (sim: Simulator, client: InfomaniakClient) => void,
): void {
  let sim: Simulator | undefined;
  let client: InfomaniakClient | undefined;
  beforeAll(async () => {
    sim = await startSimulator({ scenario, quiet: true });
    client = clientFor(sim, token, { limit: 100_000, windowMs: 1000 });
    ready(sim, client);
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
}

export interface KdriveManagerOptions {
  client: InfomaniakClient;
  dataDir: string;
  /** Kind and name of each node as the tree showed it (remembered with the transfer). */
  describe: NonNullable<TransferManagerDeps['describe']>;
  /** What the tree listed, by node id (sizes and names without a request). */
  listed?: Map<string, SourceNode>;
  extra?: Partial<TransferManagerDeps>;
}

/** A TransferManager that resolves nodes through the kDrive adapter and the given client. */
export function kdriveManager(options: KdriveManagerOptions): TransferManager {
  const adapter = new KdriveAdapter();
  const { client, listed } = options;
  return new TransferManager({
    dataDir: options.dataDir,
    concurrency: 3,
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: options.describe,
    resolve: (node, mode, signal) =>
      adapter.job(
        {
          ...contextFor(client, 'conn:c1/kdrive', listed),
          signal,
          hint: { kind: node.kind, name: node.name, parent: node.parent ?? null },
        },
        parseId(node.id)!,
        node.id,
        mode,
      ),
    onChange: () => undefined,
    log: process.env.DEBUG_ARCHIVE ? (line) => console.log(line) : undefined,
    ...options.extra,
  });
}

/** Every file and folder below `dir` ("a/", "a/b.txt"), sorted; links reported as such. */
export async function treeOf(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const abs = join(dir, name);
    const info = await lstat(abs);
    const rel = relative(root, abs);
    if (info.isSymbolicLink()) out.push(`${rel} -> link`);
    else if (info.isDirectory()) out.push(`${rel}/`, ...(await treeOf(abs, root)));
    else out.push(rel);
  }
  return out.sort();
}
