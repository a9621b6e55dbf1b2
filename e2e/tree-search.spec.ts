import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import { connectWithToken, openPath, startHostFor, startSimulator, treeitem, waitForTransferDone } from './helpers';
import type { Simulator } from './helpers';

const DEMO_TOKEN = 'demo-poweron-token-7f3a9c2e51d8';

let sim: Simulator;
let host: RunningHost;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

async function openDemo(page: Page) {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  host = await startHostFor(sim, { lang: 'en' });
  await page.goto(host.url);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
}

async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

test('the filter offers to search the current folder on the server: matches from unopened folders, one recursive listing, each shown in the tree or downloaded', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, ['Lea Brunner', 'kDrive', 'Muster AG', 'Muster AG', 'Common documents', 'Projekte']);
  await treeitem(page, 'Projekte').click();
  await page.getByRole('searchbox', { name: 'Filter loaded items' }).fill('SITEMAP');
  await expect(page.getByRole('status').filter({ hasText: 'No loaded item matches the filter.' })).toBeVisible();

  const before = sim.log.entries().length;
  await page.getByRole('button', { name: 'Search “Projekte” on the server' }).click();
  const results = page.getByRole('region', { name: 'Server search results' });
  await expect(results.getByRole('status')).toHaveText('1 item found in “Projekte”.', { timeout: 20_000 });
  const hit = results.getByRole('listitem');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('Sitemap.md');
  await expect(hit).toContainText('/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md');
  const requests = sim.log.entries().slice(before);
  expect(requests.filter((e) => e.path.includes('depth=unlimited'))).toHaveLength(1);
  expect(requests).toHaveLength(1);
  await expectAxeClean(page, 'server search results');

  await results.getByRole('button', { name: 'Show Sitemap.md in the tree' }).click();
  const row = treeitem(page, 'Sitemap.md');
  await expect(row).toHaveAttribute('aria-selected', 'true', { timeout: 20_000 });
  await expect(row).toBeFocused();
  await expect(treeitem(page, '2025 Website-Relaunch')).toHaveAttribute('aria-expanded', 'true');

  await results.getByRole('button', { name: 'Download Sitemap.md' }).click();
  await waitForTransferDone(page, 'Sitemap.md');
  expect(existsSync(join(host.downloadsDir, 'Sitemap.md'))).toBe(true);

  await results.getByRole('button', { name: 'Close results' }).click();
  await expect(results).toBeHidden();
});
