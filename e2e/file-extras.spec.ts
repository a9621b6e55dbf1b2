/**
 * Issue 24.1–24.3 in the real UI against the demo: Shared with me (browse, owner in Details, a
 * byte-exact download), a file's versions (listed, the oldest saved beside the current file) and
 * previews (asked for once the selection rests: 20 arrow presses cost one request; Space opens the
 * larger one, Escape closes it and the focus goes back).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import {
  PROJECT,
  detail,
  expectAxeClean,
  fetchFromSimulator,
  DEMO_TOKEN,
  openPath,
  sha256,
  treeitem,
  useDemo,
  waitForTransferDone,
} from './helpers';

const demo = useDemo();
const details = (page: Page) => page.getByRole('complementary', { name: 'Details' });
const PICTURE_ROUTES = ['GET /2/drive/{drive}/files/{file}/preview', 'GET /2/drive/{drive}/files/{file}/thumbnail'];
const pictureRequests = () => demo.sim.log.entries().filter((e) => PICTURE_ROUTES.includes(e.route));
const FOTOS = [...PROJECT.slice(0, 6), 'Messestand Basel', 'Fotos'];

test('previews: 20 arrow presses cost one request; Space opens the larger preview, Escape closes it, focus returns', async ({
  page,
}) => {
  await page.clock.install();
  await demo.open(page);
  await openPath(page, FOTOS);
  const fotos = treeitem(page, 'Fotos');
  await fotos.click();
  await expect(fotos).toBeFocused();
  demo.sim.log.reset();
  // Time stands still while the keys are pressed: however slow the machine, they come faster than the settling.
  await page.clock.pauseAt(Date.now() + 60_000);
  // Down over the eight photos and past them, then back up to the second one: 20 presses.
  for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowUp');
  await expect(treeitem(page, 'IMG_4101.png')).toBeFocused();
  expect(pictureRequests()).toHaveLength(0);
  await page.clock.runFor(350); // past the settling time (300 ms)
  await page.clock.resume();
  const picture = details(page).getByRole('img', { name: 'Preview of IMG_4101.png' });
  await expect(picture).toBeVisible();
  expect(pictureRequests()).toHaveLength(1);
  expect(await picture.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await expectAxeClean(page, 'preview in Details');

  // Space on the one selected image opens the larger preview; Escape closes it; the row has the focus again.
  await page.keyboard.press('Space');
  const dialog = page.getByRole('dialog', { name: 'Preview: IMG_4101.png' });
  await expect(dialog.getByRole('img', { name: 'Preview of IMG_4101.png' })).toBeVisible();
  await expect(dialog).not.toHaveAttribute('aria-busy', 'true');
  await expect.poll(() => pictureRequests().length).toBe(2); // the large one
  await expectAxeClean(page, 'larger preview');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(treeitem(page, 'IMG_4101.png')).toBeFocused();
  expect(await treeitem(page, 'IMG_4101.png').getAttribute('aria-selected')).toBe('true');

  // The button in Details does the same; closing returns the focus to it. Coming back costs nothing.
  await details(page).getByRole('button', { name: 'Larger preview' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(details(page).getByRole('button', { name: 'Larger preview' })).toBeFocused();
  expect(pictureRequests()).toHaveLength(2);

  // With two selected, Space toggles as it always did (Ctrl+ArrowDown moves the focus only).
  await treeitem(page, 'IMG_4101.png').click();
  await page.keyboard.press('Control+ArrowDown');
  await page.keyboard.press('Space');
  await expect(treeitem(page, 'IMG_4102.png')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Space');
  await expect(treeitem(page, 'IMG_4102.png')).toHaveAttribute('aria-selected', 'false');
  await expect(dialog).toBeHidden();
});

test('versions: three listed in Details; the oldest is saved beside the current file, which stays as it was', async ({
  page,
}) => {
  await demo.open(page);
  await openPath(page, [...PROJECT.slice(0, 6), '2026 Jahresbericht']);
  const file = treeitem(page, 'Jahresbericht 2025 Entwurf.pdf');
  await file.click();
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  await waitForTransferDone(page, 'Jahresbericht 2025 Entwurf.pdf');
  const currentPath = join(demo.host.downloadsDir, 'Jahresbericht 2025 Entwurf.pdf');
  const current = sha256(readFileSync(currentPath));

  demo.sim.log.reset();
  const disclosure = details(page).getByRole('button', { name: 'Versions' });
  await expect(disclosure).toHaveAttribute('aria-expanded', 'false');
  await disclosure.click();
  await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
  const rows = details(page).getByRole('listitem');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText('by Sara Meier');
  expect(demo.sim.log.entries().filter((e) => e.route === 'GET /3/drive/{drive}/files/{file}/versions')).toHaveLength(
    1,
  );
  await expectAxeClean(page, 'versions in Details');

  const oldest = rows.nth(2).getByRole('button', { name: /^Download the version of / });
  await oldest.click();
  await waitForTransferDone(page, /^Jahresbericht 2025 Entwurf \(version \d{4}-\d\d-\d\d \d\d\.\d\d\)\.pdf$/);
  const [saved] = readdirSync(demo.host.downloadsDir).filter((n) =>
    n.startsWith('Jahresbericht 2025 Entwurf (version '),
  );
  expect(saved).toBeDefined();
  expect(readFileSync(join(demo.host.downloadsDir, saved!)).toString('latin1')).toContain('Entwurf 1');
  expect(sha256(readFileSync(currentPath))).toBe(current);
});

test('Shared with me: browsable under kDrive, who shared in Details, a shared file downloads byte-exact', async ({
  page,
}) => {
  await demo.open(page);
  await openPath(page, ['Lea Brunner', 'kDrive', 'Shared with me']);
  const names = await page
    .getByRole('tree')
    .locator('[role="treeitem"][aria-level="4"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  expect(names).toEqual(['Pläne Seefeldstrasse', 'Checkliste.md', 'Offerte Umbau Büro.pdf']);
  const offer = treeitem(page, 'Offerte Umbau Büro.pdf');
  await offer.click();
  expect(await detail(page, 'Shared by')).toBe('Jonas Keller (jonas.keller@keller-architektur.ch)');
  expect(await detail(page, 'Drive')).toBe('Drive 640001');
  await expectAxeClean(page, 'Shared with me');

  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
  await waitForTransferDone(page, 'Offerte Umbau Büro.pdf');
  const id = demo.sim.idOf(640001, '/Private/Offerte Umbau Büro.pdf')!;
  const reference = await fetchFromSimulator(demo.sim, `/2/drive/640001/files/${id}/download`, DEMO_TOKEN);
  const path = join(demo.host.downloadsDir, 'Offerte Umbau Büro.pdf');
  expect(existsSync(path)).toBe(true);
  expect(sha256(readFileSync(path))).toBe(sha256(reference));

  // A shared folder opens like any folder (its items in the other person's drive).
  await treeitem(page, 'Pläne Seefeldstrasse').click();
  await page.keyboard.press('ArrowRight');
  await expect(treeitem(page, 'Grundriss 2. OG.png')).toBeVisible();
});
