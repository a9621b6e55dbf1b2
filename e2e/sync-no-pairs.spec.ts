/**
 * The Sync section without pairs, at the minimum window size (640×480): one line (heading, note and
 * a disclosure button), so the tree keeps the height; the hint opens and closes with the keyboard.
 * English and German, each with the built-in demo (no sync pairs in a fresh data folder).
 */
import { expect, test } from './shared-page';
import type { Locator } from '@playwright/test';
import { expectAxeClean } from './helpers';
import { startHost } from './host';
import type { RunningHost } from './host';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  host = undefined;
});

// The main window's minimum size (main/shell/window.ts: minWidth 640, minHeight 480).
test.use({ viewport: { width: 640, height: 480 } });

const heightOf = async (locator: Locator) => (await locator.boundingBox())!.height;

const WORDS = {
  en: {
    demo: 'Try the demo',
    settings: 'Settings',
    region: 'Sync',
    none: 'No folders are kept in sync.',
    how: 'How to keep a folder in sync',
    hint: /choose "Keep in sync…"/,
  },
  de: {
    demo: 'Demo ausprobieren',
    settings: 'Einstellungen',
    region: 'Synchronisation',
    none: 'Keine synchronisierten Ordner.',
    how: 'So halten Sie einen Ordner synchron',
    hint: /dann in den Details «Synchron halten…»/,
  },
} as const;

for (const lang of ['en', 'de'] as const) {
  const w = WORDS[lang];
  test(`640×480, no sync pairs (${lang}): the Sync section keeps to one line; its hint opens by keyboard`, async ({
    page,
  }) => {
    host = await startHost({ lang });
    await page.goto(host.url);
    await page.getByRole('button', { name: w.demo }).click();
    await expect(page.getByRole('treeitem').first()).toBeVisible({ timeout: 30_000 });
    const sync = page.getByRole('region', { name: w.region });
    await expect(sync).toBeVisible();
    // One line: the rest of the height stays with the tree.
    expect(await heightOf(sync)).toBeLessThanOrEqual(40);
    await expect(sync.getByText(w.none, { exact: true })).toBeVisible();

    // The hint is a disclosure: reached with Tab, opened and closed with the keyboard.
    const how = sync.getByRole('button', { name: w.how });
    await expect(how).toHaveAttribute('aria-expanded', 'false');
    await expect(sync.getByText(w.hint)).toBeHidden();
    await page.getByRole('button', { name: w.settings }).focus();
    for (let i = 0; i < 40 && !(await how.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(how).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(how).toHaveAttribute('aria-expanded', 'true');
    await expect(sync.getByText(w.hint)).toBeVisible();
    await expectAxeClean(page, `Sync hint shown (${lang})`);
    await page.keyboard.press('Space');
    await expect(how).toHaveAttribute('aria-expanded', 'false');
    await expect(sync.getByText(w.hint)).toBeHidden();
    expect(await heightOf(sync)).toBeLessThanOrEqual(40);
    await expectAxeClean(page, `Sync without pairs (${lang})`);
  });
}
