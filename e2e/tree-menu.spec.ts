import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { PROJECT, detail, expectAxeClean, openPath, treeitem, useDemo } from './helpers';

const demo = useDemo();

const openDemo = (page: Page) => demo.open(page);

test('context menu: Copy path copies the path as the tree shows it; Open in the Infomaniak web app opens the kDrive page in a new tab; neither is offered where it does not apply', async ({
  page,
  context,
}) => {
  await openDemo(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.host.url).origin });
  // No request leaves the machine: the web app's page is answered here.
  await context.route('https://kdrive.infomaniak.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>kDrive</title>' }),
  );
  await openPath(page, PROJECT);
  const sitemap = treeitem(page, 'Sitemap.md');
  await sitemap.click();
  const fileId = await detail(page, 'ID');

  const menu = page.getByRole('menu', { name: 'Actions' });
  await sitemap.click({ button: 'right' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Download',
    'Refresh',
    'Copy path',
    'Open in the Infomaniak web app',
    'Details',
  ]);
  await expectAxeClean(page, 'context menu with node items');
  await menu.getByRole('menuitem', { name: 'Copy path' }).click();
  await expect(menu).toBeHidden();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe('kDrive / Muster AG / Muster AG / Common documents / Projekte / 2025 Website-Relaunch / Sitemap.md');

  await sitemap.click({ button: 'right' });
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    menu.getByRole('menuitem', { name: 'Open in the Infomaniak web app' }).click(),
  ]);
  await tab!.waitForLoadState();
  expect(tab!.url()).toMatch(new RegExp(`^https://kdrive\\.infomaniak\\.com/app/drive/\\d+/redirect/${fileId}$`));
  await tab!.close();

  // A connection has neither a path nor a web page; with two items selected, neither is offered.
  await treeitem(page, 'Lea Brunner', 1).click({ button: 'right' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Download', 'Refresh', 'Details']);
  await page.keyboard.press('Escape');
  await treeitem(page, 'Konzept.pdf').click();
  await treeitem(page, 'Sitemap.md').click({ modifiers: ['Control'] });
  await treeitem(page, 'Sitemap.md').click({ button: 'right' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Download', 'Refresh', 'Details']);
});
