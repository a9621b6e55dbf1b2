/**
 * The tree's channels through the whole app as the browser host builds it, against the demo
 * simulator: sources:search (matches, one recursive listing, cancel, refusal outside kDrive),
 * sources:openWebApp (the host hands the URL back) and app:copyText (the host leaves it to the page).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import { appErrorFrom } from '../errors/app-error';
import type { App } from '../app';
import { ctx, hostApp, nodeAt } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const PROJECTS = ['Lea Brunner', 'kDrive', 'Muster AG', 'Muster AG', 'Common documents', 'Projekte'];

let sim: Simulator;
let app: App;

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  app = await hostApp(mkdtempSync(join(tmpdir(), 'host-tree-')), { ...sim.env() });
  await app.connections.add(TOKEN, 'attempt-1');
});

afterAll(async () => {
  await app?.dispose();
  await sim?.close();
});

describe('tree channels', () => {
  it('sources:search finds a file in unopened folders with one recursive listing; the match can be downloaded', async () => {
    const projects = await nodeAt(app, PROJECTS);
    sim.log.reset();
    const result = await app.handlers['sources:search']({ nodeId: projects.id, query: 'sitemap', searchId: 's1' }, ctx);
    expect(result.hits.map((h) => h.path)).toEqual(['/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md']);
    expect(result.truncated).toBe(false);
    expect(sim.log.entries().map((e) => e.route)).toEqual(['GET /3/drive/{drive}/files/{file}/files']);
    // Main remembers the match: a transfer of it knows its name.
    const { transferIds } = await app.handlers['transfers:download']({ nodeIds: [result.hits[0]!.node.id] }, ctx);
    expect(app.transfers.list().find((t) => t.id === transferIds[0])?.name).toBe('Sitemap.md');
  });

  it('sources:cancelSearch stops a running search with "cancelled"', async () => {
    const projects = await nodeAt(app, PROJECTS);
    sim.setLatency({ fixedMs: 1500, jitterMs: 0 });
    try {
      const running = Promise.resolve(
        app.handlers['sources:search']({ nodeId: projects.id, query: 'a', searchId: 's2' }, ctx),
      );
      await new Promise((r) => setTimeout(r, 200));
      await app.handlers['sources:cancelSearch']({ searchId: 's2' }, ctx);
      const code = await running.then(
        () => 'finished',
        (error: unknown) => appErrorFrom(error).code,
      );
      expect(code).toBe('cancelled');
    } finally {
      sim.setLatency({ fixedMs: 0, jitterMs: 0 });
    }
  });

  it('refuses to search outside kDrive folders, with a sentence that says what to do', async () => {
    const kdrive = await nodeAt(app, ['Lea Brunner', 'kDrive']);
    await expect(
      app.handlers['sources:search']({ nodeId: kdrive.id, query: 'x', searchId: 's3' }, ctx),
    ).rejects.toThrow('Searching on the server works in kDrive drives and folders: select one first.');
  });

  it('sources:openWebApp hands the host page the kDrive URL; app:copyText is left to the page', async () => {
    const projects = await nodeAt(app, PROJECTS);
    const answer = await app.handlers['sources:openWebApp']({ nodeId: projects.id }, ctx);
    expect(answer.opened).toBe(false);
    expect(answer.url).toMatch(/^https:\/\/kdrive\.infomaniak\.com\/app\/drive\/\d+\/redirect\/\d+$/);
    await expect(app.handlers['sources:openWebApp']({ nodeId: 'conn:nobody/kdrive/drive:1/f:2' }, ctx)).rejects.toThrow(
      'not known',
    );
    expect(() => app.handlers['app:copyText']({ text: 'x' }, ctx)).toThrow('copies in the page');
  });
});
