/**
 * Screenshots of the real UI through the browser host with the built-in demo, for docs/screenshots/.
 * Not a test: run after `npm run build` with
 *   npx tsx e2e/screenshots.ts <prefix>      (e.g. before2, after2)
 * It writes docs/screenshots/<prefix>-<screen>-<lang>-<width>x<height>.png for English and German at
 * 1280×800 and 640×480: the empty state, the Add dialog after a refused token, the demo with a
 * folder open, a file selected and a finished download (`demo`); then the screens of issue 23: the
 * focus inside a selection (`selection`), the context menu (`menu`), the existing-file question
 * (`existing`) and the transfer after Esc (`skipped`), three sync pairs (`sync`) and with server
 * search results (`sync-search`), and Settings (`settings`). The flows use only what both the build
 * before issue 23 and after it offer, so the same script takes both sets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { startHost } from './host';

const prefix = process.argv[2] ?? 'after';
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
const sizes = [
  { width: 1280, height: 800 },
  { width: 640, height: 480 },
] as const;

const words = {
  en: {
    add: 'Add connection',
    demo: 'Try the demo',
    connect: 'Connect',
    token: 'Personal Access Token',
    done: 'Done',
    sources: 'Sources',
    download: 'Download',
    transfers: 'Transfers',
    keep: 'Keep in sync…',
    create: 'Create sync pair',
    start: 'Start',
    sync: 'Sync',
    settings: 'Settings',
    search: /on the server$/,
    results: 'Server search results',
  },
  de: {
    add: 'Verbindung hinzufügen',
    demo: 'Demo ausprobieren',
    connect: 'Verbinden',
    token: 'Persönliches Zugriffstoken',
    done: 'Fertig',
    sources: 'Quellen',
    download: 'Herunterladen',
    transfers: 'Übertragungen',
    keep: 'Synchron halten…',
    create: 'Synchronisation einrichten',
    start: 'Starten',
    sync: 'Synchronisation',
    settings: 'Einstellungen',
    search: /auf dem Server durchsuchen$/,
    results: 'Suchergebnisse vom Server',
  },
} as const;
type Words = (typeof words)[keyof typeof words];

/** Resolves after the page has painted twice (a layout change has reached the screen). */
const painted = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

const treeRow = (page: Page, name: string | RegExp, level: number) =>
  page
    .getByRole('treeitem', { name, exact: typeof name === 'string' })
    .and(page.locator(`[aria-level="${level}"]`))
    .first();

