import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEventBus, createRouter } from '../ipc/router';
import type { Handlers } from '../ipc/router';
import { CHANNEL_NAMES } from '../../shared/ipc/contract';
import { startHostServer } from './server';
import type { HostServer } from './server';
import type { FlowLimits } from './peer-flow';

function rendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'host-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

const handlers = Object.fromEntries(CHANNEL_NAMES.map((n) => [n, () => `answer:${n}`])) as unknown as Handlers;

let server: HostServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(onFrame?: (d: 'in' | 'out', data: string) => void, flowLimits?: FlowLimits) {
  const bus = createEventBus();
  const lines: string[] = [];
  server = await startHostServer({
    router: createRouter(handlers, { isTrustedSender: (c) => c.transport === 'websocket' }),
    bus,
    rendererDir: rendererDir(),
    secret: 'a1b2c3d4e5f6',
    log: (line) => lines.push(line),
    ...(onFrame ? { onFrame } : {}),
    ...(flowLimits ? { flowLimits } : {}),
  });
  return { server, bus, lines };
}

/** Opens a WebSocket; resolves 'open' or the HTTP status of the refusal. */
function tryConnect(url: string, protocols: string[], origin: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { origin });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => resolve({ status: -1 }));
  });
}

describe('browser host server', () => {
  it('binds to 127.0.0.1 and prints a URL carrying the secret in the fragment', async () => {
    const { server } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=a1b2c3d4e5f6$/);
  });

  it('refuses a WebSocket without the per-run secret', async () => {
    const { server } = await start();
    const wsUrl = `ws://127.0.0.1:${server.port}/ipc`;
    expect((await tryConnect(wsUrl, [], server.origin)).status).toBe(401);
    expect((await tryConnect(wsUrl, ['poweron.wrongsecret00'], server.origin)).status).toBe(401);
  });

  it('refuses a WebSocket from a foreign Origin even with the secret', async () => {
    const { server } = await start();
    const wsUrl = `ws://127.0.0.1:${server.port}/ipc`;
    expect((await tryConnect(wsUrl, ['poweron.a1b2c3d4e5f6'], 'http://evil.example')).status).toBe(403);
    expect((await tryConnect(wsUrl, ['poweron.a1b2c3d4e5f6'], `http://localhost:${server.port}`)).status).toBe(403);
  });

  it('answers contract calls and pushes events to an authorised page', async () => {
    const frames: string[] = [];
    const { server, bus } = await start((_d, data) => frames.push(data));
    const { ws } = await tryConnect(`ws://127.0.0.1:${server.port}/ipc`, ['poweron.a1b2c3d4e5f6'], server.origin);
    expect(ws).toBeDefined();
    const messages: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      ws!.on('message', (m) => {
        messages.push(JSON.parse(m.toString()));
        if (messages.length === 3) resolve();
      }),
    );
    ws!.send(JSON.stringify({ t: 'call', id: 1, channel: 'settings:get' }));
    ws!.send(JSON.stringify({ t: 'call', id: 2, channel: 'connections:remove', arg: { id: '' } }));
    await new Promise((r) => setTimeout(r, 50));
    bus.emit('transfers:changed', { changed: [], removed: [] });
    await got;
    ws!.close();
    expect(messages).toContainEqual({ t: 'result', id: 1, result: { ok: true, value: 'answer:settings:get' } });
    expect(messages).toContainEqual(
      expect.objectContaining({ t: 'result', id: 2, result: expect.objectContaining({ ok: false }) }),
    );
    expect(messages).toContainEqual({ t: 'event', event: 'transfers:changed', payload: { changed: [], removed: [] } });
    expect(frames.length).toBeGreaterThanOrEqual(5);
  });

  it('drops a page that stops reading once its unread events pass the bound; a page that reads gets every event (25.8)', async () => {
    const limits = {
      maxInFlight: 4,
      pauseAtBytes: 64 * 1024,
      resumeAtBytes: 16 * 1024,
      dropAtBytes: 1024 * 1024,
      maxQueuedBytes: 1024 * 1024,
    };
    const { server, bus, lines } = await start(undefined, limits);
    const url = `ws://127.0.0.1:${server.port}/ipc`;
    const stalled = (await tryConnect(url, ['poweron.a1b2c3d4e5f6'], server.origin)).ws!;
    const good = (await tryConnect(url, ['poweron.a1b2c3d4e5f6'], server.origin)).ws!;
    stalled.pause(); // reads nothing from now on
    const dropped = () => lines.some((l) => l.startsWith('host: dropped a WebSocket peer that does not read'));
    let events = 0;
    good.on('message', (m) => {
      if ((JSON.parse(m.toString()) as { t: string }).t === 'event') events += 1;
    });
    const notice = { level: 'info' as const, code: 'big', message: 'x'.repeat(100_000) };
    let emitted = 0;
    // Far more than the kernel's socket buffers hold: the stalled page's share must pass the bound.
    while (!dropped() && emitted < 1000) {
      bus.emit('app:notice', notice);
      emitted += 1;
      await new Promise((r) => setImmediate(r));
    }
    expect(dropped()).toBe(true);
    expect(emitted).toBeLessThan(1000);
    // The stalled page, reading again, finds its connection closed.
    const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    stalled.resume();
    await closed;
    // The page that reads got every event and still gets answers.
    const answer = new Promise<unknown>((resolve) =>
      good.on('message', (m) => {
        const frame = JSON.parse(m.toString()) as { t: string };
        if (frame.t === 'result') resolve(frame);
      }),
    );
    good.send(JSON.stringify({ t: 'call', id: 9, channel: 'settings:get' }));
    expect(await answer).toEqual({ t: 'result', id: 9, result: { ok: true, value: 'answer:settings:get' } });
    expect(events).toBe(emitted);
    good.close();
  });

  it('serves the renderer with a CSP header and nothing outside its folder', async () => {
    const { server } = await start();
    const index = await fetch(`${server.origin}/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.origin}/assets/app.js`)).status).toBe(200);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x']) {
      const res = await fetch(`${server.origin}${path}`);
      expect([403, 404]).toContain(res.status);
    }
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405);
  });
});
