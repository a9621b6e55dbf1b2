/**
 * Issue 13.5: downloading something that already exists asks once per batch: Skip, Keep both
 * (numbered), Replace (the old file to the trash first; in the browser host, `.trash` in the
 * download folder), with "apply to all"; the row names the real reason.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import {
  connectWithToken,
  detail,
  fetchFromSimulator,
  listFiles,
  openPath,
  sha256,
  startHostFor,
  startSimulator,
  treeitem,
} from './helpers';
import type { Simulator } from './helpers';

const DEMO_TOKEN = 'demo-poweron-token-7f3a9c2e51d8';

let sim: Simulator | undefined;
let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

const panel = (page: Page) => page.getByRole('region', { name: 'Transfers' });
const downloadButton = (page: Page) =>
  page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true });
/** The newest row of that name (newest first). */
const newestRow = (page: Page, name: string) => panel(page).getByRole('listitem', { name }).first();
const existingDialog = (page: Page, name: string) =>
  page.getByRole('dialog', { name: `“${name}” already exists in downloads` });

async function seriousViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

test('a second download asks: Skip, Keep both, Replace (to the trash); a folder asks once with "apply to all"', async ({
  page,
}) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  host = await startHostFor(sim);
  const downloads = host.downloadsDir;
  await page.goto(host.url);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await openPath(page, [/Lea Brunner/, 'kDrive', 'Muster AG', 'Muster AG', 'Common documents']);
  await treeitem(page, 'Willkommen.txt').click();
  const fileId = await detail(page, 'ID');
  const server = await fetchFromSimulator(sim, `/2/drive/610001/files/${fileId}/download`, DEMO_TOKEN);

  // The first download is not asked about.
  await downloadButton(page).click();
  await expect(newestRow(page, 'Willkommen.txt').getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(readdirSync(downloads)).toEqual(['Willkommen.txt']);

  // Again: the dialog asks, the row waits for the decision, and axe finds nothing serious.
  await downloadButton(page).click();
  let dialog = existingDialog(page, 'Willkommen.txt');
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(newestRow(page, 'Willkommen.txt')).toContainText('Waiting for your decision');
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Keep both' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Skip' }).click();
  await expect(dialog).toBeHidden();
  await expect(downloadButton(page)).toBeFocused();
  await expect(newestRow(page, 'Willkommen.txt')).toContainText('Skipped: a file with this name already exists', {
    timeout: 20_000,
  });
  expect(readdirSync(downloads)).toEqual(['Willkommen.txt']);

  // Keep both: "Willkommen (1).txt", and the row names the real reason.
  await downloadButton(page).click();
  dialog = existingDialog(page, 'Willkommen.txt');
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(newestRow(page, 'Willkommen.txt')).toContainText(
    'A file with this name already exists: saved as Willkommen (1).txt',
    { timeout: 30_000 },
  );
  await expect(newestRow(page, 'Willkommen.txt').getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(newestRow(page, 'Willkommen.txt')).not.toContainText('Renamed to be safe on disk');
  expect(readdirSync(downloads).sort()).toEqual(['Willkommen (1).txt', 'Willkommen.txt']);
  expect(sha256(readFileSync(join(downloads, 'Willkommen (1).txt')))).toBe(sha256(server));

  // Replace, by keyboard: the old file goes to the `.trash` folder first, the new bytes take its place.
  writeFileSync(join(downloads, 'Willkommen.txt'), 'my local edit');
  await downloadButton(page).click();
  dialog = existingDialog(page, 'Willkommen.txt');
  await expect(dialog.getByRole('button', { name: 'Keep both' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Replace' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(newestRow(page, 'Willkommen.txt')).toContainText(
    'The existing file was moved to the trash and replaced',
    {
      timeout: 30_000,
    },
  );
  await expect(newestRow(page, 'Willkommen.txt').getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(readFileSync(join(downloads, '.trash', 'Willkommen.txt'), 'utf8')).toBe('my local edit');
  expect(sha256(readFileSync(join(downloads, 'Willkommen.txt')))).toBe(sha256(server));

  // A folder with several existing files: asked once with "apply to all".
  await openPath(page, [
    /Lea Brunner/,
    'kDrive',
    'Muster AG',
    'Muster AG',
    'Common documents',
    'Projekte',
    '2025 Website-Relaunch',
  ]);
  await treeitem(page, 'Design').click();
  await downloadButton(page).click();
  await expect(newestRow(page, 'Design').getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  const before = listFiles(join(downloads, 'Design'));
  expect(before.length).toBeGreaterThan(3);

  await downloadButton(page).click();
  dialog = page.getByRole('dialog', { name: /already exists in/ });
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  const applyAll = dialog.getByRole('checkbox', { name: /^Apply to/ });
  await expect(applyAll).toBeVisible({ timeout: 20_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await applyAll.check();
  await dialog.getByRole('button', { name: 'Skip' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  // Done without another question: a second one would keep the transfer waiting.
  await expect(newestRow(page, 'Design').getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(newestRow(page, 'Design')).toContainText(
    `${before.length} skipped: files with these names already exist`,
  );
  expect(listFiles(join(downloads, 'Design'))).toEqual(before);
});
