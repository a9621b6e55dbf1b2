/**
 * Issue 13.5: downloading something that already exists asks once per batch: Skip, Keep both
 * (numbered), Replace (the old file to the trash first; in the browser host, `.trash` in the
 * download folder), with "apply to all"; the row names the real reason. Issue 23.1: the same file
 * already there is not asked about (skipped, "already there"); the question shows both files' size
 * and date; Esc skips for all; a skipped transfer is "Skipped" in its own colour, not "Done".
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import {
  connectWithToken,
  detail,
  expectAxeClean,
  fetchFromSimulator,
  listFiles,
  openPath,
  sha256,
  startHostFor,
  startSimulator,
  treeitem,
  DEMO_TOKEN,
} from './helpers';
import type { Simulator } from './helpers';

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

  // Again: the same file is there (same size and time), so nothing is asked; the row is Skipped,
  // in another colour than Done, and says why.
  const firstTime = statSync(join(downloads, 'Willkommen.txt')).mtimeMs;
  await downloadButton(page).click();
  const same = newestRow(page, 'Willkommen.txt');
  await expect(same.getByText('Skipped', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(same).toContainText('Already there: the same file is in the folder');
  await expect(same).not.toContainText('of 37');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const colour = (row: ReturnType<typeof newestRow>) =>
    row.locator('.transfer-state').evaluate((e) => getComputedStyle(e).color);
  const done = panel(page)
    .getByRole('listitem')
    .filter({ has: page.getByText('Done', { exact: true }) });
  expect(await colour(same)).not.toBe(await colour(done.first()));
  expect(statSync(join(downloads, 'Willkommen.txt')).mtimeMs).toBe(firstTime);
  await expectAxeClean(page, 'after Skip');

  // Changed locally: the dialog asks, shows both files, the row waits, and axe finds nothing serious.
  writeFileSync(join(downloads, 'Willkommen.txt'), 'my local edit!');
  await downloadButton(page).click();
  let dialog = existingDialog(page, 'Willkommen.txt');
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByRole('term')).toHaveText(['In the folder', 'To download']);
  await expect(dialog.getByRole('definition').first()).toHaveText(/^14 B, modified /);
  await expect(dialog.getByRole('definition').last()).toHaveText(new RegExp(`^${server.length} B, modified `));
  await expect(dialog).toContainText('Esc: Skip for all');
  await expect(newestRow(page, 'Willkommen.txt')).toContainText('Waiting for your decision');
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Keep both' })).toBeFocused();
  await expectAxeClean(page, 'already exists dialog, one file');
  await dialog.getByRole('button', { name: 'Skip' }).click();
  await expect(dialog).toBeHidden();
  await expect(downloadButton(page)).toBeFocused();
  await expect(newestRow(page, 'Willkommen.txt')).toContainText('Skipped: a file with this name already exists', {
    timeout: 20_000,
  });
  await expect(newestRow(page, 'Willkommen.txt').getByText('Skipped', { exact: true })).toBeVisible();
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

  // The same folder again: every file is already there; nothing is asked.
  await downloadButton(page).click();
  await expect(newestRow(page, 'Design').getByText('Skipped', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(newestRow(page, 'Design')).toContainText(
    `${before.length} already there: the same files are in the folder`,
  );
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Changed locally: asked once; Esc answers the whole question (Skip for all).
  for (const file of before) writeFileSync(join(downloads, 'Design', file), 'changed here');
  await downloadButton(page).click();
  dialog = page.getByRole('dialog', { name: /already exists in/ });
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByRole('checkbox', { name: /^Apply to/ })).toBeVisible({ timeout: 20_000 });
  await expectAxeClean(page, 'already exists dialog, a folder');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  // Skipped without another question: a second one would keep the transfer waiting.
  await expect(newestRow(page, 'Design').getByText('Skipped', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(newestRow(page, 'Design')).toContainText(
    `${before.length} skipped: files with these names already exist`,
  );
  expect(listFiles(join(downloads, 'Design'))).toEqual(before);
});
