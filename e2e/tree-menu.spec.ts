import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import { PROJECT, detail, expectAxeClean, openPath, treeitem, useDemo } from './helpers';

const demo = useDemo();

const openDemo = (page: Page) => demo.open(page);

test('context menu: Copy path in kDrive copies the path Details shows (23.7); Open in the Infomaniak web app offers the kDrive page as a link; neither is offered where it does not apply', async ({
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
  await expect(menu.locator('[role="menuitem"] > span:first-child')).toHaveText([
    'Download',
    'Refresh',
    'Copy path in kDrive',
    'Open in the Infomaniak web app',
    'Details',
  ]);
  await expectAxeClean(page, 'context menu with node items');
  await menu.getByRole('menuitem', { name: 'Copy path in kDrive' }).click();
  await expect(menu).toBeHidden();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe('/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md');

  // The browser host offers the page as a link (a tab opened after the call could be blocked, 23.8).
  await sitemap.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Open in the Infomaniak web app' }).click();
  const note = page.getByRole('dialog', { name: 'Open “Sitemap.md” in the browser' });
  await expect(note).toBeVisible();
  const [tab] = await Promise.all([context.waitForEvent('page'), note.getByRole('link').click()]);
  await tab!.waitForLoadState();
  expect(tab!.url()).toMatch(new RegExp(`^https://kdrive\\.infomaniak\\.com/app/drive/\\d+/redirect/${fileId}$`));
  await tab!.close();
  await note.getByRole('button', { name: 'Close' }).click();

  // A connection has neither a path nor a web page; with two items selected, neither is offered.
  await treeitem(page, 'Lea Brunner', 1).click({ button: 'right' });
  await expect(menu.locator('[role="menuitem"] > span:first-child')).toHaveText(['Download', 'Refresh', 'Details']);
  await page.keyboard.press('Escape');
  await treeitem(page, 'Konzept.pdf').click();
  await treeitem(page, 'Sitemap.md').click({ modifiers: ['Control'] });
  await treeitem(page, 'Sitemap.md').click({ button: 'right' });
  await expect(menu.locator('[role="menuitem"] > span:first-child')).toHaveText(['Download', 'Refresh', 'Details']);
});

test('Copy path confirms: "Path of … copied" shows near the tree and is announced politely, then goes; a clipboard the browser refuses says what failed and what to do, and stays until dismissed', async ({
  page,
  context,
}) => {
  await openDemo(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.host.url).origin });
  await openPath(page, PROJECT);
  const sitemap = treeitem(page, 'Sitemap.md');
  const menu = page.getByRole('menu', { name: 'Actions' });
  const copyPath = async () => {
    await sitemap.click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Copy path in kDrive' }).click();
  };

  // The page's clock from here on, so the test can let the confirmation's 5 s pass at once.
  await page.clock.install();
  await copyPath();
  const copied = page.getByRole('status').filter({ hasText: 'Path of “Sitemap.md” copied' });
  await expect(copied).toBeVisible();
  await expect(copied).not.toHaveAttribute('aria-live', 'off');
  // Over the tree, but a confirmation never takes the clicks meant for the row under it.
  await expect(copied.locator('p')).toHaveCSS('pointer-events', 'none');
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe('/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md');
  await expectAxeClean(page, 'Copy path confirmation');
  // Transient: it goes by itself, and focus stayed on the row.
  await page.clock.runFor(6_000);
  await expect(copied).toBeHidden();
  await expect(sitemap).toBeFocused();

  // The browser refuses this page the clipboard.
  await page.evaluate(() =>
    Object.defineProperty(navigator.clipboard, 'writeText', {
      configurable: true,
      value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    }),
  );
  await copyPath();
  const failed = page.getByRole('status').filter({ hasText: 'The path of “Sitemap.md” could not be copied' });
  await expect(failed).toContainText('Allow clipboard access for this page in the browser, then try again.');
  await expect(failed.locator('p')).toHaveCSS('pointer-events', 'auto');
  await expectAxeClean(page, 'Copy path failure');
  // A failure is not transient: it stays until the user dismisses it.
  await page.clock.runFor(6_000);
  await expect(failed).toBeVisible();
  await failed.getByRole('button', { name: 'Dismiss' }).click();
  await expect(failed).toBeHidden();
});

test('paths and names agree (23.7): Copy path copies what Details shows; items without a kDrive path copy their location; account and drive of one name are told apart; "INBOX, 4 unread"', async ({
  page,
  context,
}) => {
  await openDemo(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.host.url).origin });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const menu = page.getByRole('menu', { name: 'Actions' });

  // A kDrive file: the menu says which path, and copies the one Details shows.
  await openPath(page, PROJECT);
  const konzept = treeitem(page, 'Konzept.pdf');
  await konzept.click();
  const shown = await detail(page, 'Path in kDrive');
  await konzept.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy path in kDrive' }).click();
  await expect.poll(clipboard).toBe(shown);

  // The account and the drive named "Muster AG" are read with their kind.
  await expect(treeitem(page, 'Muster AG', 3)).toHaveAccessibleDescription(/^Account/);
  await expect(treeitem(page, 'Muster AG', 4)).toHaveAccessibleDescription(/^Drive/);

  // A calendar event has no path in kDrive: its location, the same in the menu, the clipboard and Details.
  await openPath(page, [/Lea Brunner/, 'Calendar']);
  const arbeit = treeitem(page, 'Arbeit');
  await arbeit.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy location' }).click();
  await expect.poll(clipboard).toBe('Calendar / Arbeit');
  await arbeit.click();
  expect(await detail(page, 'Location')).toBe('Calendar / Arbeit');
  await expect(page.getByRole('status').filter({ hasText: 'Location of “Arbeit” copied' })).toBeVisible();

  // Mail: a folder's unread count is read as such.
  await openPath(page, [/Lea Brunner/, 'Mail', 'lea.brunner@muster-ag.ch']);
  const inbox = treeitem(page, /^(INBOX|Posteingang)$/).first();
  await expect(inbox).toHaveAccessibleDescription(/^\d+ unread$/);
  await expectAxeClean(page, 'paths and names');
});
