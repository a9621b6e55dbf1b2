import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from './shared-page';
import ICAL from 'ical.js';
import PostalMime from 'postal-mime';
import type { RunningHost } from './host';
import {
  connectWithToken,
  detail,
  expand,
  openPath,
  fetchFromSimulator,
  listFiles,
  sha256,
  startHostFor,
  startSimulator,
  treeitem,
  waitForTransferDone,
  DEMO_TOKEN,
} from './helpers';
import type { Simulator } from './helpers';
import type { Page } from '@playwright/test';

let sim: Simulator;
let host: RunningHost;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

async function open(page: Page, scenario: string, token: string) {
  sim = await startSimulator({ scenario, quiet: true });
  host = await startHostFor(sim);
  await page.goto(host.url);
  await connectWithToken(page, token);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
}

async function downloadSelected(page: Page) {
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Download', exact: true }).click();
}

test('kDrive: every drive of every account, files downloaded byte for byte, a folder with its structure', async ({
  page,
}) => {
  await open(page, 'demo', DEMO_TOKEN);
  await openPath(page, ['Lea Brunner', 'kDrive']);
  // Two accounts own drives: "Muster AG" (two drives) is a group; "Lea Brunner" owns one drive, shown
  // directly without an account level; "Team Zürich" (reachable through both accounts) shows once.
  await expect(treeitem(page, 'Lea privat', 3)).toBeVisible();
  await expect(treeitem(page, 'Lea Brunner', 3)).toHaveCount(0);
  await expand(page, 'Muster AG', 3);
  await expect(treeitem(page, 'Team Zürich')).toHaveCount(1);
  await openPath(page, [
    'Lea Brunner',
    'kDrive',
    'Muster AG',
    'Muster AG',
    'Common documents',
    'Projekte',
    '2025 Website-Relaunch',
  ]);

  // One text file.
  await treeitem(page, 'Sitemap.md').click();
  const sitemapId = await detail(page, 'ID');
  expect(await detail(page, 'Path in kDrive')).toBe('/Common documents/Projekte/2025 Website-Relaunch/Sitemap.md');
  await downloadSelected(page);
  await waitForTransferDone(page, 'Sitemap.md');
  const local = readFileSync(join(host.downloadsDir, 'Sitemap.md'));
  expect(sha256(local)).toBe(
    sha256(await fetchFromSimulator(sim, `/2/drive/610001/files/${sitemapId}/download`, DEMO_TOKEN)),
  );

  // The same file again is already there (23.1): skipped, not asked, nothing written.
  await downloadSelected(page);
  const transfers = page.getByRole('region', { name: 'Transfers' });
  await expect(transfers.getByRole('listitem', { name: 'Sitemap.md' }).first()).toContainText('Already there', {
    timeout: 30_000,
  });
  expect(existsSync(join(host.downloadsDir, 'Sitemap (1).md'))).toBe(false);

  // Changed here, it never overwrites: asked (13.5), Keep both gives "Sitemap (1).md".
  writeFileSync(join(host.downloadsDir, 'Sitemap.md'), 'changed here');
  await downloadSelected(page);
  await page
    .getByRole('dialog', { name: '“Sitemap.md” already exists in downloads' })
    .getByRole('button', { name: 'Keep both' })
    .click();
  await expect.poll(() => existsSync(join(host.downloadsDir, 'Sitemap (1).md'))).toBe(true);

  // A whole folder keeps its structure.
  await treeitem(page, 'Design').click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'Design');
  const files = listFiles(join(host.downloadsDir, 'Design'));
  expect(files).toContain('Farbpalette.png');
  expect(files.filter((f) => f.startsWith('Entwürfe/'))).toHaveLength(6);
  const png = readFileSync(join(host.downloadsDir, 'Design', 'Farbpalette.png'));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});

test('kDrive: a folder as one zip through the archive route', async ({ page }) => {
  await open(page, 'demo', DEMO_TOKEN);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Folder downloads').selectOption('zip');
  await page.getByRole('button', { name: 'Close' }).click();
  await openPath(page, ['Lea Brunner', 'kDrive']);
  await treeitem(page, 'Lea privat', 3).click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'Lea privat.zip');
  const zip = readFileSync(join(host.downloadsDir, 'Lea privat.zip'));
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  expect(sim.log.entries().some((e) => e.method === 'POST' && e.path.includes('/files/archives'))).toBe(true);
});

