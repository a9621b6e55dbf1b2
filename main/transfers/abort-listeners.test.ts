/**
 * A folder transfer must not pile abort listeners onto one AbortSignal (Node warned
 * "MaxListenersExceededWarning: … 11 abort listeners added to [AbortSignal]"): the run's signal
 * used to get a listener per queued file, per running file and per request, and one per file whose
 * name was taken, so the count grew with the folder. Counted here on every AbortSignal, at every
 * `addEventListener('abort')`, through the kDrive adapter, the transfer manager and the app's
 * client against the simulator.
 */
import { getEventListeners } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import type { Transfer } from '../../shared/model/transfers';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from '../sources/ids';
import { KdriveAdapter } from '../sources/kdrive';
import { contextFor } from '../sources/test-support';
import { TransferManager } from './manager';
import { useSimulatorClient } from './test-support';

const TOKEN = 'listeners-token-0123456789';
const DRIVE = 5801;
const FILES = 80;
/** Node's default limit: one more listener than this on one signal prints the warning. */
const NODE_LIMIT = 10;
const DOWNLOAD_ROUTE = 'GET /2/drive/{drive}/files/{file}/download';

const scenario: ScenarioInput = {
  name: 'abort-listeners',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 94, name: 'Listeners AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Listeners',
      account_id: 94,
      tree: { common: [{ name: 'Many', generate: { seed: 'many', files: FILES, size: 64 } }] },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let base: string;

useSimulatorClient(scenario, TOKEN, (s, c) => ((sim = s), (client = c)));
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'abort-listeners-'));
  sim.log.reset();
  // Every file by itself (the route with the most requests), each a little slow, so that the
  // file queue fills up as it does against the real server.
  sim.setDownloads({ archives: 'missing' });
  sim.setLatency({ fixedMs: 5, jitterMs: 0 });
});
afterEach(async () => {
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  await rm(base, { recursive: true, force: true });
});

interface ListenerCount {
  /** The most abort listeners one AbortSignal had at once. */
  most: number;
  /** Abort listeners added in all (to see that the count is not low because none were added). */
  added: number;
  warnings: string[];
  stop: () => void;
}

/** Counts abort listeners on every AbortSignal from now until `stop()`, and Node's warnings about them. */
function countAbortListeners(): ListenerCount {
  const original = EventTarget.prototype.addEventListener;
  const count: ListenerCount = { most: 0, added: 0, warnings: [], stop: () => undefined };
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') count.warnings.push(warning.message);
  };
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    ...args: Parameters<EventTarget['addEventListener']>
  ): void {
    original.apply(this, args);
    if (args[0] !== 'abort' || !(this instanceof AbortSignal)) return;
    count.added += 1;
    count.most = Math.max(count.most, getEventListeners(this, 'abort').length);
  };
  process.on('warning', onWarning);
  count.stop = () => {
    EventTarget.prototype.addEventListener = original;
    process.off('warning', onWarning);
  };
  return count;
}

async function downloadMany(dataDir: string, target: string): Promise<{ t: Transfer; count: ListenerCount }> {
  const adapter = new KdriveAdapter();
  const manager = new TransferManager({
    dataDir,
    concurrency: DEFAULT_SETTINGS.concurrency,
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: () => ({ kind: 'folder', name: 'Many' }),
    resolve: (node, mode, signal) =>
      adapter.job({ ...contextFor(client, 'conn:c1/kdrive'), signal }, parseId(node.id)!, node.id, mode),
    onChange: () => undefined,
  });
  const manyId = sim.idOf(DRIVE, '/Common documents/Many')!;
  const count = countAbortListeners();
  try {
    await manager.start({
      nodeIds: [`conn:c1/kdrive/drive:${DRIVE}/f:${manyId}`],
      folderMode: 'files',
      targetDir: target,
    });
    await manager.idle();
    // Node emits its warning on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    count.stop();
  }
  const [t] = manager.list();
  await manager.dispose();
  return { t: t!, count };
}

it(`a folder of ${FILES} files: abort listeners on any one signal stay few, and Node does not warn`, async () => {
  const { t, count } = await downloadMany(join(base, 'data'), join(base, 'out'));
  console.log(`abort listeners, ${FILES} files: at most ${count.most} on one signal, ${count.added} added in all`);

  expect(t).toMatchObject({ state: 'done', route: 'files', filesDone: FILES });
  expect(sim.log.entries().filter((e) => e.route === DOWNLOAD_ROUTE)).toHaveLength(FILES);
  expect(count.added).toBeGreaterThan(FILES);
  expect(count.warnings).toEqual([]);
  expect(count.most).toBeLessThanOrEqual(NODE_LIMIT);
});

it(`every name taken (${FILES} files kept both): the count does not grow with the folder`, async () => {
  const target = join(base, 'out');
  await downloadMany(join(base, 'data-1'), target);
  // Changed locally, so none of them is the same file already there (that one would not be asked about).
  for (const name of await readdir(join(target, 'Many'))) await writeFile(join(target, 'Many', name), 'mine');
  sim.log.reset();
  // Another transfer (no journal) into the same folder: each of its files finds its name taken.
  const { t, count } = await downloadMany(join(base, 'data-2'), target);
  console.log(
    `abort listeners, ${FILES} taken names: at most ${count.most} on one signal, ${count.added} added in all`,
  );

  expect(t).toMatchObject({ state: 'done', filesDone: FILES, keptBoth: FILES });
  expect(sim.log.entries().filter((e) => e.route === DOWNLOAD_ROUTE)).toHaveLength(FILES);
  expect(await readdir(join(target, 'Many'))).toHaveLength(2 * FILES);
  expect(count.added).toBeGreaterThan(FILES);
  expect(count.warnings).toEqual([]);
  expect(count.most).toBeLessThanOrEqual(NODE_LIMIT);
});
