/**
 * union: 6 accounts, one drive each, 150 ms latency per request. Ours: KdriveAdapter.union() from a
 * cold cache (a new adapter every call): /1/accounts, then the six drive listings concurrently.
 * Reference: the same client doing /1/accounts, then each /2/drive?account_id= one at a time
 * (7 round trips). Target: ours ≤ 2.5 × latency; both multiples are reported. Each run builds a
 * fresh client per side and times a "cold" call (TLS connections opened during it) and a "warm"
 * second call on the same client.
 */
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { KdriveAdapter } from '../../main/sources/kdrive';
import type { AdapterContext } from '../../main/sources/types';
import type { InfomaniakApi } from '../../main/infomaniak/types';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput } from '../../simulator/index';
import { measureColdWarm } from '../lib/api';
import type { ColdWarm } from '../lib/api';
import { onCleanup } from '../lib/resources';
import type { BenchCase } from '../lib/context';
import type { Measurement } from '../stats';

const LATENCY_MS = 150;
const ACCOUNTS = 6;
const TOKEN = 'bench-union-token';

export function unionScenario(): ScenarioInput {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: 7101 + i,
    name: `Bench account ${i + 1}`,
    type: 'owner' as const,
    legal_entity_type: 'company',
  }));
  return {
    name: 'bench-union',
    description: 'Six accounts with one drive each; 150 ms per request.',
    tokens: [{ value: TOKEN, label: 'bench', scopes: ['accounts', 'drive'], accounts: accounts.map((a) => a.id) }],
    accounts,
    drives: accounts.map((a, i) => ({
      id: 8101 + i,
      name: `Bench drive ${i + 1}`,
      account_id: a.id,
      tree: { common: [{ name: 'readme.txt', content: 'bench\n' }] },
    })),
    settings: { latency: { fixed_ms: LATENCY_MS, jitter_ms: 0 } },
  };
}

function adapterContext(client: InfomaniakApi, signal: AbortSignal): AdapterContext {
  return {
    connectionId: 'bench',
    serviceNodeId: 'conn:bench/kdrive',
    client,
    settings: DEFAULT_SETTINGS,
    language: 'en',
    lookup: () => undefined,
    signal,
    now: () => Date.now(),
  };
}

export const unionCase: BenchCase = {
  name: 'union',
  title: 'Drives of 6 accounts at 150 ms latency',
  async run(ctx) {
    const sim = await startSimulator({ scenario: unionScenario(), quiet: true });
    const close = onCleanup(() => sim.close());
    const env = sim.env();
    const runs = ctx.runs(7);
    const ours: ColdWarm = { cold: [], warm: [] };
    const reference: ColdWarm = { cold: [], warm: [] };

    const measure = (into: ColdWarm, call: (client: InfomaniakClient) => Promise<void>) =>
      measureColdWarm(env, TOKEN, into, call);
    // A new adapter per call: its per-session union cache starts cold every time.
    const union = async (client: InfomaniakClient) => {
      const value = await new KdriveAdapter().union(adapterContext(client, new AbortController().signal));
      if (value.drives.length !== ACCOUNTS || value.failures.length > 0) {
        throw new Error(`union found ${value.drives.length} drives and ${value.failures.length} failures`);
      }
    };
    const oneAtATime = async (client: InfomaniakClient) => {
      const accounts = await client.get<Array<{ id: number }>>('api', '/1/accounts');
      let drives = 0;
      for (const account of accounts.data) {
        const answer = await client.get<unknown[]>('api', '/2/drive', {
          searchParams: { account_id: account.id, page: 1, per_page: 100 },
        });
        drives += answer.data.length;
      }
      if (drives !== ACCOUNTS) throw new Error(`reference found ${drives} drives`);
    };

    try {
      await measure({ cold: [], warm: [] }, union);
      await measure({ cold: [], warm: [] }, oneAtATime);
      for (let i = 0; i < runs; i++) {
        ctx.progress(`union: run ${i + 1}/${runs}`);
        if (i % 2 === 0) {
          await measure(ours, union);
          await measure(reference, oneAtATime);
        } else {
          await measure(reference, oneAtATime);
          await measure(ours, union);
        }
      }
    } finally {
      await close();
    }

    const asLatency = (values: number[]) => values.map((ms) => ms / LATENCY_MS);
    const rows = (kind: 'cold' | 'warm', how: string): Measurement[] => [
      {
        case: 'union',
        metric: `drives listed, ×lat (${kind})`,
        unit: '×lat',
        runs: asLatency(ours[kind]),
        reference: { label: 'one at a time', runs: asLatency(reference[kind]) },
        target: { subject: 'median', op: '<=', threshold: 2.5, text: '≤ 2.5× latency' },
        note: `${how}; one-at-a-time is 7 round trips`,
      },
      {
        case: 'union',
        metric: `drives listed, ms (${kind})`,
        unit: 'ms',
        runs: ours[kind],
        reference: { label: 'one at a time', runs: reference[kind] },
        target: null,
      },
    ];
    return [
      ...rows('cold', 'fresh client: new TLS connections opened during the call on both sides'),
      ...rows('warm', 'second call on the same client: connections already open'),
    ];
  },
};