test('Calendar: events in the window, one calendar as .ics that parses back to the same events', async ({ page }) => {
  await open(page, 'demo', DEMO_TOKEN);
  await openPath(page, ['Lea Brunner', 'Calendar', 'Arbeit']);
  const calendar = treeitem(page, 'Arbeit');
  const level = Number(await calendar.getAttribute('aria-level'));
  const eventRows = page.getByRole('treeitem').and(page.locator(`[aria-level="${level + 1}"]`));
  const titles = await eventRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  expect(titles.length).toBeGreaterThan(3);

  await calendar.click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'Arbeit.ics');
  const ics = readFileSync(join(host.downloadsDir, 'Arbeit.ics'), 'utf8');
  const vcal = new ICAL.Component(ICAL.parse(ics));
  const events = vcal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(events.map((e) => e.summary).sort()).toEqual([...titles].sort());
  const tzids = vcal
    .getAllSubcomponents('vevent')
    .map((v) => v.getFirstProperty('dtstart')?.getParameter('tzid'))
    .filter((z): z is string => typeof z === 'string');
  expect(tzids.length).toBeGreaterThan(0);
  for (const tzid of new Set(tzids)) {
    expect(vcal.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === tzid)).toBe(true);
  }
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

  // One event alone.
  await treeitem(page, titles[0]!).first().click();
  await downloadSelected(page);
  await expect.poll(() => readdirSync(host.downloadsDir).filter((f) => f.endsWith('.ics')).length).toBe(2);
});

test('Contacts: an address book as .vcf, every card parses back', async ({ page }) => {
  await open(page, 'demo', DEMO_TOKEN);
  await openPath(page, ['Lea Brunner', 'Contacts', 'Persönlich']);
  const book = treeitem(page, 'Persönlich');
  const level = Number(await book.getAttribute('aria-level'));
  const count = await page
    .getByRole('treeitem')
    .and(page.locator(`[aria-level="${level + 1}"]`))
    .count();
  expect(count).toBeGreaterThan(3);
  await book.click();
  await downloadSelected(page);
  await waitForTransferDone(page, /Persönlich.*\.vcf/);
  const file = readdirSync(host.downloadsDir).find((f) => f.endsWith('.vcf'))!;
  const vcf = readFileSync(join(host.downloadsDir, file), 'utf8');
  // ICAL.parse gives one jCard for one card, or a list of jCards.
  const parsed = ICAL.parse(vcf) as unknown[];
  const cards = (parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[];
  expect(cards).toHaveLength(count);
  for (const card of cards) expect(new ICAL.Component(card as never).getFirstPropertyValue('fn')).toBeTruthy();
  expect(vcf).toContain('VERSION:3.0');
});

test('Mail (open): mailboxes, folders, messages; a message as .eml (raw, then assembled), a folder as .mbox', async ({
  page,
}) => {
  await open(page, 'demo', DEMO_TOKEN);
  await openPath(page, ['Lea Brunner', 'Mail', 'lea.brunner@muster-ag.ch', /INBOX|Posteingang/]);
  const message = treeitem(page, 'Willkommen bei kSuite');
  await message.click();
  await downloadSelected(page);
  await expect.poll(() => readdirSync(host.downloadsDir).some((f) => f.endsWith('.eml'))).toBe(true);
  const eml = readdirSync(host.downloadsDir).find((f) => f.endsWith('.eml'))!;
  await waitForTransferDone(page, eml);
  expect(readFileSync(join(host.downloadsDir, eml), 'utf8')).toMatch(/^Subject:.*$/im);

  // The raw route refuses from now on: the next message is assembled from its JSON and attachment.
  sim.setMailRaw('forbidden');
  await treeitem(page, 'Offerte Website-Relaunch').click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'Offerte Website-Relaunch.eml');
  const offer = await PostalMime.parse(readFileSync(join(host.downloadsDir, 'Offerte Website-Relaunch.eml')));
  expect(offer.subject).toBe('Offerte Website-Relaunch');
  expect(offer.from).toMatchObject({ name: 'Sarah Cohen', address: 'sarah.cohen@designpartners.example' });
  expect(offer.attachments.map((a) => a.filename)).toEqual(['Offerte Relaunch.csv']);
  expect(Buffer.from(offer.attachments[0]!.content as ArrayBuffer).toString('utf8')).toBe(
    'Position;CHF\nKonzept;8000\nDesign;14000\nUmsetzung;26000\n',
  );

  // The folder as one .mbox: its ten messages, each after a `From ` line.
  await treeitem(page, /^(INBOX|Posteingang)/).click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'INBOX.mbox');
  const mbox = readFileSync(join(host.downloadsDir, 'INBOX.mbox'), 'latin1');
  expect(mbox.match(/^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm)).toHaveLength(10);
  expect(mbox).toContain('Subject: Offerte Website-Relaunch');
});

