/**
 * Issue 13.6: the transfers panel stays hidden when the user hid it, lists newest first in compact
 * rows, names files by their names, and can be resized.
 */
import { expect, test } from './shared-page';
import type { RunningHost } from './host';
import {
  connectWithToken,
  expectAxeClean,
  openPath,
  startHostFor,
  startSimulator,
  treeitem,
  DEMO_TOKEN,
} from './helpers';
import type { Simulator } from './helpers';

let sim: Simulator | undefined;
let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

test('hidden stays hidden, newest first, rows ≤ 40 px, Clear finished, resizable', async ({ page }) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  host = await startHostFor(sim);
  await page.goto(host.url);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await openPath(page, [/Lea Brunner/, 'kDrive', 'Muster AG', 'Muster AG', 'Common documents']);
  const panel = page.getByRole('region', { name: 'Transfers' });
  const download = page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true });

  // The first download opens the panel.
  await treeitem(page, 'Willkommen.txt').click();
  await download.click();
  await expect(panel.getByRole('listitem', { name: 'Willkommen.txt' }).getByText('Done', { exact: true })).toBeVisible({
    timeout: 30_000,
  });

  // Hidden by the user, it stays hidden for the next download; the summary still counts.
  await panel.getByRole('button', { name: 'Hide transfers' }).click();
  await openPath(page, [
    /Lea Brunner/,
    'kDrive',
    'Muster AG',
    'Muster AG',
    'Common documents',
    'Projekte',
    '2025 Website-Relaunch',
  ]);
  await treeitem(page, 'Design').click();
  await download.click();
  await expect(panel.getByRole('status')).toHaveText(/0 running, 2 done/, { timeout: 30_000 });
  await expect(panel.getByRole('list')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Show transfers' })).toBeVisible();

  // Shown again: newest first, compact rows, names never internal ids.
  await panel.getByRole('button', { name: 'Show transfers' }).click();
  const rows = panel.getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAccessibleName('Design');
  await expect(rows.nth(1)).toHaveAccessibleName('Willkommen.txt');
  await expect(rows.nth(0)).toContainText(/\d+ of \d+ files/);
  for (const name of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
    expect(name).not.toMatch(/^conn:/);
  for (const box of await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height)))
    expect(box).toBeLessThanOrEqual(40);

  // The panel can be resized with the keyboard on its handle.
  const before = (await panel.boundingBox())!.height;
  const handle = page.getByRole('separator', { name: 'Resize the transfers panel' });
  await handle.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeGreaterThan(before + 20);

  await expectAxeClean(page, 'transfers panel');

  // Clear finished empties the list.
  await panel.getByRole('button', { name: 'Clear finished' }).click();
  await expect(panel.getByRole('status')).toHaveText('No transfers');
});
