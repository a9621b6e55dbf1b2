/**
 * Issues 23.6 and 23.10: counts in plural forms and numbers written in the UI's language (German as
 * used in Switzerland), and the status lines as natural phrases: a sync pair's last run and Preview,
 * the download question, Details of a big folder.
 */
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import { PROJECT, expectAxeClean, openPath, startHostFor, startSimulator, treeitem, useDemo } from './helpers';
import type { Simulator } from './helpers';

const demo = useDemo();

test('a sync pair in words: "1 item kept in sync · last run just now", "Last run just now: 4 new", a Preview with nothing to do', async ({
  page,
}) => {
  await demo.open(page);
  await openPath(page, PROJECT.slice(0, 5));
  await treeitem(page, 'Marketing').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  await details.getByRole('button', { name: 'Create sync pair' }).click();
  await details.getByRole('button', { name: 'Start' }).click();
  const sync = page.getByRole('region', { name: 'Sync' });
  const pair = sync.getByRole('listitem', { name: 'Marketing' });
  await expect(pair.getByText(/^Last run just now: /)).toHaveText('Last run just now: 4 new', { timeout: 30_000 });
  await expect(sync.getByText(/^1 item kept in sync/)).toHaveText('1 item kept in sync · last run just now');
  await pair.getByRole('button', { name: 'Preview' }).click();
  await expect(sync.getByRole('region', { name: 'Preview' }).getByRole('status')).toContainText(
    'The next run would change nothing.',
  );
  await expectAxeClean(page, 'sync pair in words');
});

let sim: Simulator | undefined;
let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
  host = undefined;
  sim = undefined;
});

async function connectGerman(page: Page, token: string) {
  await page.getByRole('button', { name: 'Verbindung hinzufügen' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Infomaniak verbinden' });
  await dialog.getByLabel('Persönliches Zugriffstoken').fill(token);
  await dialog.getByRole('button', { name: 'Verbinden' }).click();
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
}

test('German counts as written in Switzerland: "Ordner, 20’000 Elemente", the download question, the selection', async ({
  page,
}) => {
  sim = await startSimulator({ scenario: 'scale', quiet: true });
  host = await startHostFor(sim, { lang: 'de' });
  await page.goto(host.url);
  await connectGerman(page, 'scale-token');
  await openPath(page, ['Scale AG', 'kDrive', 'Scale', 'Common documents', 'Big folder']);
  await treeitem(page, 'Big folder').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  // 20'000 with the Swiss apostrophe (’ or ', as the browser's CLDR writes it), never "20.000" or "20000".
  await expect(details).toContainText(/Ordner, 20['’]000 Elemente/, { timeout: 30_000 });
  const first = page.getByRole('treeitem').and(page.locator('[aria-setsize="20000"]')).first();
  await first.click();
  await page.keyboard.press('Control+a');
  await expect(details).toContainText(/20['’]000 Elemente ausgewählt/);
  await page
    .getByRole('region', { name: 'Quellen' })
    .getByRole('button', { name: 'Herunterladen', exact: true })
    .click();
  const question = page.getByRole('dialog', { name: /^20['’]000 Elemente herunterladen/ });
  await expect(question).toBeVisible();
  await expectAxeClean(page, 'German download question');
  await question.getByRole('button', { name: 'Abbrechen' }).click();
});