test('edge: hostile names stay inside the download folder and the user is told; a failing account shows an error with Retry; blocked Mail says why', async ({
  page,
}) => {
  await open(page, 'edge', 'edge-full-token');
  await openPath(page, ['Edge Org', 'kDrive']);

  // The failing account is an error node with the reason, not a silently empty kDrive.
  const broken = treeitem(page, 'Broken GmbH');
  await expect(broken).toBeVisible();
  await broken.click();
  await expect(page.getByRole('complementary', { name: 'Details' })).toContainText('could not be listed');
  await expect(
    page.getByRole('complementary', { name: 'Details' }).getByRole('button', { name: 'Retry' }),
  ).toBeVisible();

  // Mail is disabled and says why.
  // A disabled row still selects, so its details can say why (force: Playwright skips aria-disabled rows).
  await treeitem(page, 'Mail', 2).click({ force: true });
  await expect(page.getByRole('complementary', { name: 'Details' })).toContainText(
    'Mail is not available for this token',
  );

  await openPath(page, ['Edge Org', 'kDrive', 'Edge Org', 'Edge Cases', 'Common documents']);
  // A locked file says "Status" once (23.7): its state in words, not the API's status beside it.
  await treeitem(page, 'Locked.docx').click();
  const terms = page.getByRole('complementary', { name: 'Details' }).getByRole('term');
  await expect(terms.filter({ hasText: /^Status$/ })).toHaveCount(1);
  await treeitem(page, 'Hostile names').click();
  await downloadSelected(page);
  await waitForTransferDone(page, 'Hostile names');
  const root = join(host.downloadsDir, 'Hostile names');
  const files = listFiles(root);
  expect(files.length).toBeGreaterThan(20);
  for (const f of files) {
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(f).not.toMatch(/[\x00-\x1f\x7f<>:"|?*\\]/);
    expect(f.split('/').every((seg) => !/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(seg))).toBe(true);
    expect(Buffer.byteLength(f.split('/').at(-1)!)).toBeLessThanOrEqual(255);
  }
  // Nothing escaped next to the download folder.
  expect(readdirSync(dirname(host.downloadsDir)).some((n) => n.includes('escape'))).toBe(false);
  // Case-only and NFC/NFD clashes got distinct names.
  expect(files.filter((f) => /^readme\.md$|^readme \(1\)\.md$/i.test(f))).toHaveLength(2);
  await expect(page.getByRole('region', { name: 'Transfers' })).toContainText('names were changed to be safe on disk');
});

test('a 20,000-file folder: rows stream in, the DOM stays small, screen readers hear 20000', async ({ page }) => {
  await open(page, 'scale', 'scale-token');
  await openPath(page, ['Scale AG', 'kDrive', 'Scale', 'Common documents', 'Big folder']);
  const first = page.getByRole('treeitem').and(page.locator('[aria-setsize="20000"]')).first();
  await expect(first).toBeVisible();
  await expect(first).toHaveAttribute('aria-posinset', '1');
  const tree = page.getByRole('tree');
  let maxRows = 0;
  const inBigFolder = page.locator('[role="treeitem"][aria-setsize="20000"]');
  for (let i = 0; i < 10; i++) {
    await tree.evaluate((el, step) => (el.scrollTop = (el.scrollHeight * step) / 10), i);
    // The virtualizer has rendered the rows at this scroll position (a tenth of 20,000 per step).
    const near = i * 2000;
    await expect
      .poll(() =>
        inBigFolder.evaluateAll(
          (els, at) => els.some((e) => Math.abs(Number(e.getAttribute('aria-posinset')) - at) <= 60),
          near,
        ),
      )
      .toBe(true);
    maxRows = Math.max(maxRows, await page.getByRole('treeitem').count());
  }
  expect(maxRows).toBeLessThan(200);
  await page.keyboard.press('End');
  await expect(page.locator('[role="treeitem"][aria-posinset="20000"][aria-setsize="20000"]')).toHaveCount(1);
  const listings = sim.log
    .entries()
    .filter((e) => e.path.includes('/files/3/files') || /\/files\/\d+\/files\?/.test(e.path));
  expect(listings.length).toBeGreaterThanOrEqual(20);
});
