import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import { expectAxeClean, openPath, treeitem, useDemo, waitForTransferDone } from './helpers';

const demo = useDemo();

const openDemo = (page: Page) => demo.open(page);

test('the filter offers to search the current folder on the server: matches from unopened folders, one recursive listing, each shown in the tree or downloaded', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, ['Lea Brunner', 'kDrive', 'Muster AG', 'Muster AG', 'Common documents', 'Projekte']);
  await treeitem(page, 'Projekte').click();
  await page.getByRole('searchbox', { name: 'Filter loaded items' }).fill('SITEMAP');
  await expect(page.getByRole('status').filter({ hasText: 'No loaded item matches the filter.' })).toBeVisible();

  const before = demo.sim.log.entries().length;
  await page.getByRole('button', { name: 'Search “Projekte” on the server' }).click();
  const results = page.getByRole('region', { name: 'Server search results' });
  await expect(results.getByRole('status')).toHaveText('1 item found in “Projekte”.', { timeout: 20_000 });
  const hit = results.getByRole('listitem');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('Sitemap.md');
  await expect(hit).toContainText('/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md');
  const requests = demo.sim.log.entries().slice(before);
  expect(requests.filter((e) => e.path.includes('depth=unlimited'))).toHaveLength(1);
  expect(requests).toHaveLength(1);
  await expectAxeClean(page, 'server search results');

  await results.getByRole('button', { name: 'Show Sitemap.md in the tree' }).click();
  const row = treeitem(page, 'Sitemap.md');
  await expect(row).toHaveAttribute('aria-selected', 'true', { timeout: 20_000 });
  await expect(row).toBeFocused();
  await expect(treeitem(page, '2025 Website-Relaunch')).toHaveAttribute('aria-expanded', 'true');
  // A filter that shows the item is left as it is.
  await expect(page.getByRole('searchbox', { name: 'Filter loaded items' })).toHaveValue('SITEMAP');

  await results.getByRole('button', { name: 'Download Sitemap.md' }).click();
  await waitForTransferDone(page, 'Sitemap.md');
  expect(existsSync(join(demo.host.downloadsDir, 'Sitemap.md'))).toBe(true);

  await results.getByRole('button', { name: 'Close results' }).click();
  await expect(results).toBeHidden();
});

test('Show in tree lifts a filter that hides the item: the filter is cleared (and says so), the folders down to it open, the item is selected, in view and focused', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, ['Lea Brunner', 'kDrive', 'Muster AG', 'Muster AG', 'Common documents', 'Projekte']);
  await treeitem(page, 'Projekte').click();
  const filter = page.getByRole('searchbox', { name: 'Filter loaded items' });
  await filter.fill('SITEMAP');
  await page.getByRole('button', { name: 'Search “Projekte” on the server' }).click();
  const results = page.getByRole('region', { name: 'Server search results' });
  await expect(results.getByRole('status')).toHaveText('1 item found in “Projekte”.', { timeout: 20_000 });

  // The user changes the filter; the results stay, and the new filter hides Sitemap.md.
  await filter.fill('Common');
  await expect(treeitem(page, 'Common documents')).toBeVisible();
  await expect(treeitem(page, 'Projekte')).toBeHidden();

  // A small window: the row is far below the tree's fold once the filter is gone.
  await page.setViewportSize({ width: 640, height: 480 });
  await results.getByRole('button', { name: 'Show Sitemap.md in the tree' }).click();
  const row = treeitem(page, 'Sitemap.md');
  await expect(row).toHaveAttribute('aria-selected', 'true', { timeout: 20_000 });
  await expect(row).toBeFocused();
  await expect(row).toBeInViewport();
  await expect(treeitem(page, '2025 Website-Relaunch')).toHaveAttribute('aria-expanded', 'true');
  await expect(filter).toHaveValue('');
  await expect(
    page.getByRole('status').filter({ hasText: 'The filter was cleared to show “Sitemap.md”.' }),
  ).toBeVisible();
  await expectAxeClean(page, 'item shown after the filter was cleared');
});
