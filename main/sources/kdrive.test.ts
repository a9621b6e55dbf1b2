/** kDrive discovery against the simulator's edge scenario: /2/drive/init ∪ per-account listings. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import { KdriveAdapter } from './kdrive';
import { parseId } from './ids';
import { clientFor, collect, contextFor } from './test-support';

const SERVICE = 'conn:c1/kdrive';
let sim: Simulator;
const clients: InfomaniakClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'edge', quiet: true });
});
afterEach(() => sim.setFaults(null));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

async function children(token: string, nodeId = SERVICE, nodes = new Map<string, SourceNode>()): Promise<SourceNode[]> {
  const client = clientFor(sim, token);
  clients.push(client);
  const pages = await collect(new KdriveAdapter().list(contextFor(client, SERVICE, nodes), parseId(nodeId)!, nodeId));
  return pages.flatMap((p) => p.nodes);
}

/** Every drive below the service node, through account groups too. */
async function allDrives(token: string): Promise<SourceNode[]> {
  const top = await children(token);
  const drives = top.filter((n) => n.kind === 'drive');
  for (const group of top.filter((n) => n.kind === 'account')) drives.push(...(await children(token, group.id)));
  return drives;
}

describe('drive discovery', () => {
  it('a drive only in /2/drive/init is listed once; role "none" is hidden; a drive of two accounts shows once', async () => {
    const drives = await allDrives('edge-full-token');
    const names = drives.map((d) => d.name).sort();
    expect(names).toEqual(['Edge Cases', 'Geteilt', 'In Wartung', 'Partner Projekt', 'Standalone']);
    expect(sim.log.entries().some((e) => e.path.startsWith('/2/drive/init'))).toBe(true);
  });

  it('an account that owns exactly one drive shows the drive directly, without an account level', async () => {
    const top = await children('edge-full-token');
    expect(top.filter((n) => n.kind === 'account').map((n) => n.name)).toEqual(['Edge Org']);
    const standalone = top.find((n) => n.name === 'Standalone');
    expect(standalone?.kind).toBe('drive');
    expect(standalone?.details?.account).toContain('Standalone kDrive');
    expect(top.some((n) => n.name === 'Standalone kDrive')).toBe(false);
    expect(top.find((n) => n.name === 'Broken GmbH')?.kind).toBe('error');
  });

  it('a drive-only token (no accounts scope) still finds its drives through /2/drive/init', async () => {
    const drives = await allDrives('edge-drive-only-token');
    expect(drives.map((d) => d.name).sort()).toEqual([
      'Edge Cases',
      'Geteilt',
      'In Wartung',
      'Partner Projekt',
      'Standalone',
    ]);
  });

  it('when /2/drive/init fails, the per-account union still lists what it can', async () => {
    sim.setFaults({ errorRate: 1, errorRoutes: ['GET /2/drive/init'] });
    const drives = await allDrives('edge-full-token');
    expect(drives.map((d) => d.name).sort()).toEqual(['Edge Cases', 'Geteilt', 'In Wartung', 'Standalone']);
  });
});

describe('listing details', () => {
  it('a vault shows as a locked folder, neither opened nor downloaded, and a folder download skips it', async () => {
    const client = clientFor(sim, 'edge-full-token');
    clients.push(client);
    const adapter = new KdriveAdapter();
    const ctx = contextFor(client, SERVICE);
    const common = 'conn:c1/kdrive/drive:7001/f:3';
    const nodes = (await collect(adapter.list(ctx, parseId(common)!, common))).flatMap((p) => p.nodes);
    const vault = nodes.find((n) => n.name === 'Tresor');
    expect(vault).toMatchObject({ kind: 'folder', expandable: false, downloadable: false });
    expect(vault?.state?.kind).toBe('locked');
    const job = await adapter.job(ctx, parseId(common)!, common, 'files');
    const items = await collect(job.items);
    expect(items.some((i) => i.segments.includes('Tresor'))).toBe(false);
    expect(items.some((i) => i.segments.join('/') === 'Common documents/Chunked uploads/small-plain.txt')).toBe(true);
  });
});

describe('a whole drive as one zip', () => {
  it('asks for the children of the root (parent_id), never the root id as a file', async () => {
    const client = clientFor(sim, 'edge-full-token');
    clients.push(client);
    const drive = 'conn:c1/kdrive/drive:7002';
    const job = await new KdriveAdapter().job(contextFor(client, SERVICE), parseId(drive)!, drive, 'zip');
    const [zip] = await collect(job.items);
    const response = await (
      zip as { fetch: (r: object) => Promise<{ status: number; body: AsyncIterable<Uint8Array> }> }
    ).fetch({});
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.length;
    expect(response.status).toBe(200);
    expect(bytes).toBeGreaterThan(22);
  });
});
