import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  DEMO_TOKEN,
  PROJECT,
  expand,
  expectAxeClean,
  listFiles,
  openPath,
  selectedNames,
  treeitem,
  useDemo,
  waitForTransferDone,
} from './helpers';

const demo = useDemo();

const openDemo = (page: Page, lang: 'en' | 'de' = 'en', scenario = 'demo', token = DEMO_TOKEN) =>
  demo.open(page, { lang, scenario, token });

test('context menu: right-click selects the row and opens a keyboard-operable menu; Esc returns focus; Download runs', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  const sitemap = treeitem(page, 'Sitemap.md');
  await sitemap.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions' });
  await expect(menu).toBeVisible();
  expect(await selectedNames(page)).toEqual(['Sitemap.md']);
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Download',
    'Refresh',
    'Copy path',
    'Open in the Infomaniak web app',
    'Details',
  ]);
  await expect(menu.getByRole('menuitem', { name: 'Download' })).toBeFocused();
  await expectAxeClean(page, 'context menu');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Refresh' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(sitemap).toBeFocused();

  // Shift+F10 on the focused row opens the same menu; Enter runs the focused command.
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'Download' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await waitForTransferDone(page, 'Sitemap.md');

  // On a row outside the selection, right-click replaces the selection; Details moves focus there.
  await treeitem(page, '2025 Website-Relaunch').click({ button: 'right' });
  expect(await selectedNames(page)).toEqual(['2025 Website-Relaunch']);
  await menu.getByRole('menuitem', { name: 'Details' }).click();
  await expect(page.getByRole('complementary', { name: 'Details' })).toBeFocused();
});

/** The Name fact of the Details pane, or its "n items selected" line. */
const details = (page: Page) => page.getByRole('complementary', { name: 'Details' });

test('selection follows the keyboard: arrows select, Ctrl+arrows move focus only, Space toggles, Shift extends; Download acts on the selection', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  await page.keyboard.press('ArrowDown');
  await expect(treeitem(page, 'Design')).toBeFocused();
  expect(await selectedNames(page)).toEqual(['Design']);
  await expect(details(page).locator('dd').first()).toHaveText('Design');
  await page.keyboard.press('ArrowDown'); // Protokolle
  await page.keyboard.press('ArrowDown');
  expect(await selectedNames(page)).toEqual(['Konzept.pdf']);
  await expect(details(page).locator('dd').first()).toHaveText('Konzept.pdf');

  await page.keyboard.press('Control+ArrowDown');
  await expect(treeitem(page, 'Sitemap.md')).toBeFocused();
  expect(await selectedNames(page)).toEqual(['Konzept.pdf']);
  await expect(details(page).locator('dd').first()).toHaveText('Konzept.pdf');
  await page.keyboard.press('Space');
  expect(await selectedNames(page)).toEqual(['Konzept.pdf', 'Sitemap.md']);
  await expect(details(page)).toContainText('2 items selected');
  await page.keyboard.press('Space');
  expect(await selectedNames(page)).toEqual(['Konzept.pdf']);

  await treeitem(page, 'Design').click();
  await treeitem(page, 'Sitemap.md').click({ modifiers: ['Shift'] });
  expect(await selectedNames(page)).toEqual(['Design', 'Protokolle', 'Konzept.pdf', 'Sitemap.md']);
  await treeitem(page, 'Design').click({ modifiers: ['Control'] });
  await treeitem(page, 'Protokolle').click({ modifiers: ['Control'] });
  expect(await selectedNames(page)).toEqual(['Konzept.pdf', 'Sitemap.md']);
  await treeitem(page, 'Konzept.pdf').click();
  await page.keyboard.press('Shift+ArrowDown');
  expect(await selectedNames(page)).toEqual(['Konzept.pdf', 'Sitemap.md']);

  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  await waitForTransferDone(page, 'Konzept.pdf');
  await waitForTransferDone(page, 'Sitemap.md');
  expect(existsSync(join(demo.host.downloadsDir, 'Konzept.pdf'))).toBe(true);
  expect(existsSync(join(demo.host.downloadsDir, 'Sitemap.md'))).toBe(true);
});

test('big selections: Ctrl+A takes the current folder only, a folder is downloaded once with what is inside', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  await treeitem(page, 'Konzept.pdf').click();
  await page.keyboard.press('Control+a');
  expect(await selectedNames(page)).toEqual(['Design', 'Protokolle', 'Konzept.pdf', 'Sitemap.md']);
  await treeitem(page, 'Lea Brunner', 1).click();
  await page.keyboard.press('Control+a');
  expect(await selectedNames(page)).toEqual([]); // connections are never selected by Ctrl+A

  // "Design" and "Entwürfe" inside it: one download of Design, Entwürfe only inside it.
  await expand(page, 'Design', 8);
  await treeitem(page, 'Design').click();
  await treeitem(page, 'Entwürfe').click({ modifiers: ['Control'] });
  expect(await selectedNames(page)).toEqual(['Design', 'Entwürfe']);
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  await waitForTransferDone(page, 'Design');
  const files = listFiles(demo.host.downloadsDir);
  expect(files.some((f) => f.startsWith('Design/Entwürfe/'))).toBe(true);
  expect(files.filter((f) => !f.startsWith('Design/'))).toEqual([]);
  const panel = page.getByRole('region', { name: 'Transfers' });
  await expect(panel.getByRole('listitem', { name: /Entwürfe/ })).toHaveCount(0);
});

