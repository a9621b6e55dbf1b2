/**
 * Issue 13.6: a download the server refuses for a while says "waiting for the server: trying again in
 * N s" and counts down, instead of an ETA of hours; once the server recovers it finishes. Faults
 * come from the simulator's controls (injected 503s with Retry-After on the download route, then none).
 */
import { expect, test } from './shared-page';
import { expectAxeClean, openPath, treeitem, useDemo } from './helpers';

const demo = useDemo();

const ROUTE = 'GET /2/drive/{drive}/files/{file}/download';

test('a refused download counts down to its next attempt, then finishes once the server recovers', async ({ page }) => {
  await demo.open(page);
  const sim = demo.sim;
  await openPath(page, [/Lea Brunner/, 'kDrive', 'Muster AG', 'Muster AG', 'Common documents']);

  // The server refuses the download with 503 and asks to come back in 6 s (long enough to watch it
  // count down; the client waits what the server asks, so a longer delay only makes the test slower).
  sim.setFaults({ errorRate: 1, errorRoutes: [ROUTE], errorStatus: 503, retryAfterSeconds: 6 });
  await treeitem(page, 'Willkommen.txt').click();
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();

  const row = page.getByRole('region', { name: 'Transfers' }).getByRole('listitem', { name: 'Willkommen.txt' });
  // As a phrase (23.10): "0 B of 111 B so far, waiting for the server: trying again in 9 s".
  const retrying = /so far, waiting for the server: trying again in (\d+) s/;
  await expect(row).toContainText(retrying, { timeout: 20_000 });
  const seconds = async () => Number(retrying.exec((await row.textContent()) ?? '')?.[1] ?? NaN);
  const first = await seconds();
  await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(first);
  await expect(row).not.toContainText(/left/);
  await expect(page.getByRole('region', { name: 'Transfers' })).not.toContainText(/ h \d+ min/);
  await expectAxeClean(page, 'retry countdown');

  // The server recovers: the next attempt succeeds and the countdown is gone.
  sim.setFaults(null);
  await expect(row.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(row).not.toContainText('trying again');
  const refused = sim.log.entries().filter((e) => e.route === ROUTE && e.status === 503);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(refused.length).toBeLessThanOrEqual(4);
});
