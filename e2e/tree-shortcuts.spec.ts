import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import {
  PROJECT,
  detail,
  expand,
  expectAxeClean,
  openPath,
  selectedNames,
  treeitem,
  useDemo,
  waitForTransferDone,
} from './helpers';

const demo = useDemo();

const openDemo = (page: Page) => demo.open(page);

/** Listings of one kDrive folder's children in the simulator's log since `from`. */
const listingsOf = (folderId: string, from: number) =>
  demo.sim.log
    .entries()
    .slice(from)
    .filter((e) => e.path.includes(`/files/${folderId}/files`) && !e.path.includes('depth=')).length;

test('shortcuts: Ctrl+F focuses the filter, F5 and Ctrl+R refresh the focused folder without reloading, Esc clears the selection, Ctrl+Enter downloads a folder', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  // Headless Chromium never reloads on F5 or Ctrl+R, so the test reads what keeps a real browser from
  // reloading: the key events reach the window with their default prevented.
  await page.evaluate(() => {
    const seen: boolean[] = [];
    Object.assign(window, { reloadKeys: seen });
    window.addEventListener('keydown', (e) => {
      if (e.key === 'F5' || (e.ctrlKey && e.key.toLowerCase() === 'r')) seen.push(e.defaultPrevented);
    });
  });

  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Filter loaded items' })).toBeFocused();

  // F5 on a file refreshes its folder; Ctrl+R on a folder refreshes that folder.
  await treeitem(page, 'Konzept.pdf').click();
  const folderId = await (async () => {
    await treeitem(page, '2025 Website-Relaunch').click();
    const id = await detail(page, 'ID');
    await treeitem(page, 'Konzept.pdf').click();
    return id;
  })();
  let before = demo.sim.log.entries().length;
  await page.keyboard.press('F5');
  await expect.poll(() => listingsOf(folderId, before)).toBe(1);
  await treeitem(page, 'Design').click();
  const designId = await detail(page, 'ID');
  before = demo.sim.log.entries().length;
  await page.keyboard.press('Control+r');
  await expect.poll(() => listingsOf(designId, before)).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { reloadKeys: boolean[] }).reloadKeys)).toEqual([true, true]);
  await expect(treeitem(page, 'Sitemap.md')).toBeVisible();

  // Esc clears the selection (and leaves focus where it is).
  expect(await selectedNames(page)).toEqual(['Design']);
  await page.keyboard.press('Escape');
  expect(await selectedNames(page)).toEqual([]);
  await expect(treeitem(page, 'Design')).toBeFocused();

  // Ctrl+Enter on a folder downloads it (plain Enter would open it).
  await page.keyboard.press('Control+Enter');
  await waitForTransferDone(page, 'Design');
  expect(existsSync(join(demo.host.downloadsDir, 'Design'))).toBe(true);
  await expect(treeitem(page, 'Design')).toHaveAttribute('aria-expanded', 'false');
  await expectAxeClean(page, 'after the shortcuts');
});

test('expanded folders survive a reload: each is expanded again once its parent has loaded, one listing per folder', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  await expand(page, 'Design', 8);
  await expect(treeitem(page, 'Entwürfe')).toBeVisible();
  // A folder opened and closed again is not reopened.
  await expand(page, 'Protokolle', 8);
  await treeitem(page, 'Protokolle').click();
  await page.keyboard.press('ArrowLeft');
  await expect(treeitem(page, 'Protokolle')).toHaveAttribute('aria-expanded', 'false');

  const before = demo.sim.log.entries().length;
  await page.reload();
  await expect(treeitem(page, 'Design')).toHaveAttribute('aria-expanded', 'true', { timeout: 20_000 });
  await expect(treeitem(page, '2025 Website-Relaunch')).toHaveAttribute('aria-expanded', 'true');
  await expect(treeitem(page, 'Entwürfe')).toBeVisible();
  await expect(treeitem(page, 'Protokolle')).toHaveAttribute('aria-expanded', 'false');
  // Folder listings after the reload: the four folders on the path and Design, once each.
  const listings = demo.sim.log
    .entries()
    .slice(before)
    .filter((e) => /\/3\/drive\/\d+\/files\/\d+\/files/.test(e.path));
  expect(listings.length).toBe(5);
  await expectAxeClean(page, 'tree after a reload');
});

test('shortcuts are shown: beside the context menu’s commands, and in a Keyboard shortcuts sheet (F1, ?, the header button); Ctrl+Shift+C and Alt+Enter work (23.5)', async ({
  page,
  context,
}) => {
  await openDemo(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.host.url).origin });
  await openPath(page, PROJECT);
  const sitemap = treeitem(page, 'Sitemap.md');
  await sitemap.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions' });
  const item = (name: string) => menu.getByRole('menuitem', { name, exact: true });
  await expect(item('Download')).toHaveAttribute('aria-keyshortcuts', 'Control+Enter');
  await expect(item('Download')).toContainText('Ctrl+Enter');
  await expect(item('Refresh')).toContainText('F5');
  await expect(item('Copy path in kDrive')).toHaveAttribute('aria-keyshortcuts', 'Control+Shift+C');
  await expect(item('Details')).toContainText('Alt+Enter');
  await expectAxeClean(page, 'context menu with shortcuts');
  await page.keyboard.press('Escape');
  await expect(sitemap).toBeFocused();

  // F1: the sheet, in groups; Esc closes it and gives the focus back to the row.
  await page.keyboard.press('F1');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('table', { name: 'In the Sources tree' })).toBeVisible();
  await expect(sheet.getByRole('row', { name: /Copy the path of the focused item/ })).toContainText('Ctrl+Shift+C');
  await expectAxeClean(page, 'keyboard shortcuts sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(sitemap).toBeFocused();

  // `?` on the tree (not a type-ahead) and the header's button open it too.
  await page.keyboard.press('Shift+?');
  await expect(sheet).toBeVisible();
  await sheet.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Keyboard shortcuts (F1)' }).click();
  await expect(sheet).toBeVisible();
  await page.keyboard.press('Escape');

  // The keys the menu shows do what it says.
  await sitemap.click();
  await page.keyboard.press('Control+Shift+C');
  await expect(page.getByRole('status').filter({ hasText: 'Path of “Sitemap.md” copied' })).toBeVisible();
  await sitemap.click();
  await page.keyboard.press('Alt+Enter');
  await expect(page.getByRole('complementary', { name: 'Details' })).toBeFocused();
});
