import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/ipc/contract';
import { createEventBus, createRouter } from '../ipc/router';
import type { Handlers } from '../ipc/router';
import { createDragLinks } from './drag-url';
import type { DragBodySource, DragLinks } from './drag-url';
import { startHostServer } from './server';

const BYTES = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff));
const SECRET = 'the-run-secret-0123456789';

const source: DragBodySource & { opened: string[] } = {
  opened: [],
  async open(nodeId) {
    this.opened.push(nodeId);
    async function* body() {
      yield BYTES.subarray(0, 30_000);
      yield BYTES.subarray(30_000);
    }
    return { name: 'Grüsse "Q3".pdf', mime: 'application/pdf', size: BYTES.length, body: body(), cancel: () => {} };
  },
};

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
  source.opened = [];
});

async function linkServer(now: () => number = Date.now): Promise<{ links: DragLinks; origin: string }> {
  let origin = '';
  const links = createDragLinks({ secret: SECRET, origin: () => origin, source, now });
  const server: Server = createServer((req, res) => {
    if (!links.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { links, origin };
}

function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one-time drag links', () => {
  it('serve exactly the bytes once, then 403', async () => {
    const { links } = await linkServer();
    const { url } = links.issue('conn:c/kdrive/drive:1/f:7');
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.body.equals(BYTES)).toBe(true);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['content-disposition']).toBe(
      `attachment; filename="Gr_sse _Q3_.pdf"; filename*=UTF-8''${encodeURIComponent('Grüsse "Q3".pdf')}`,
    );
    expect(source.opened).toEqual(['conn:c/kdrive/drive:1/f:7']);
    expect((await get(url)).status).toBe(403);
    expect(source.opened).toHaveLength(1);
  });

  it('expire after 60 s', async () => {
    let now = 1_000_000;
    const { links } = await linkServer(() => now);
    const fresh = links.issue('n1');
    expect(fresh.expiresAt).toBe(now + 60_000);
    const stale = links.issue('n2');
    now += 60_000;
    expect((await get(stale.url)).status).toBe(403);
    now -= 1;
    expect((await get(fresh.url)).status).toBe(200);
  });

  it('refuse a foreign Origin, a cross-site fetch, another Host name, a forged mac and other methods', async () => {
    const { links, origin } = await linkServer();
    expect((await get(links.issue('n').url, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(links.issue('n').url, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(links.issue('n').url, { host: 'rebound.example:80' })).status).toBe(403);
    const { url } = links.issue('n');
    const forged = url.slice(0, -4) + (url.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await get(forged)).status).toBe(403);
    expect((await get(links.issue('n').url, {}, 'POST')).status).toBe(405);
    expect((await get(`${origin}/drag/nothing`)).status).toBe(403);
    // Our own page (same Origin) and a browser download (no Origin) are fine.
    expect((await get(links.issue('n').url, { origin })).status).toBe(200);
    expect((await get(links.issue('n').url, { 'sec-fetch-site': 'none' })).status).toBe(200);
    expect(source.opened).toHaveLength(2);
  });

  it('a request with the right nonce and a wrong mac does not use the link up (issue 25.11)', async () => {
    const { links } = await linkServer();
    const { url } = links.issue('conn:c/kdrive/drive:1/f:9');
    const nonce = /\/drag\/([^.]+)\./.exec(url)![1]!;
    // Whoever learns the nonce (a log, a screenshot of the URL bar) but not the mac cannot burn the link.
    const wrongMacs = [
      url.slice(0, -4) + (url.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
      url.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`),
    ];
    for (const forged of wrongMacs) {
      expect(forged).toContain(nonce);
      expect((await get(forged)).status).toBe(403);
    }
    expect(source.opened).toEqual([]);
    const genuine = await get(url);
    expect(genuine.status).toBe(200);
    expect(genuine.body.equals(BYTES)).toBe(true);
    // It stays one-time: used now, it is gone, with the right mac or a wrong one.
    expect((await get(url)).status).toBe(403);
    expect((await get(wrongMacs[0]!)).status).toBe(403);
    expect(source.opened).toEqual(['conn:c/kdrive/drive:1/f:9']);
  });

  it('are bound to the run: a link signed under another secret is refused, and the secret is not in it', async () => {
    const { links } = await linkServer();
    const { url } = links.issue('n');
    expect(url).not.toContain(SECRET);
    let origin = '';
    const other = createDragLinks({ secret: 'another-run', origin: () => origin, source });
    const server = createServer((req, res) => void other.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    expect((await get(url.replace(/^http:\/\/[^/]+/, origin))).status).toBe(403);
  });

  it('are served by the host server next to the renderer when it has a drag source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const handlers = Object.fromEntries(CHANNEL_NAMES.map((n) => [n, () => null])) as unknown as Handlers;
    const server = await startHostServer({
      router: createRouter(handlers, { isTrustedSender: () => true }),
      bus: createEventBus(),
      rendererDir: dir,
      secret: SECRET,
      drag: source,
    });
    closers.push(() => server.close());
    const { url } = server.issueDragLink!('n');
    expect(url.startsWith(`${server.origin}/drag/`)).toBe(true);
    expect((await get(url)).body.equals(BYTES)).toBe(true);
    expect((await get(url)).status).toBe(403);
    expect((await get(`${server.origin}/index.html`)).status).toBe(200);
  });
});
