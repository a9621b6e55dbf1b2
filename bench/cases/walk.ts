/**
 * walk: a folder tree of 20,000 entries in 50 folders (the walked folder and 49 sub-folders of 399
 * files each, 400 in the walked folder) walked with the recursive listing (main/sources/kdrive-walk.ts), as folder downloads
 * and sync do. Counts the listing requests in the simulator's log (goal ≤ ⌈n/1000⌉ + 2) and times the
 * walk; reference: the same tree listed folder by folder (the walk before the recursive listing).
 */
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput } from '../../simulator/index';
import { listFolder, walkSubtree } from '../../main/sources/kdrive-walk';
import { appClient } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { onCleanup } from '../lib/resources';

const TOKEN = 'walk-bench-token-0123456789';
const DRIVE = 9101;
const FOLDERS = 49;
const LISTING = 'GET /3/drive/{drive}/files/{file}/files';

const scenario: ScenarioInput = {
  name: 'walk-bench',
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive'] }],
  accounts: [{ id: 1, name: 'Walk', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Walk',
      account_id: 1,
      tree: {
        common: [
          {
            name: 'Walk',
            // The rule puts 399 files in this folder and in each of its 49 folders; with readme.txt:
            // 49 + 50 × 399 + 1 = 20,000 entries in 50 folders.
            children: [{ name: 'readme.txt', size: 128 }],
            generate: {
              seed: 'walk',
              files: 399,
              dirs: FOLDERS,
              depth: 1,
              dir_name: 'folder-{i:02}',
              file_name: 'f-{i:03}.txt',
              size: 128,
            },
          },
        ],
      },
    },
  ],
};

export const walkCase: BenchCase = {
  name: 'walk',
  title: 'folder walk of 20,000 entries in 50 folders: requests and time',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    const client = appClient(sim.env(), TOKEN);
    const closeClient = onCleanup(() => client.close());
    try {
      const common = await client.get<Array<{ id: number; name: string }>>('api', `/3/drive/${DRIVE}/files/3/files`, {
        searchParams: { limit: 100 },
      });
      const walkId = common.data.find((f) => f.name === 'Walk')!.id;
      const runs = ctx.runs(5);
      const requests: number[] = [];
      const times: number[] = [];
      const refTimes: number[] = [];
      const refRequests: number[] = [];
      let entries = 0;
      for (let i = 0; i < runs; i++) {
        ctx.progress(`walk: run ${i + 1}/${runs}`);
        sim.log.reset();
        const t0 = performance.now();
        entries = 0;
        for await (const page of walkSubtree(client, DRIVE, walkId, { signal: new AbortController().signal }))
          entries += page.length;
        times.push(performance.now() - t0);
        requests.push(sim.log.entries().filter((e) => e.route === LISTING).length);
        // Reference: folder by folder, as folder downloads walked before.
        sim.log.reset();
        const r0 = performance.now();
        const pending = [walkId];
        let seen = 0;
        while (pending.length > 0) {
          const id = pending.shift()!;
          for await (const page of listFolder(client, DRIVE, id, new AbortController().signal)) {
            seen += page.files.length;
            for (const f of page.files) if (f.type === 'dir') pending.push(f.id);
          }
        }
        refTimes.push(performance.now() - r0);
        refRequests.push(sim.log.entries().filter((e) => e.route === LISTING).length);
        if (seen !== entries) throw new Error(`walk found ${entries} entries, folder by folder ${seen}`);
      }
      const goal = Math.ceil(entries / 1000) + 2;
      return [
        {
          case: 'walk',
          metric: `listing requests (${entries} entries)`,
          unit: 'req',
          runs: requests,
          reference: { label: 'folder by folder', runs: refRequests },
          target: { subject: 'every', op: '<=', threshold: goal, text: `≤ ⌈n/1000⌉ + 2 = ${goal} every run` },
        },
        {
          case: 'walk',
          metric: 'walk time',
          unit: 'ms',
          runs: times,
          reference: { label: 'folder by folder', runs: refTimes },
          target: null,
          note: 'no simulator latency or limit; the client paces 60 requests/min, so folder by folder (50 requests) waits for the budget',
        },
      ];
    } finally {
      await closeClient();
      await closeSim();
    }
  },
};
