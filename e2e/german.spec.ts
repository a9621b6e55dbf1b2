/**
 * Issue 13.11: the German UI has no English left. Walks every screen with --lang de (empty state,
 * Add dialog with an error, the demo's tree with each service open, details, calendar window,
 * transfers, Connections, Settings) and fails on an untranslated key, an English word of the UI,
 * "ß" (the project writes Swiss German), "Einträge" (the project says "Elemente") or an English unit.
 * What the user's data is called (row names, paths, values in Details) is not UI text and is skipped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import { startHost } from './host';
import { expectAxeClean } from './helpers';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  host = undefined;
});

/** Product and protocol names that stay as they are in German. */
const ALLOWED = [
  'PowerOn Sources',
  'Infomaniak Manager',
  'Infomaniak',
  'kSuite',
  'kDrive',
  'vCard',
  'GNOME Keyring',
  'KWallet',
  'workspace:calendar',
  'workspace:contact',
  'workspace:mail',
];

/** English words of this UI that must never show in German (whole words, as written). */
const ENGLISH = [
  'the',
  'and',
  'with',
  'your',
  'you',
  'this',
  'that',
  'not',
  'could',
  'were',
  'been',
  'are',
  'is',
  'of',
  'to',
  'for',
  'from',
  'left',
  'ago',
  'items',
  'files',
  'days',
  'back',
  'ahead',
  'Calendar',
  'Contacts',
  'Settings',
  'Connections',
  'Connection',
  'Cancel',
  'Close',
  'Refresh',
  'Retry',
  'Failed',
  'Waiting',
  'Done',
  'Queued',
  'Running',
  'Downloading',
  'Loading',
  'Folder',
  'Folders',
  'Files',
  'File',
  'Size',
  'Modified',
  'Created',
  'Account',
  'Accounts',
  'Drive',
  'Error',
  'Select',
  'Show',
  'Hide',
  'Clear',
  'Open',
  'Add',
  'Connect',
  'Remove',
  'Replace',
  'Save',
  'Items',
  'Events',
  'Days',
  'Type',
  'Path',
  'Owner',
  'Used',
  'Scopes',
  'Service',
  'Services',
  'Dismiss',
  'Language',
  'Apply',
  'Change',
  'Checking',
  'Available',
  'Unavailable',
  'Empty',
  'Filter loaded',
];
const KEY_LIKE =
  /\b(app|add|sources|transfers|settings|errors|connections|empty|services|notices|sync|menu)\.[a-zA-Z_.]+/;
const ENGLISH_UNIT = /\b\d+\s?(min|h|sec|hours?|minutes?)\b/;

/** The UI's own text on the page now: visible text and accessible names, without the user's data. */
function uiText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const data = '.st-label, .st-subtitle, .st-size, .st-date, dd, code, .transfer-name, .transfer-path';
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      if (!el || !text || el.closest(data) || !el.checkVisibility()) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder]')) {
      if (el.closest(data) || el.matches('[role=treeitem], [role=listitem]') || !el.checkVisibility()) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(attr);
        // Labels that end in a row's name ("Abbrechen: Bericht.pdf"): only the part before the name.
        if (v) out.push(v.split(': ')[0]!);
      }
    }
    return out;
  });
}

async function expectGerman(page: Page, screen: string): Promise<void> {
  const problems: string[] = [];
  for (const raw of await uiText(page)) {
    let text = raw;
    for (const name of ALLOWED) text = text.split(name).join(' ');
    const words = text.split(/[^\p{L}]+/u);
    const english = ENGLISH.filter((w) => (w.includes(' ') ? text.includes(w) : words.includes(w)));
    if (english.length) problems.push(`${screen}: English ${english.join(', ')} in "${raw}"`);
    if (KEY_LIKE.test(text)) problems.push(`${screen}: untranslated key in "${raw}"`);
    if (ENGLISH_UNIT.test(text)) problems.push(`${screen}: English unit in "${raw}"`);
    if (text.includes('ß')) problems.push(`${screen}: "ß" in "${raw}"`);
    if (/Eintr[äa]g/.test(text)) problems.push(`${screen}: "Eintrag" in "${raw}"`);
  }
  expect(problems).toEqual([]);
  await expectAxeClean(page, screen);
}

