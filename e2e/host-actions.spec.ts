/**
 * Issue 23.8: in the browser host, what would start a program on the computer the host runs on
 * ("Open the token page", "Open", "Show in folder", "Open folder", "Open in the web app") says what
 * happened and offers the path or link to copy; what the host cannot do is not offered (the tray's
 * settings, Save to…). Issue 23.10: Settings' sync options are one labelled group.
 */
import { join } from 'node:path';
import { expect, test } from './shared-page';
import { EXTERNAL_PAGES } from '../shared/model/external-pages';
import { PROJECT, expectAxeClean, openPath, treeitem, useDemo } from './helpers';

const demo = useDemo();

test('the browser host opens nothing on its computer: each such action says so with the path or link to copy; it offers no tray and no Save to…', async ({
  page,
  context,
}) => {
  await demo.open(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.host.url).origin });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  // The token page (Add dialog): a link to open in a tab, and to copy.
  await page.getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('dialog', { name: 'Connections' }).getByRole('button', { name: 'Add connection' }).click();
  const add = page.getByRole('dialog', { name: 'Connect Infomaniak' });
  await add.getByRole('button', { name: 'Open the token page of the Infomaniak Manager' }).click();
  const tokenNote = page.getByRole('dialog', { name: 'Open the token page of the Infomaniak Manager' });
  await expect(tokenNote.getByRole('link')).toHaveAttribute('href', EXTERNAL_PAGES.tokenPage);
  await tokenNote.getByRole('button', { name: 'Copy link' }).click();
  await expect(tokenNote.getByRole('status')).toHaveText('Copied.');
  expect(await clipboard()).toBe(EXTERNAL_PAGES.tokenPage);
  await expectAxeClean(page, 'token page note');
  await tokenNote.getByRole('button', { name: 'Close' }).click();
  await expect(add).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // Open and Show in folder on a download: where the file is, to copy.
  await openPath(page, PROJECT);
  await treeitem(page, 'Sitemap.md').click();
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  const transfers = page.getByRole('region', { name: 'Transfers' });
  const row = transfers.getByRole('listitem', { name: 'Sitemap.md' });
  await expect(row.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  await row.getByRole('button', { name: 'Open: Sitemap.md' }).click();
  const fileNote = page.getByRole('dialog', { name: 'Open “Sitemap.md” yourself' });
  const path = join(demo.host.downloadsDir, 'Sitemap.md');
  await expect(fileNote.locator('code')).toHaveText(path);
  await fileNote.getByRole('button', { name: 'Copy path' }).click();
  await expect.poll(clipboard).toBe(path);
  await expectAxeClean(page, 'file note');
  await page.keyboard.press('Escape');
  await row.getByRole('button', { name: 'Show in folder: Sitemap.md' }).click();
  await expect(
    page.getByRole('dialog', { name: 'Open the folder of “Sitemap.md” yourself' }).locator('code'),
  ).toHaveText(path);
  await page.keyboard.press('Escape');

  // No Save to… without a folder picker: not in the menu, not in the toolbar, not in the sheet.
  await treeitem(page, 'Sitemap.md').click({ button: 'right' });
  await expect(page.getByRole('menu').getByRole('menuitem', { name: 'Save to…' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Download to…' })).toHaveCount(0);
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).not.toContainText('Save to');
  await page.keyboard.press('Escape');

  // A sync pair's folder: where it is.
  await treeitem(page, 'Marketing').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  await details.getByRole('button', { name: 'Create sync pair' }).click();
  const sync = page.getByRole('region', { name: 'Sync' });
  await sync.getByRole('button', { name: 'Open folder' }).click();
  await expect(
    page.getByRole('dialog', { name: 'Open the folder of “Marketing” yourself' }).locator('code'),
  ).toHaveText(/PowerOn Sources.*Marketing$/);
  await page.keyboard.press('Escape');

  // Settings: no tray and no desktop notifications here; the sync options are one labelled group (23.10).
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const group = settings.getByRole('group', { name: 'Quick sync' });
  await expect(group.getByRole('checkbox', { name: /^Sync automatically/ })).toBeVisible();
  await expect(settings.getByRole('checkbox', { name: /tray/ })).toHaveCount(0);
  await expect(settings.getByRole('checkbox', { name: /^Notify me/ })).toHaveCount(0);
  await expectAxeClean(page, 'settings in the browser host');
});
