/**
 * The transfers' folder (`<data>/transfers`) holds each run's journal and, while it is unpacked, the
 * run's archive. The journal made the folder on its first write, in the background, and under load
 * a selection's archive came first and failed with "The folder …/transfers is missing" (seen in a
 * loaded unit run); `Journal.load` makes it now. Here the folder is made late on purpose: every
 * `mkdir` of a `transfers` folder waits a while first.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { kdriveManager, useSimulatorClient } from './test-support';

const LATE_MS = 300;
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const mkdir = (async (path: Parameters<typeof fs.mkdir>[0], options?: Parameters<typeof fs.mkdir>[1]) => {
    if (/[\\/]transfers$/.test(String(path))) await new Promise((resolve) => setTimeout(resolve, LATE_MS));
    return fs.mkdir(path, options);
  }) as typeof fs.mkdir;
  return { ...fs, mkdir, default: { ...fs, mkdir } };
});

const TOKEN = 'archive-folder-token-0123456789';
const DRIVE = 5511;
const scenario: ScenarioInput = {
  name: 'archive-folder',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 93, name: 'Folder AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Folder',
      account_id: 93,
      tree: {
        common: [{ name: 'Small', generate: { seed: 'small', files: 40, file_name: 'f-{i:02}.txt', size: 300 } }],
      },
    },
  ],
};

let sim: Simulator;
let client: InfomaniakClient;
let base: string;
useSimulatorClient(scenario, TOKEN, (s, c) => ((sim = s), (client = c)));
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'archive-folder-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

it('a folder as an archive on a first run: the transfers folder is there for the archive, however late the journal makes it', async () => {
  sim.setDownloads({ archives: 'on', mode: 'direct' });
  const smallId = sim.idOf(DRIVE, '/Common documents/Small')!;
  const m = kdriveManager({ client, dataDir: join(base, 'data'), describe: () => ({ kind: 'folder', name: 'Small' }) });
  const target = join(base, 'out');
  await m.start({ nodeIds: [`conn:c1/kdrive/drive:${DRIVE}/f:${smallId}`], folderMode: 'files', targetDir: target });
  await m.idle();
  const [t] = m.list();
  await m.dispose();
  expect(t?.error ?? null).toBeNull();
  expect(t).toMatchObject({ state: 'done', route: 'archive', filesDone: 40 });
  expect(await readdir(join(target, 'Small'))).toHaveLength(40);
});
