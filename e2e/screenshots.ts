/**
 * Screenshots of the real UI through the browser host with the built-in demo, for docs/screenshots/.
 * Not a test: run after `npm run build` with
 *   npx tsx e2e/screenshots.ts <prefix>      (e.g. before, after)
 * It writes docs/screenshots/<prefix>-<screen>-<lang>-<width>x<height>.png for English and German at
 * 1280×800 and 640×480: the empty state, the Add dialog after a refused token, and the demo with a
 * folder open, a file selected and a finished download.
 */
import { mkdirSync } from 'node:fs';
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
  en: { add: 'Add connection', demo: 'Try the demo', connect: 'Connect', token: 'Personal Access Token', done: 'Done' },
  de: {
    add: 'Verbindung hinzufügen',
    demo: 'Demo ausprobieren',
    connect: 'Verbinden',
    token: 'Persönliches Zugriffstoken',
    done: 'Fertig',
  },
} as const;

/** Resolves after the page has painted twice (a layout change has reached the screen). */
const painted = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function row(page: Page, name: string | RegExp, level: number) {
  const item = page
    .getByRole('treeitem', { name, exact: typeof name === 'string' })
    .and(page.locator(`[aria-level="${level}"]`));
  await item.first().click();
  if ((await item.first().getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
  await expect(item.first()).toHaveAttribute('aria-expanded', 'true');
  await expect(item.first()).not.toHaveAttribute('aria-busy', 'true', { timeout: 20_000 });
}

async function shoot(page: Page, screen: string, lang: string, size: { width: number; height: number }) {
  await page.setViewportSize(size);
  await painted(page);
  await page.screenshot({ path: join(out, `${prefix}-${screen}-${lang}-${size.width}x${size.height}.png`) });
}

async function run(lang: 'en' | 'de'): Promise<void> {
  const w = words[lang];
  const host = await startHost({ lang });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: sizes[0] });
    await page.goto(host.url);
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
    await row(page, /Lea Brunner/, 1);
    await row(page, 'kDrive', 2);
    await row(page, 'Muster AG', 3);
    await row(page, 'Muster AG', 4);
    await row(page, 'Common documents', 5);
    await row(page, 'Projekte', 6);
    await row(page, '2025 Website-Relaunch', 7);
    await page.getByRole('treeitem', { name: 'Sitemap.md', exact: true }).click();
    const download = page.getByRole('region', { name: lang === 'de' ? 'Quellen' : 'Sources' });
    await download.getByRole('button', { name: lang === 'de' ? 'Herunterladen' : 'Download', exact: true }).click();
    const transfers = page.getByRole('region', { name: lang === 'de' ? 'Übertragungen' : 'Transfers' });
    await transfers.getByText(w.done, { exact: true }).first().waitFor({ timeout: 30_000 });
    for (const size of sizes) await shoot(page, 'demo', lang, size);
  } finally {
    await browser.close();
    await host.stop({ remove: true });
  }
}

mkdirSync(out, { recursive: true });
for (const lang of ['en', 'de'] as const) await run(lang);
process.stdout.write(`screenshots written to ${out}\n`);