function row(page: Page, name: string | RegExp, level: number) {
  return page
    .getByRole('treeitem', { name, exact: typeof name === 'string' })
    .and(page.locator(`[aria-level="${level}"]`))
    .first();
}

async function open(page: Page, name: string | RegExp, level: number): Promise<void> {
  const item = row(page, name, level);
  await item.click();
  if ((await item.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
  await expect(item).toHaveAttribute('aria-expanded', 'true');
  // Children listed.
  await expect(page.getByRole('tree').getByText('Wird geladen…')).toHaveCount(0, { timeout: 65_000 });
}

test('every screen of the German UI is German', async ({ page }) => {
  test.setTimeout(240_000);
  host = await startHost({ lang: 'de' });
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Demo ausprobieren' })).toBeVisible();
  await expectGerman(page, 'empty state');

  await page.getByRole('main').getByRole('button', { name: 'Verbindung hinzufügen' }).click();
  const add = page.getByRole('dialog', { name: 'Infomaniak verbinden' });
  await add.getByLabel('Persönliches Zugriffstoken').fill('kurz');
  await add.getByRole('button', { name: 'Verbinden' }).click();
  await expect(add.getByRole('alert')).toBeVisible();
  await expectGerman(page, 'add dialog');
  await add.getByRole('button', { name: 'Abbrechen' }).click();

  await page.getByRole('button', { name: 'Demo ausprobieren' }).click();
  await expect(row(page, /Lea Brunner/, 1)).toBeVisible({ timeout: 30_000 });
  await open(page, /Lea Brunner/, 1);
  for (const service of ['kDrive', 'Kalender', 'Kontakte', 'Mail']) await expect(row(page, service, 2)).toBeVisible();
  await expectGerman(page, 'connection open');

  await open(page, 'kDrive', 2);
  await open(page, 'Muster AG', 3);
  await open(page, 'Muster AG', 4);
  await open(page, 'Common documents', 5);
  await page.getByRole('treeitem', { name: 'Willkommen.txt' }).first().click();
  await expectGerman(page, 'kDrive and details of a file');

  await page
    .getByRole('region', { name: 'Quellen' })
    .getByRole('button', { name: 'Herunterladen', exact: true })
    .click();
  const transfers = page.getByRole('region', { name: 'Übertragungen' });
  await expect(transfers.getByText('Fertig', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expectGerman(page, 'transfers');

  // 13.5: the same file again, changed here, asks what to do, in German (the same file would not be asked about).
  writeFileSync(join(host.downloadsDir, 'Willkommen.txt'), 'hier geändert');
  await page
    .getByRole('region', { name: 'Quellen' })
    .getByRole('button', { name: 'Herunterladen', exact: true })
    .click();
  const exists = page.getByRole('dialog', { name: /^«Willkommen\.txt» ist in .+ bereits vorhanden$/ });
  await expect(exists.getByRole('button', { name: 'Beide behalten' })).toBeVisible({ timeout: 20_000 });
  await expectGerman(page, 'already exists dialog');
  await exists.getByRole('button', { name: 'Überspringen' }).click();
  await expect(transfers.getByText(/Übersprungen: Eine Datei mit diesem Namen/).first()).toBeVisible({
    timeout: 20_000,
  });

  await open(page, 'Kalender', 2);
  const calendar = page.getByRole('treeitem', { name: 'Arbeit' }).first();
  await calendar.click();
  await expect(page.getByRole('spinbutton', { name: 'Tage zurück' })).toBeVisible();
  await expectGerman(page, 'calendar and its window');

  await open(page, 'Kontakte', 2);
  await open(page, 'Mail', 2);
  await expectGerman(page, 'contacts and mail');

  await page.getByRole('button', { name: 'Verbindungen' }).click();
  await expect(page.getByRole('dialog', { name: 'Verbindungen' })).toBeVisible();
  await expectGerman(page, 'connections');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Einstellungen' }).click();
  const settings = page.getByRole('dialog', { name: 'Einstellungen' });
  // The language in use is named, not just "System".
  await expect(settings.getByLabel('Sprache').locator('option:checked')).toHaveText('System (Deutsch)');
  await expectGerman(page, 'settings');
});
