/** A kDrive file's versions and previews (issue 24.2, 24.3) against the simulator's demo. */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakClient } from '../infomaniak/client';
import { inLane } from '../infomaniak/lanes';
import { TransferManager } from '../transfers/manager';
import { FileExtras } from './file-extras';
import { parseId } from './ids';
import { KdriveAdapter } from './kdrive';
import { PreviewCache } from './preview-cache';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const DRIVE = 610001;
const FOLDER = '/Common documents/Projekte/2026 Jahresbericht';
let sim: Simulator;
let client: InfomaniakClient;
let base: string;
const nodes = new Map<string, SourceNode>();
const adapter = new KdriveAdapter();

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  client = clientFor(sim, TOKEN);
  base = await mkdtemp(join(tmpdir(), 'file-extras-'));
  for (const path of [FOLDER, `${FOLDER}/Bilder`]) {
    const id = `conn:c1/kdrive/drive:${DRIVE}/f:${sim.idOf(DRIVE, path)}`;
    const ctx = contextFor(client, 'conn:c1/kdrive', nodes);
    for (const page of await collect(adapter.list(ctx, parseId(id)!, id)))
      for (const n of page.nodes) nodes.set(n.id, n);
  }
});
afterAll(async () => {
  await client.close();
  await sim.close();
  await rm(base, { recursive: true, force: true });
});

