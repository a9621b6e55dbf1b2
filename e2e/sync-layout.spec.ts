/**
 * Issue 23.3: the Sync section never crowds out the tree. With three pairs, at the minimum window
 * size (640×480) in German, the tree keeps at least 8 rows, with and without server search results
 * open: the Sync section is collapsed to a one-line summary when space is short, and can be shown,
 * hidden and resized (keyboard) like the Details pane; the choice survives a reload.
 */
import { expect, test } from './shared-page';
import type { Locator, Page } from '@playwright/test';
import { expectAxeClean, placeholderFits } from './helpers';
import { startHost } from './host';
import type { RunningHost } from './host';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  host = undefined;
});

const ROW = 28;
const heightOf = async (locator: Locator) => (await locator.boundingBox())?.height ?? 0;
const row = (page: Page, name: string | RegExp, level: number) =>
  page
    .getByRole('tree')
    .getByRole('treeitem', { name, exact: typeof name === 'string' })
    .and(page.locator(`[aria-level="${level}"]`));

async function open(page: Page, name: string | RegExp, level: number) {
  const item = row(page, name, level).first();
  await item.click();
  if ((await item.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
  await expect(item).not.toHaveAttribute('aria-busy', 'true', { timeout: 20_000 });
}

async function keepInSync(page: Page, name: string, level: number) {
  await row(page, name, level).first().click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Synchron halten…' }).click();
  await details.getByRole('button', { name: 'Synchronisation einrichten' }).click();
  await details.getByRole('button', { name: 'Starten' }).click();
}

test('640×480 German, three sync pairs: the tree keeps 8 rows, with search results too; Sync collapses to one line, shows, hides and resizes', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  host = await startHost({ lang: 'de' });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Demo ausprobieren' }).click();
  await open(page, /Lea Brunner/, 1);
  await open(page, 'kDrive', 2);
  await open(page, 'Muster AG', 3);
  await open(page, 'Muster AG', 4);
  await open(page, 'Common documents', 5);
  await open(page, 'Projekte', 6);
  await keepInSync(page, 'Verwaltung', 6);
  await keepInSync(page, 'Marketing', 6);
  await keepInSync(page, '2026 Jahresbericht', 7);
  const sync = page.getByRole('region', { name: 'Synchronisation' });
  await expect(sync.getByRole('listitem')).toHaveCount(3, { timeout: 30_000 });

  await expect(sync.getByRole('list', { name: 'Synchronisierte Elemente' })).toBeVisible();
  await expect(sync.getByText(/^3 Elemente synchron/)).toBeVisible();

  // The smallest window: the tree keeps 8 rows; the Sync section keeps to its summary line, and its
  // button says there is no room for more.
  await page.setViewportSize({ width: 640, height: 480 });
  const tree = page.getByRole('tree');
  await expect.poll(() => heightOf(tree)).toBeGreaterThanOrEqual(8 * ROW);
  await expect.poll(() => heightOf(sync)).toBeLessThanOrEqual(44);
  await expect(sync.getByText(/^3 Elemente synchron/)).toBeVisible();
  const toggle = sync.getByRole('button', { name: 'Anzeigen' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toHaveAttribute('aria-disabled', 'true');
  await expect(toggle).toHaveAccessibleDescription(/keinen Platz/);
  // 23.11: the filter's placeholder shows whole ("Geladene Elemente filtern").
  expect(await placeholderFits(page)).toBe(true);
  await expectAxeClean(page, 'Sync on one line at 640×480');

  // Search results open: the tree still keeps 8 rows, and the results show (they scroll).
  await page.getByRole('searchbox').fill('a');
  await page.getByRole('button', { name: /auf dem Server durchsuchen/ }).click();
  const results = page.getByRole('region', { name: 'Suchergebnisse vom Server' });
  await expect(results.getByRole('status')).toHaveText(/Elemente? in «.+» gefunden/);
  await expect.poll(() => heightOf(tree)).toBeGreaterThanOrEqual(8 * ROW);
  expect(await heightOf(page.locator('.filter-scope'))).toBeGreaterThanOrEqual(60);
  await expectAxeClean(page, 'search results at 640×480');
  await results.getByRole('button', { name: 'Ergebnisse schliessen' }).click();

  // With room again, the section shows its pairs; hidden by the user it stays hidden after a reload.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(sync.getByRole('list', { name: 'Synchronisierte Elemente' })).toBeVisible();
  // The Details pane, stepped aside at 640 px (23.11), comes back at its width, not at its minimum.
  const detailsPane = page.getByRole('complementary', { name: 'Details' });
  await expect.poll(async () => (await detailsPane.boundingBox())?.width ?? 0).toBeGreaterThan(0.2 * 1280);
  const shownHeight = await heightOf(sync);
  await sync.getByRole('button', { name: 'Ausblenden' }).click();
  await expect(sync.getByRole('list')).toBeHidden();
  await expect.poll(() => heightOf(sync)).toBeLessThanOrEqual(44);
  await page.reload();
  await expect(tree.getByRole('treeitem').first()).toBeVisible({ timeout: 30_000 });
  await expect(sync.getByRole('button', { name: 'Anzeigen' })).toHaveAttribute('aria-expanded', 'false');
  await expect.poll(() => heightOf(sync)).toBeLessThanOrEqual(44);

  // Shown again, it resizes with the keyboard on its handle, like the Details pane.
  await sync.getByRole('button', { name: 'Anzeigen' }).click();
  await expect.poll(() => heightOf(sync)).toBeGreaterThan(shownHeight - 10);
  const before = await heightOf(sync);
  await page.getByRole('separator', { name: 'Grösse des Bereichs Synchronisation ändern' }).focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(() => heightOf(sync)).toBeGreaterThan(before + 20);
  await expectAxeClean(page, 'Sync shown at 1280×800');
});
