import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import { connectWithToken, openPath, startHostFor, startSimulator, treeitem, waitForTransferDone } from './helpers';

const TOKEN = 'secret-pat-Zx81-never-leaves-main-7f3a';

test('the token never reaches the page, a WebSocket frame, a log line or a stored file in plain text', async ({
  page,
}) => {
  const sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.addToken({
    value: TOKEN,
    scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact', 'workspace:mail'],
  });
  const host = await startHostFor(sim);
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
  });
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  try {
    await page.goto(host.url);
    await connectWithToken(page, TOKEN);
    await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
    // Browse and download.
    await openPath(page, ['Lea Brunner', 'kDrive', 'Lea privat', 'Private', 'Fotos', 'Ferien Engadin 2025']);
    const name = 'IMG_2300.png';
    await treeitem(page, name).click();
    await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
    await waitForTransferDone(page, name);

    // The token went out once, in the `connections:add` call the user made, and never came back.
    const sent = frames.filter((f) => f.includes(TOKEN));
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!)).toMatchObject({ t: 'call', channel: 'connections:add' });
    const received = frames.filter((f) => !f.startsWith('{"t":"call"'));
    expect(received.length).toBeGreaterThan(10);
    for (const f of received) expect(f).not.toContain(TOKEN);

    const log = host.log();
    expect(log.length).toBeGreaterThan(200);
    expect(log).not.toContain(TOKEN);
    expect(consoleLines.join('\n')).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
    expect(readFileSync(join(host.dataDir, 'connections.json'), 'utf8')).not.toContain(TOKEN);
    expect(
      await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })),
    ).not.toContain('Zx81');

    // The storage origin (302 target) never got the token: the simulator's log says so.
    const storage = sim.log.entries().filter((e) => e.origin === 'storage');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((e) => !e.authorization)).toBe(true);
  } finally {
    await host.stop({ remove: true });
    await sim.close();
  }
});