const byName = (name: string) => [...nodes.values()].find((n) => n.name === name)!;
/** Pictures are written to the cache after they are returned: wait for `count` of them on disk. */
const stored = async (dir: string, count: number) =>
  expect.poll(async () => (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.pv')).length).toBe(count);
const requests = (route: string) => sim.log.entries().filter((e) => e.route === route).length;

function harness(cacheDir: string, maxBytes?: number) {
  const manager = new TransferManager({
    dataDir: join(base, 'transfers'),
    shell: { openPath: async () => undefined, showItemInFolder: async () => undefined },
    describe: (id) => ({ kind: 'file', name: nodes.get(id)?.name ?? '' }),
    resolve: (node, mode, signal) =>
      adapter.job({ ...contextFor(client, 'conn:c1/kdrive', nodes), signal }, parseId(node.id)!, node.id, mode),
    onChange: () => undefined,
  });
  const extras = new FileExtras({
    node: (id) => nodes.get(id),
    remember: (list) => list.forEach((n) => nodes.set(n.id, n)),
    client: async (_c, lane) => inLane(client, lane),
    download: (nodeIds, targetDir) => manager.start({ nodeIds, folderMode: 'files', targetDir }),
    downloadedPath: (id) => manager.completedFilesFor([id])[0] ?? null,
    downloadsDir: () => join(base, 'downloads'),
    cache: new PreviewCache({ dir: cacheDir, ...(maxBytes ? { maxBytes } : {}) }),
  });
  return { manager, extras };
}

describe('versions', () => {
  it('three versions listed with date, size and who; the oldest is saved beside the current file, which stays', async () => {
    const { manager, extras } = harness(join(base, 'previews-v'));
    try {
      const file = byName('Jahresbericht 2025 Entwurf.pdf');
      const target = join(base, 'reports');
      await manager.start({ nodeIds: [file.id], folderMode: 'files', targetDir: target });
      await manager.idle();
      const current = await readFile(join(target, 'Jahresbericht 2025 Entwurf.pdf'));
      sim.log.reset();
      const versions = await extras.versions(file.id);
      expect(requests('GET /3/drive/{drive}/files/{file}/versions')).toBe(1);
      expect(versions).toHaveLength(3);
      expect(versions.map((v) => v.by)).toEqual(['Lea Brunner', 'Sara Meier', 'Sara Meier']);
      for (const v of versions) {
        expect(v.size).toBeGreaterThan(0);
        expect(v.current).toBe(false);
      }
      const oldest = versions.at(-1)!;
      const at = new Date(oldest.modifiedAt!);
      const two = (n: number) => String(n).padStart(2, '0');
      const stamp = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}.${two(at.getMinutes())}`;
      expect(oldest.fileName).toBe(`Jahresbericht 2025 Entwurf (version ${stamp}).pdf`);

      const [transferId] = await extras.downloadVersion(oldest.nodeId);
      await manager.idle();
      expect(manager.list().find((t) => t.id === transferId)?.state).toBe('done');
      expect((await readdir(target)).sort()).toEqual([oldest.fileName, 'Jahresbericht 2025 Entwurf.pdf']);
      const saved = await readFile(join(target, oldest.fileName));
      expect(saved.length).toBe(oldest.size);
      expect(saved.toString('latin1')).toContain('Entwurf 1');
      expect((await readFile(join(target, 'Jahresbericht 2025 Entwurf.pdf'))).equals(current)).toBe(true);
    } finally {
      await manager.dispose();
    }
  });
});

describe('previews', () => {
  it('one request per picture, then from the disk cache, also after a restart', async () => {
    const dir = join(base, 'previews-a');
    const image = byName('Titelbild 1.png');
    sim.log.reset();
    const first = await harness(dir).extras.preview(image.id, 'small');
    expect(first?.mime).toBe('image/png');
    expect(Buffer.from(first!.base64, 'base64').readUInt32BE(16)).toBe(640);
    await stored(dir, 1);
    const again = harness(dir).extras; // a new cache object on the same folder: the app restarted
    expect(await again.preview(image.id, 'small')).toEqual(first);
    expect(requests('GET /2/drive/{drive}/files/{file}/preview')).toBe(1);
    // A PDF's picture is its thumbnail; a text file has none and costs nothing.
    const pdf = await again.preview(byName('Jahresbericht 2025 Entwurf.pdf').id, 'small');
    expect(pdf?.mime).toBe('image/png');
    expect(requests('GET /2/drive/{drive}/files/{file}/thumbnail')).toBe(1);
    expect(await again.preview(byName('Zahlen.csv').id, 'small')).toBeNull();
    expect(sim.log.entries()).toHaveLength(2);
  });

  it('asked twice at once, fetched once', async () => {
    const { extras } = harness(join(base, 'previews-b'));
    sim.log.reset();
    const image = byName('Titelbild 2.png');
    const [a, b] = await Promise.all([extras.preview(image.id, 'large'), extras.preview(image.id, 'large')]);
    expect(a).toEqual(b);
    expect(Buffer.from(a!.base64, 'base64').readUInt32BE(16)).toBe(1600);
    expect(sim.log.entries()).toHaveLength(1);
  });

  it('a damaged or foreign file in the cache is never served: damaged ones are fetched again', async () => {
    const dir = join(base, 'previews-c');
    const image = byName('Titelbild 3.png');
    const good = await harness(dir).extras.preview(image.id, 'small');
    await stored(dir, 1);
    const [own] = (await readdir(dir)).filter((n) => n.endsWith('.pv'));
    const data = await readFile(join(dir, own!));
    data.writeUInt8(data.readUInt8(data.length - 10) ^ 0xff, data.length - 10); // one byte of the picture changed
    await writeFile(join(dir, own!), data);
    await writeFile(join(dir, 'notes.txt'), 'not a preview');
    await writeFile(join(dir, `${'0'.repeat(64)}.pv`), '<svg onload="alert(1)"/>');
    sim.log.reset();
    expect(await harness(dir).extras.preview(image.id, 'small')).toEqual(good);
    expect(sim.log.entries()).toHaveLength(1);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('not a preview');
  });

  it('the cache stays within its bound, the least recently used picture out', async () => {
    const dir = join(base, 'previews-d');
    const cache = new PreviewCache({ dir, maxBytes: 2500 });
    const bytes = (n: number) => new Uint8Array(1000).fill(n);
    await cache.put('a'.repeat(64), bytes(1));
    await cache.put('b'.repeat(64), bytes(2));
    expect(await cache.get('a'.repeat(64))).toEqual(bytes(1)); // a used: b is now the oldest
    await cache.put('c'.repeat(64), bytes(3));
    expect(await cache.get('b'.repeat(64))).toBeNull();
    expect(await cache.get('a'.repeat(64))).toEqual(bytes(1));
    expect(await cache.size()).toBeLessThanOrEqual(2500);
    expect((await readdir(dir)).sort()).toEqual([`${'a'.repeat(64)}.pv`, `${'c'.repeat(64)}.pv`]);
  });
});