async function row(page: Page, name: string | RegExp, level: number) {
  const item = treeRow(page, name, level);
  await item.click();
  if ((await item.getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
  await expect(item).toHaveAttribute('aria-expanded', 'true');
  await expect(item).not.toHaveAttribute('aria-busy', 'true', { timeout: 20_000 });
}

async function shoot(page: Page, screen: string, lang: string, size: { width: number; height: number }) {
  await page.setViewportSize(size);
  await painted(page);
  await page.screenshot({ path: join(out, `${prefix}-${screen}-${lang}-${size.width}x${size.height}.png`) });
}

async function shootBoth(page: Page, screen: string, lang: string) {
  for (const size of sizes) await shoot(page, screen, lang, size);
  await page.setViewportSize(sizes[0]);
  await painted(page);
}

const download = (page: Page, w: Words) =>
  page.getByRole('region', { name: w.sources }).getByRole('button', { name: w.download, exact: true }).click();

/** The project folder's rows open, from the connection down. */
async function openProject(page: Page) {
  await row(page, /Lea Brunner/, 1);
  await row(page, 'kDrive', 2);
  await row(page, 'Muster AG', 3);
  await row(page, 'Muster AG', 4);
  await row(page, 'Common documents', 5);
  await row(page, 'Projekte', 6);
  await row(page, '2025 Website-Relaunch', 7);
}

async function startScreens(page: Page, w: Words, lang: string) {
  await page.getByRole('button', { name: w.demo }).waitFor();
  for (const size of sizes) await shoot(page, 'empty', lang, size);
  await page.setViewportSize(sizes[0]);
  await page.getByRole('button', { name: w.add }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(w.token, { exact: true }).fill('abc');
  await dialog.getByRole('button', { name: w.connect, exact: true }).click();
  await dialog.getByRole('alert').waitFor();
  for (const size of sizes) await shoot(page, 'add', lang, size);
  await page.keyboard.press('Escape');
  await page.setViewportSize(sizes[0]);
  await page.getByRole('button', { name: w.demo }).click();
  await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
}

async function treeScreens(page: Page, w: Words, lang: string) {
  await openProject(page);
  await page.getByRole('treeitem', { name: 'Sitemap.md', exact: true }).click();
  await download(page, w);
  const transfers = page.getByRole('region', { name: w.transfers });
  await transfers.getByText(w.done, { exact: true }).first().waitFor({ timeout: 30_000 });
  await shootBoth(page, 'demo', lang);

  // Three rows selected, the focus on the middle one (Ctrl+↑ moves the focus only).
  await treeRow(page, 'Design', 8).click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Control+ArrowUp');
  await shootBoth(page, 'selection', lang);

  await page.getByRole('treeitem', { name: 'Sitemap.md', exact: true }).click({ button: 'right' });
  await page.getByRole('menu').waitFor();
  await shoot(page, 'menu', lang, sizes[0]);
  await page.keyboard.press('Escape');
}

async function existingScreens(page: Page, w: Words, lang: string, downloadsDir: string) {
  await treeRow(page, 'Willkommen.txt', 6).click();
  await download(page, w);
  const transfers = page.getByRole('region', { name: w.transfers });
  await expect(transfers.getByRole('listitem', { name: 'Willkommen.txt' }).first()).toContainText(w.done, {
    timeout: 30_000,
  });
  // Changed here: both builds ask.
  writeFileSync(join(downloadsDir, 'Willkommen.txt'), 'changed here');
  await download(page, w);
  const question = page.getByRole('dialog', { name: /Willkommen\.txt/ });
  await question.waitFor({ timeout: 20_000 });
  await shootBoth(page, 'existing', lang);
  await page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  // Both builds say it was skipped (before issue 23 as a note beside "Done", after it as the state).
  await expect(transfers.getByRole('listitem', { name: 'Willkommen.txt' }).first()).toContainText(
    lang === 'de' ? 'Übersprungen' : 'Skipped',
    { timeout: 20_000 },
  );
  await painted(page);
  await shootBoth(page, 'skipped', lang);
}

/** Makes a pair and waits until the Sync section lists `count` (the layout settles before the next click). */
async function keepInSync(page: Page, w: Words, name: string, level: number, count: number) {
  await treeRow(page, name, level).click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: w.keep }).click();
  await details.getByRole('button', { name: w.create }).click();
  await details.getByRole('button', { name: w.start }).click();
  const sync = page.getByRole('region', { name: w.sync });
  await expect(sync.getByRole('listitem')).toHaveCount(count, { timeout: 30_000 });
  await painted(page);
}

async function syncScreens(page: Page, w: Words, lang: string) {
  await keepInSync(page, w, 'Verwaltung', 6, 1);
  await keepInSync(page, w, 'Marketing', 6, 2);
  await keepInSync(page, w, '2026 Jahresbericht', 7, 3);
  await shootBoth(page, 'sync', lang);

  await page.setViewportSize(sizes[1]);
  await page.getByRole('searchbox').fill('a');
  await page.getByRole('button', { name: w.search }).click();
  await page.getByRole('region', { name: w.results }).getByRole('status').waitFor();
  await expect(page.getByRole('region', { name: w.results }).getByRole('status')).not.toHaveText(/…$/);
  await shoot(page, 'sync-search', lang, sizes[1]);
  await page.setViewportSize(sizes[0]);
  await page.getByRole('searchbox').fill('');
}

async function settingsScreens(page: Page, w: Words, lang: string) {
  await page.getByRole('button', { name: w.settings, exact: true }).click();
  await page.getByRole('dialog').waitFor();
  await shootBoth(page, 'settings', lang);
  await page.keyboard.press('Escape');
}

async function run(lang: 'en' | 'de'): Promise<void> {
  const w = words[lang];
  const host = await startHost({ lang });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: sizes[0] });
    await page.goto(host.url);
    await startScreens(page, w, lang);
    await treeScreens(page, w, lang);
    await existingScreens(page, w, lang, host.downloadsDir);
    await syncScreens(page, w, lang);
    await settingsScreens(page, w, lang);
  } finally {
    await browser.close();
    await host.stop({ remove: true });
  }
}

mkdirSync(out, { recursive: true });
for (const lang of ['en', 'de'] as const) await run(lang);
process.stdout.write(`screenshots written to ${out}\n`);
