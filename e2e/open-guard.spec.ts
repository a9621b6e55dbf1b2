/**
 * Issue 8.16: "Open" on a downloaded program or script. The browser host cannot ask a trustworthy
 * question, so it refuses and says what to do, in English and German; the file stays as it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunningHost } from './host';
import { connectWithToken, expand, openPath, startHostFor, startSimulator, treeitem } from './helpers';
import type { Simulator } from './helpers';

let sim: Simulator | undefined;
let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

test('the browser host refuses to open a downloaded program and says why (en, de)', async ({ page }) => {
  sim = await startSimulator({ scenario: 'edge', quiet: true });
  host = await startHostFor(sim);
  await page.goto(host.url);
  await connectWithToken(page, 'edge-full-token');
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await openPath(page, ['Edge Org', 'kDrive', 'Edge Org', 'Edge Cases', 'Common documents']);
  await expand(page, 'Hostile names');
  // "‮gnp.exe": a right-to-left override makes it look like "exe.png"; it is an .exe.
  await page.getByRole('searchbox', { name: 'Filter loaded items' }).fill('gnp.exe');
  await treeitem(page, /gnp\.exe$/).click();
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();

  const panel = page.getByRole('region', { name: 'Transfers' });
  const row = panel.getByRole('listitem', { name: /gnp\.exe$/ });
  await expect(row.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  const [file] = readdirSync(host.downloadsDir).filter((f) => f.endsWith('.exe'));
  expect(file).toBeDefined();

  await row.getByRole('button', { name: /^Open: / }).click();
  await expect(page.getByRole('alert')).toContainText(
    'This file is a program or script, so it is not opened from here. If you trust it, open it yourself from its folder (Show in folder).',
  );
  expect(host.log()).toContain('open: refused a program or script (executable-type)');
  expect(readFileSync(join(host.downloadsDir, file!), 'utf8')).toBe('right-to-left override: looks like exe.png\n');

  await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Language').selectOption('de');
  await page.getByRole('button', { name: 'Schliessen' }).click();
  await page.getByRole('button', { name: /^Öffnen: .*gnp\.exe$/ }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Diese Datei ist ein Programm oder Skript und wird darum hier nicht geöffnet.',
  );
});
