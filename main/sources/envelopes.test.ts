/**
 * Redirect and asynchronous envelopes: the simulator answers them, the client follows a redirect
 * envelope itself (main/infomaniak/envelope-redirect.ts), the adapters get typed data.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import { parseId } from './ids';
import { KdriveAdapter } from './kdrive';
import { clientFor, collect, contextFor } from './test-support';

const LISTING = 'GET /3/drive/{drive}/files/{file}/files';
let sim: Simulator;
let client: InfomaniakClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'edge', quiet: true });
  client = clientFor(sim, 'edge-full-token');
});
afterEach(() => sim.setEnvelopes(null));
afterAll(async () => {
  await client.close();
  await sim.close();
});

const common = 'conn:c1/kdrive/drive:7001/f:3';

describe('envelopes other than success', () => {
  it('a redirect envelope on a listing: the folder still lists, from the uri, on the same host', async () => {
    const direct = (
      await collect(new KdriveAdapter().list(contextFor(client, 'conn:c1/kdrive'), parseId(common)!, common))
    )
      .flatMap((p) => p.nodes)
      .map((n) => n.name);
    sim.setEnvelopes([{ route: LISTING, result: 'redirect', times: 1 }]);
    sim.log.reset();
    const ctx = contextFor(client, 'conn:c1/kdrive');
    const names = (await collect(new KdriveAdapter().list(ctx, parseId(common)!, common)))
      .flatMap((p) => p.nodes)
      .map((n) => n.name);
    expect(names).toEqual(direct);
    expect(sim.log.entries().filter((e) => e.route === LISTING)).toHaveLength(2);
  });

  it('every caller of the client gets the data behind it, each hop a request counted like any', async () => {
    sim.setEnvelopes([{ route: LISTING, result: 'redirect', times: 1 }]);
    sim.log.reset();
    let sent = 0;
    const answer = await client.get('api', '/3/drive/7001/files/3/files', {
      searchParams: { limit: 10 },
      onRequest: () => sent++,
    });
    expect(answer.redirectUri).toBeUndefined();
    expect(Array.isArray(answer.data)).toBe(true);
    expect(sim.log.entries().filter((e) => e.route === LISTING)).toHaveLength(2);
    expect(sent).toBe(2);
  });

  it('an asynchronous envelope keeps its data (a zip is still created)', async () => {
    sim.setEnvelopes([{ route: 'POST /3/drive/{drive}/files/archives', result: 'asynchronous' }]);
    const ctx = contextFor(client, 'conn:c1/kdrive');
    const folder = 'conn:c1/kdrive/drive:7001/f:3';
    const job = await new KdriveAdapter().job(ctx, parseId(folder)!, folder, 'zip');
    expect(job.kind).toBe('zip');
    const [zip] = await collect(job.items);
    const response = await (zip as { fetch: (r: object) => Promise<{ status: number; cancel(): void }> }).fetch({});
    expect(response.status).toBe(200);
    response.cancel();
    expect(sim.log.entries().some((e) => e.route === 'POST /3/drive/{drive}/files/archives' && e.status === 201)).toBe(
      true,
    );
  });
});
