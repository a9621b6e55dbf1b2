import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import { connectWithToken, openPath, startHostFor, startSimulator, treeitem, waitForTransferDone } from './helpers';
import type { Simulator } from './helpers';

const DEMO_TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const PROJECT = [
  'Lea Brunner',
  'kDrive',
  'Muster AG',
  'Muster AG',
  'Common documents',
  'Projekte',
  '2025 Website-Relaunch',
];

let sim: Simulator;
let host: RunningHost;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

async function openDemo(page: Page, lang: 'en' | 'de' = 'en') {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  host = await startHostFor(sim, { lang });
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

const selectedNames = (page: Page) =>
  page
    .getByRole('tree')
    .locator('[role="treeitem"][aria-selected="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

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
  await expect(menu.getByRole('menuitem')).toHaveText(['Download', 'Refresh', 'Details']);
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
