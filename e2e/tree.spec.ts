import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import {
  DEMO_TOKEN,
  PROJECT,
  expand,
  expectAxeClean,
  listFiles,
  openPath,
  recordCalls,
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
  await expect(menu.locator('[role="menuitem"] > span:first-child')).toHaveText([
    'Download',
    'Refresh',
    'Copy path in kDrive',
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
  const calls = recordCalls(page);
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
  const sent = calls.channels.length;
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // A round trip after Cancel (Refresh lists the folder again): whatever Cancel sent came before it.
  await page.keyboard.press('F5');
  await calls.until('sources:list', sent);
  expect(calls.channels.slice(sent)).not.toContain('transfers:download');
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

test('the focused row inside a selection shows its focus ring at 3:1 against the selected background, light and dark (23.2)', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  // Three selected rows, the focus on the middle one (Ctrl+arrows move the focus only).
  await treeitem(page, 'Design').click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Control+ArrowUp');
  const focused = page.locator('[role="treeitem"]:focus');
  await expect(focused).toHaveAttribute('aria-selected', 'true');
  expect((await selectedNames(page)).length).toBe(3);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.mouse.move(0, 0);
    const ring = await focused.evaluate((el) => {
      const style = getComputedStyle(el);
      return {
        color: style.outlineColor,
        style: style.outlineStyle,
        width: style.outlineWidth,
        bg: style.backgroundColor,
      };
    });
    expect(ring.style, `${scheme}: the focused row has an outline`).not.toBe('none');
    expect(parseFloat(ring.width)).toBeGreaterThanOrEqual(2);
    expect(
      contrast(ring.color, ring.bg),
      `${scheme}: ring ${ring.color} on selected ${ring.bg}`,
    ).toBeGreaterThanOrEqual(3);
    await expectAxeClean(page, `focus in a selection, ${scheme}`);
  }
  // An unselected focused row keeps a ring that shows against the background too.
  await page.keyboard.press('Control+ArrowUp');
  await page.keyboard.press('Control+ArrowUp');
  const plain = page.locator('[role="treeitem"]:focus');
  await expect(plain).toHaveAttribute('aria-selected', 'false');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const ring = await plain.evaluate((el) => ({
      color: getComputedStyle(el).outlineColor,
      bg: getComputedStyle(el.closest('.st')!).backgroundColor,
    }));
    expect(contrast(ring.color, ring.bg), `${scheme}: ring on an unselected row`).toBeGreaterThanOrEqual(3);
  }
});

/** "4.5 kB" → 4500 (the tree's SI sizes); empty for folders. */
const bytes = (text: string): number => {
  const m = /^([\d.,]+)\s*(B|kB|MB|GB)$/.exec(text.trim());
  if (!m) return -1;
  return parseFloat(m[1]!.replace(',', '')) * { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'B'];
};

test('columns sort: by click and by keyboard, folders first, aria-sort on the header, kept after a reload (23.4)', async ({
  page,
}) => {
  await openDemo(page);
  await openPath(page, PROJECT);
  const header = page.getByRole('table', { name: /^Columns/ });
  const column = (name: string) => header.getByRole('columnheader', { name, exact: true });
  const children = page.locator('[role="treeitem"][aria-level="8"]');
  const names = () => children.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const sizes = async () => (await children.locator('.st-size').allTextContents()).map(bytes).filter((n) => n >= 0);
  // By name (the default): folders first, then files, A→Z.
  await expect(column('Name')).toHaveAttribute('aria-sort', 'ascending');
  expect(await names()).toEqual(['Design', 'Protokolle', 'Konzept.pdf', 'Sitemap.md']);

  // Size: largest first (folders still first); again: smallest first.
  await header.getByRole('button', { name: 'Size' }).click();
  await expect(column('Size')).toHaveAttribute('aria-sort', 'descending');
  await expect(column('Name')).not.toHaveAttribute('aria-sort');
  expect((await names()).slice(0, 2)).toEqual(['Design', 'Protokolle']);
  const largestFirst = await sizes();
  expect(largestFirst).toEqual([...largestFirst].sort((a, b) => b - a));
  await header.getByRole('button', { name: 'Size' }).click();
  await expect(column('Size')).toHaveAttribute('aria-sort', 'ascending');
  expect(await sizes()).toEqual([...largestFirst].reverse());
  await expectAxeClean(page, 'sorted by size');

  // By keyboard: Tab reaches the header's buttons (after Modified's resize handle); Enter sorts by Modified, newest first.
  await header.getByRole('button', { name: 'Size' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('separator', { name: 'Resize the Modified column' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(header.getByRole('button', { name: 'Modified' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(column('Modified')).toHaveAttribute('aria-sort', 'descending');
  const order = await names();

  // Kept after a reload.
  await page.reload();
  await openPath(page, PROJECT);
  await expect(column('Modified')).toHaveAttribute('aria-sort', 'descending');
  expect(await names()).toEqual(order);
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
  await expect(fact('Path in kDrive')).toHaveText('/Common documents/Projekte/2025 Website-Relaunch/Konzept.pdf');
  expect(await fact('Path in kDrive').locator('wbr').count()).toBe(4);
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
