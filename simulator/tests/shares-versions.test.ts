/**
 * Shared with me, file versions, thumbnails and previews (issue 24.1–24.3), as docs/infomaniak-api.md
 * records them: the demo scenario's items shared by Jonas Keller (drive 640001, not one of the token's)
 * and by Sara Meier (drive 610002), and the three earlier versions of "Jahresbericht 2025 Entwurf.pdf".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, open } from './test-support';
import type { Client } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
let c: Client;

beforeAll(async () => {
  c = await open('demo', TOKEN);
  c.sim.setLatency({ fixedMs: 0, jitterMs: 0 });
});
afterAll(() => c.close());

interface SharedItem {
  id: number;
  name: string;
  type: string;
  drive_id: number;
  shared_by: number;
  size?: number;
}
interface Page<T> {
  result: string;
  data: T;
  cursor: string | null;
  has_more: boolean;
  response_at: number;
}

describe('shared with me', () => {
  it('the drive-independent route lists every item shared with the user, each with its own drive and sharer', async () => {
    const { status, body } = await c.json<Page<SharedItem[]>>('api', '/3/drive/files/shared_with_me?limit=5');
    expect(status).toBe(200);
    expect(body.data.map((i) => [i.name, i.drive_id, i.shared_by, i.type])).toEqual([
      ['Pläne Seefeldstrasse', 640001, 5501, 'dir'],
      ['Checkliste.md', 610002, 5502, 'file'],
      ['Offerte Umbau Büro.pdf', 640001, 5501, 'file'],
    ]);
    expect(body).toMatchObject({ cursor: null, has_more: false });
    expect(Number.isInteger(body.response_at)).toBe(true);
  });

  it('pages with a cursor (limit 5..1000)', async () => {
    expect((await c.req('api', '/3/drive/files/shared_with_me?limit=2')).status).toBe(422);
  });

  it('the per-drive route lists one reachable drive; a drive the token does not reach is 404', async () => {
    const own = await c.json<Page<SharedItem[]>>('api', '/3/drive/610002/files/shared_with_me');
    expect(own.body.data.map((i) => i.name)).toEqual(['Checkliste.md']);
    expect((await c.req('api', '/3/drive/640001/files/shared_with_me')).status).toBe(404);
  });

  it("a shared item and what is inside it are readable in the other drive; the drive's other files are not", async () => {
    const shared = (await c.json<Page<SharedItem[]>>('api', '/3/drive/files/shared_with_me')).body.data;
    const folder = shared.find((i) => i.type === 'dir')!;
    const offer = shared.find((i) => i.name === 'Offerte Umbau Büro.pdf')!;
    const listing = await c.json<Page<SharedItem[]>>('api', `/3/drive/640001/files/${folder.id}/files?limit=10`);
    expect(listing.body.data.map((f) => f.name)).toEqual([
      'Ansicht Süd.png',
      'Grundriss 2. OG.png',
      'Materialliste.csv',
    ]);
    // The demo answers downloads with a 302 to its storage origin.
    const download = async (id: number) => {
      const res = await c.req('api', `/2/drive/640001/files/${id}/download`);
      const location = res.headers.get('location');
      return location ? bytesOf(await c.fetchUrl(location)) : bytesOf(res);
    };
    expect((await download(listing.body.data[2]!.id)).toString()).toContain('Glaswand');
    expect((await download(offer.id)).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await c.req('api', '/3/drive/640001/files/1/files')).status).toBe(404);
    const notShared = c.sim.idOf(640001, '/Private/Nicht geteilt.txt')!;
    expect((await c.req('api', `/2/drive/640001/files/${notShared}/download`)).status).toBe(404);
  });

  it('people by id: /2/drive/users?user_ids[]=', async () => {
    const { body } = await c.json<{ data: Array<{ id: number; display_name: string; email: string }> }>(
      'api',
      '/2/drive/users?user_ids[]=5501',
    );
    expect(body.data).toEqual([expect.objectContaining({ id: 5501, display_name: 'Jonas Keller' })]);
  });
});

describe('file versions', () => {
  const FILE = '/Common documents/Projekte/2026 Jahresbericht/Jahresbericht 2025 Entwurf.pdf';

  it('lists the earlier versions newest first with size and times; each downloads its own bytes', async () => {
    const id = c.sim.idOf(610001, FILE)!;
    const { status, body } = await c.json<{
      data: Array<{ id: number; size: number; last_modified_at: number; updated_by: { display_name: string } }>;
      total: number;
    }>('api', `/3/drive/610001/files/${id}/versions`);
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.data.map((v) => v.id)).toEqual([3, 2, 1]);
    expect(body.data[0]!.last_modified_at).toBeGreaterThan(body.data[2]!.last_modified_at);
    expect(body.data[2]!.updated_by.display_name).toBe('Sara Meier');
    const oldest = await c.req('api', `/2/drive/610001/files/${id}/versions/1/download`);
    const bytes = await bytesOf(oldest);
    expect(bytes.length).toBe(body.data[2]!.size);
    expect(bytes.toString('latin1')).toContain('Entwurf 1');
    expect((await c.req('api', `/2/drive/610001/files/${id}/versions/9/download`)).status).toBe(404);
  });
});

describe('thumbnails and previews', () => {
  it('a PNG that fits the box for images, PDFs and videos; 404 for other files', async () => {
    const image = c.sim.idOf(610002, '/Common documents/Teamfotos/Sommerfest 1.png')!;
    const thumb = await c.req('api', `/2/drive/610002/files/${image}/thumbnail?width=400&height=400`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    const png = await bytesOf(thumb);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([400, 300]);
    const preview = await c.req('api', `/2/drive/610002/files/${image}/preview?width=640&height=480&quality=80`);
    expect((await bytesOf(preview)).readUInt32BE(16)).toBe(640);
    const text = c.sim.idOf(610002, '/Common documents/Onboarding/Checkliste.md')!;
    expect((await c.req('api', `/2/drive/610002/files/${text}/thumbnail`)).status).toBe(404);
    expect((await c.req('api', `/2/drive/610002/files/${image}/thumbnail?width=401`)).status).toBe(422);
  });
});

describe('without the drive-independent route', () => {
  it('answers 404 as a route the server does not have', async () => {
    const other = await open(
      {
        name: 'no-shares-route',
        settings: { shares_route: 'missing' },
        tokens: [{ value: 't-0123456789', scopes: ['drive'] }],
      },
      't-0123456789',
    );
    try {
      expect((await other.req('api', '/3/drive/files/shared_with_me')).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
