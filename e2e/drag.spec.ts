/**
 * Drag-out in the browser host: dragstart on a file puts Chromium's `DownloadURL` drag data on the
 * drag, with a one-time link that serves exactly the file's bytes once (then 403), refuses a foreign
 * Origin, and never carries the token or the run's secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Locator } from '@playwright/test';
import {
  connectWithToken,
  detail,
  fetchFromSimulator,
  openPath,
  sha256,
  startHostFor,
  startSimulator,
  treeitem,
  waitForTransferDone,
} from './helpers';

const TOKEN = 'secret-pat-Dr4g-never-leaves-main-91c2';
const LEA_PRIVAT = 620003;

/** Dispatches a dragstart on the row as Chromium would and returns the DownloadURL data it got. */
async function dragStartData(row: Locator): Promise<string> {
  return row.evaluate((el) => {
    const dt = new DataTransfer();
    el.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }));
    return dt.getData('DownloadURL');
  });
}

function parseDownloadUrl(data: string): { mime: string; name: string; url: string } {
  const first = data.indexOf(':');
  const second = data.indexOf(':', first + 1);
  return { mime: data.slice(0, first), name: data.slice(first + 1, second), url: data.slice(second + 1) };
}

/** Requests for file bodies (`…/files/{id}/download`) the simulator saw, for one file or all. */
function downloads(sim: { log: { entries(): Array<{ path: string; route: string }> } }, fileId?: string): number {
  return sim.log
    .entries()
    .filter((e) => e.route.endsWith('/files/{file}/download'))
    .filter((e) => fileId === undefined || e.path.includes(`/files/${fileId}/download`)).length;
}

test('dragging a file out of the browser: nothing fetched on selection; DownloadURL with a one-time link; the staged copy serves the Download; no token anywhere', async ({
  page,
}) => {
  const sim = await startSimulator({ scenario: 'demo', quiet: true });
  sim.addToken({ value: TOKEN, scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact'] });
  const host = await startHostFor(sim);
  const secret = new URL(host.url).hash.replace('#secret=', '');
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
  });
  try {
    await page.goto(host.url);
    await connectWithToken(page, TOKEN);
    await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
    await openPath(page, ['Lea Brunner', 'kDrive', 'Lea privat', 'Private', 'Fotos', 'Ferien Engadin 2025']);
    const name = 'IMG_2300.png';
    const row = treeitem(page, name);
    await row.click();
    const fileId = await detail(page, 'ID');

    // 20 selection moves over the folder's 12 files (issue 22.1): not one file is fetched.
    for (let i = 0; i < 20; i++) await page.keyboard.press(i < 11 ? 'ArrowDown' : 'ArrowUp');
    await expect(treeitem(page, 'IMG_2302.png')).toHaveAttribute('aria-selected', 'true');
    await row.click();
    const labelWidth = await row.locator('.st-label').evaluate((el) => el.getBoundingClientRect().width);

    // dragstart carries mime:filename:url (the link was fetched ahead, when the row was selected).
    let data = '';
    await expect
      .poll(async () => (data = await dragStartData(row)), { timeout: 10_000 })
      .toMatch(/^image\/png:IMG_2300\.png:http:\/\/127\.0\.0\.1:\d+\/drag\//);
    const link = parseDownloadUrl(data);
    expect(link.url.startsWith(`${host.origin}/drag/`)).toBe(true);
    expect(downloads(sim)).toBe(0);
    const selectionNoise = page.getByRole('status').filter({ hasText: /ready to drag|for dragging/ });
    expect(await selectionNoise.count()).toBe(0);

    // The drop uses the link: the file is staged now (one download) and served, once.
    const first = await fetch(link.url);
    expect(first.status).toBe(200);
    const served = Buffer.from(await first.arrayBuffer());
    expect((await fetch(link.url)).status).toBe(403);
    expect(downloads(sim, fileId)).toBe(1);

    // Only the dragged row says so, and the live region announces it; its name keeps its width.
    await expect(page.getByRole('status').filter({ hasText: `${name} is ready to drag.` })).toHaveCount(1, {
      timeout: 20_000,
    });
    const describedBy = (await row.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(texts).toContain('Ready to drag');
    expect(await page.locator('.st-drag').count()).toBe(1);
    expect(await row.locator('.st-label').evaluate((el) => el.getBoundingClientRect().width)).toBe(labelWidth);

    // A fresh link (the next drag) refuses a foreign Origin (without being used up by it).
    let next = '';
    await expect.poll(async () => (next = await dragStartData(row)), { timeout: 10_000 }).not.toBe('');
    const nextUrl = parseDownloadUrl(next).url;
    expect(nextUrl).not.toBe(link.url);
    expect((await fetch(nextUrl, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await fetch(nextUrl)).status).toBe(200);
    expect((await fetch(nextUrl)).status).toBe(403);

    // The keyboard equivalent, Ctrl+S: the browser host has no folder picker, so it downloads the
    // file — placed from the drag's staged copy: nothing is fetched again.
    await row.focus();
    await page.keyboard.press('Control+s');
    await waitForTransferDone(page, name);
    expect(downloads(sim, fileId)).toBe(1);
    const reference = await fetchFromSimulator(sim, `/2/drive/${LEA_PRIVAT}/files/${fileId}/download`, TOKEN);
    expect(sha256(served)).toBe(sha256(reference));
    expect(sha256(readFileSync(join(host.downloadsDir, name)))).toBe(sha256(reference));

    // The token and the run's secret appear in no drag data, link or frame.
    for (const text of [data, next, link.url, nextUrl]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(secret);
    }
    const dragFrames = frames.filter((f) => f.includes('drag:'));
    expect(dragFrames.length).toBeGreaterThan(2);
    const received = frames.filter((f) => !f.startsWith('{"t":"call"'));
    for (const f of received) expect(f).not.toContain(TOKEN);
    for (const f of frames.filter((f) => !f.includes('connections:add'))) expect(f).not.toContain(TOKEN);
    expect(host.log()).not.toContain(TOKEN);
  } finally {
    await host.stop({ remove: true });
    await sim.close();
  }
});