test('a download of more than 100 items asks first, and Cancel starts nothing', async ({ page }) => {
  await openDemo(page, 'en', 'scale', 'scale-token');
  await openPath(page, ['Scale AG', 'kDrive', 'Scale', 'Common documents', 'Big folder']);
  const first = page.getByRole('treeitem').and(page.locator('[aria-setsize="20000"]')).first();
  // From here on no download may start: selecting a file stages nothing for dragging (issue 22.1).
  const before = demo.sim.log.entries().length;
  await first.click();
  await page.keyboard.press('Control+a');
  await expect(page.getByRole('complementary', { name: 'Details' })).toContainText(/20,?000 items selected/);
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /^Download 20,000 items, (at least )?[\d.]+ [kMG]?B\?$/ });
  await expect(dialog).toBeVisible();
  await expectAxeClean(page, 'download confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(500);
  const downloads = demo.sim.log
    .entries()
    .slice(before)
    .filter((e) => /download|archive/.test(e.path));
  expect(downloads).toEqual([]);
  await expect(page.getByRole('region', { name: 'Transfers' }).getByRole('listitem')).toHaveCount(0);
});

test('the filter never acts on what it hides: hidden rows leave the selection, its scope is said, "no match" shows in the tree area', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  await treeitem(page, 'Konzept.pdf').click();
  await treeitem(page, 'Sitemap.md').click({ modifiers: ['Control'] });
  const filter = page.getByRole('searchbox', { name: 'Filter loaded items' });
  await filter.fill('Sitemap');
  await expect(treeitem(page, 'Konzept.pdf')).toHaveCount(0);
  expect(await selectedNames(page)).toEqual(['Sitemap.md']);
  await expect(page.getByText('The filter searches only the items loaded so far')).toBeVisible();
  await expect(details(page).locator('dd').first()).toHaveText('Sitemap.md');
  await filter.fill('');
  expect(await selectedNames(page)).toEqual(['Sitemap.md']); // Konzept.pdf does not come back selected

  await filter.fill('no such name zzz');
  const status = page.getByRole('status').filter({ hasText: 'No loaded item matches the filter.' });
  await expect(status).toBeVisible();
  const tree = await page.locator('.st').boundingBox();
  const box = await status.boundingBox();
  expect(box!.y - tree!.y).toBeLessThan(80); // at the top of the tree area, not below an empty list
  await expectAxeClean(page, 'filter without matches');
});

/** WCAG contrast ratio of two computed colours ("rgb(r, g, b)" / "rgba(…)"). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const ch = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * ch(r!) + 0.7152 * ch(g!) + 0.0722 * ch(bl!);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('the selected row has at least 3:1 contrast against the background and against hover, light and dark (WCAG 1.4.11)', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  await treeitem(page, 'Sitemap.md').click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.mouse.move(0, 0);
    const bg = await page.locator('.st').evaluate((el) => getComputedStyle(el).backgroundColor);
    const selected = await treeitem(page, 'Sitemap.md').evaluate((el) => getComputedStyle(el).backgroundColor);
    const konzept = treeitem(page, 'Konzept.pdf');
    await konzept.hover();
    const hover = await konzept.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(hover, `${scheme}: hover changes the row`).not.toBe(bg);
    expect(contrast(selected, bg), `${scheme}: selected ${selected} vs background ${bg}`).toBeGreaterThanOrEqual(3);
    expect(contrast(selected, hover), `${scheme}: selected ${selected} vs hover ${hover}`).toBeGreaterThanOrEqual(3);
    // The text on the selected row stays readable (4.5:1).
    const fg = await treeitem(page, 'Sitemap.md')
      .locator('.st-label')
      .evaluate((el) => getComputedStyle(el).color);
    expect(contrast(fg, selected), `${scheme}: text on the selected row`).toBeGreaterThanOrEqual(4.5);
    await expectAxeClean(page, `tree, ${scheme}`);
  }
});

test('details worth reading: kinds in words, a folder with its item count, paths that wrap, count and size of a selection, why Download is off', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  const fact = (term: string) =>
    details(page)
      .locator('dt', { hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  await treeitem(page, 'Konzept.pdf').click();
  await expect(fact('Type')).toHaveText('PDF document');
  await expect(fact('Path')).toHaveText('/Common documents/Projekte/2025 Website-Relaunch/Konzept.pdf');
  expect(await fact('Path').locator('wbr').count()).toBe(4);
  await treeitem(page, '2025 Website-Relaunch').click();
  await expect(fact('Type')).toHaveText('Folder, 4 items');
  await treeitem(page, 'Konzept.pdf').click();
  await treeitem(page, 'Sitemap.md').click({ modifiers: ['Control'] });
  await expect(details(page).getByText(/^2 items selected, [\d.]+ [kM]?B$/)).toBeVisible();

  await treeitem(page, 'Lea Brunner', 1).click();
  const download = page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true });
  await expect(download).toBeDisabled();
  await expect(download).toHaveAccessibleDescription(/Connections, services and accounts cannot be downloaded/);
  await expectAxeClean(page, 'details');
});
