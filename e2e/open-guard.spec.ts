/**
 * Issue 8.16: "Open" on a downloaded program or script. The browser host cannot ask a trustworthy
 * question; since 23.8 it opens nothing on its computer at all: it says so and gives the path, in
 * English and German; the file stays as it is. (Main's refusal is tested in services/open-guard.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { RunningHost } from './host';
import { connectWithToken, expand, openPath, startHostFor, startSimulator, treeitem } from './helpers';
import type { Simulator } from './helpers';

let sim: Simulator | undefined;
let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

test('the browser host does not open a downloaded program: it says why and where it is (en, de)', async ({ page }) => {
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

  // The browser host starts nothing on its computer (23.8): it says so and gives the path, for any
  // file, and a program above all; main is not asked to open it.
  await row.getByRole('button', { name: /^Open: / }).click();
  const note = page.getByRole('dialog', { name: /^Open “.*gnp\.exe” yourself$/ });
  await expect(note).toContainText('The browser host does not start programs on the computer it runs on');
  await expect(note.getByRole('code').or(note.locator('code'))).toHaveText(join(host.downloadsDir, file!));
  expect(host.log()).not.toContain('open:');
  expect(readFileSync(join(host.downloadsDir, file!), 'utf8')).toBe('right-to-left override: looks like exe.png\n');

  await note.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Language').selectOption('de');
  await page.getByRole('button', { name: 'Schliessen' }).click();
  await page.getByRole('button', { name: /^Öffnen: .*gnp\.exe$/ }).click();
  await expect(page.getByRole('dialog', { name: /^«.*gnp\.exe» selbst öffnen$/ })).toContainText(
    'Der Browser-Host startet keine Programme',
  );
});
