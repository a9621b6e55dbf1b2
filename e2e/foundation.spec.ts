import { expect, test } from './shared-page';
import { startHost } from './host';
import type { RunningHost } from './host';
import { expectAxeClean } from './helpers';

let host: RunningHost;
test.afterEach(async () => {
  await host?.stop({ remove: true });
});

test('the app loads and shows the empty state with its two offers', async ({ page }) => {
  host = await startHost({ lang: 'en' });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'PowerOn Sources', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your kSuite, in one place' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Transfers' })).toBeVisible();
  // The secret left the address bar once read.
  expect(page.url()).not.toContain('secret=');
});

test('--lang de starts in German, and the language can be switched in Settings', async ({ page }) => {
  host = await startHost({ lang: 'de' });
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Verbindung hinzufügen' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Demo ausprobieren' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  await page.getByRole('button', { name: 'Einstellungen' }).click();
  await page.getByRole('dialog', { name: 'Einstellungen' }).getByLabel('Sprache').selectOption('en');
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Close' }).click();

  // The choice is kept by the host's profile: a reload stays English.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
});

test('the page without the host secret cannot talk to the app', async ({ page }) => {
  host = await startHost({ lang: 'en' });
  await page.goto(host.origin + '/');
  await expect(page.getByRole('alert')).toContainText('must be opened from the app');
});

test('axe-core finds no serious or critical violations (empty state, add dialog, settings)', async ({ page }) => {
  host = await startHost({ lang: 'en' });
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
  await expectAxeClean(page, 'empty state');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await expect(page.getByRole('dialog', { name: 'Connect Infomaniak' })).toBeVisible();
  await expectAxeClean(page, 'add dialog');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expectAxeClean(page, 'settings');
});
