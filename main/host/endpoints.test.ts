/**
 * Issue 8.14: a stored token never follows whatever endpoints the environment names. A connection
 * made against the simulator, with a download interrupted by a shutdown, is restarted with every
 * INFOMANIAK_*_URL pointing at a plain-http logging server: until the user confirms the new
 * addresses, that server sees no request at all (so none carries the token), the connection needs
 * attention, and the interrupted transfer does not resume. After confirming, the token does go
 * there (which proves the logging server would have seen it).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { SourceNode } from '../../shared/model/sources';
import type { App } from '../app';
import { children, ctx, hostApp } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';

let sim: Simulator;
let logging: Server;
let loggingUrl: string;
const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  logging = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"result":"success","data":[]}');
  });
  await new Promise<void>((r) => logging.listen(0, '127.0.0.1', () => r()));
  loggingUrl = `http://127.0.0.1:${(logging.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sim?.close();
  logging?.closeAllConnections();
  await new Promise<void>((r) => logging?.close(() => r()));
});

/** The first downloadable file found breadth-first below the connection's kDrive. */
async function someFile(app: App): Promise<SourceNode> {
  let level = await app.handlers['sources:roots'](undefined, ctx);
  for (let depth = 0; depth < 6; depth++) {
    const file = level.find((n) => n.kind === 'file');
    if (file) return file;
    const next: SourceNode[] = [];
    for (const n of level.filter((x) => x.expandable && (x.service ?? 'kdrive') === 'kdrive').slice(0, 4))
      next.push(...(await children(app, n.id)));
    level = next;
  }
  throw new Error('no file found in the demo drive');
}

describe('stored endpoints (issue 8.14)', () => {
  it('sends nothing to new endpoints, not even a resuming transfer, until the user confirms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-endpoints-'));
    const simEnv = { ...sim.env() };
    const first = await hostApp(dir, simEnv);
    const conn = await first.connections.add(TOKEN, 'attempt-1');
    expect(conn.endpoints?.api).toBe(sim.urls.api);
    const file = await someFile(first);
    // The download hangs on the simulator, so the shutdown interrupts it.
    sim.setFaults({ hangRoutes: ['GET /2/drive/{drive}/files/{file}/download'] });
    await first.handlers['transfers:download']({ nodeIds: [file.id] }, ctx);
    await new Promise((r) => setTimeout(r, 300));
    await first.dispose();
    sim.setFaults(null);

    const elsewhere = {
      INFOMANIAK_API_URL: loggingUrl,
      INFOMANIAK_CALENDAR_URL: loggingUrl,
      INFOMANIAK_CONTACTS_URL: loggingUrl,
      INFOMANIAK_MAIL_URL: loggingUrl,
    };
    const second = await hostApp(dir, elsewhere);
    try {
      expect(second.transfers.list()).toHaveLength(1);
      const [stored] = second.connections.list();
      expect(stored).toMatchObject({ status: 'needs_attention', problem: { code: 'endpoints_changed' } });
      expect(stored?.problem?.message).toContain(loggingUrl);
      // Browsing the connection does not send anything either.
      const roots = await second.handlers['sources:roots'](undefined, ctx);
      for (const root of roots.filter((n) => n.expandable)) await children(second, root.id);
      await new Promise((r) => setTimeout(r, 500));
      expect(seen).toEqual([]);

      const confirmed = await second.handlers['connections:confirmEndpoints']({ id: conn.id }, ctx);
      expect(confirmed).toMatchObject({ status: 'active', endpoints: { api: loggingUrl } });
      expect(confirmed).not.toHaveProperty('problem');
      await (await second.connections.client(conn.id)).get('api', '/1/accounts');
      expect(seen.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      await second.dispose();
    }
  });

  it('a new notify host (INFOMANIAK_NOTIFY_URL) is a new address too: nothing goes there until confirmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-endpoints-notify-'));
    const first = await hostApp(dir, { ...sim.env() });
    const conn = await first.connections.add(TOKEN, 'attempt-1');
    expect(conn.endpoints?.notify).toBe(sim.urls.notify);
    await first.dispose();

    const second = await hostApp(dir, { ...sim.env(), INFOMANIAK_NOTIFY_URL: 'https://127.0.0.1:9' });
    try {
      const [stored] = second.connections.list();
      expect(stored).toMatchObject({ status: 'needs_attention', problem: { code: 'endpoints_changed' } });
      expect(stored?.problem?.message).toContain('notify: ');
    } finally {
      await second.dispose();
    }
    // Started without any notify host, a connection stays as it was: only the long-poll is off.
    const other = mkdtempSync(join(tmpdir(), 'host-endpoints-notify-off-'));
    const made = await hostApp(other, { ...sim.env() });
    await made.connections.add(TOKEN, 'attempt-2');
    await made.dispose();
    const { INFOMANIAK_NOTIFY_URL: _notify, ...withoutNotify } = sim.env();
    const third = await hostApp(other, withoutNotify);
    try {
      expect(third.connections.list()[0]).toMatchObject({ status: 'active' });
    } finally {
      await third.dispose();
    }
  });
});
