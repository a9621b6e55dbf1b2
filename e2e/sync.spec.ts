/**
 * Quick sync end to end: the real UI through the browser host against the simulator. A pair on a
 * demo folder; remote add/modify/delete/rename/move between runs; the local folder equals the
 * remote tree exactly, the renamed 64 MiB file is not downloaded again, the deleted one is in the
 * pair's `.trash`, a local edit survives as a conflict copy; a host killed with SIGKILL mid-sync
 * finishes on the next run without fetching finished files again; calendar and vdir address book
 * pairs parse back; half the files reported removed trash nothing until the pair row's question is
 * answered (the mass-delete guard).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import ICAL from 'ical.js';
import type { RunningHost } from './host';
import {
  connectWithToken,
  expectAxeClean,
  fetchFromSimulator,
  listFiles,
  openPath,
  PROJECT,
  DEMO_TOKEN,
  startHostFor,
  startSimulator,
  treeitem,
} from './helpers';
import type { Simulator } from './helpers';

const DRIVE = 610001;
const FOLDER = '/Common documents/Projekte/2025 Website-Relaunch';
const MiB = 1024 * 1024;
const DOWNLOAD_ROUTE = 'GET /2/drive/{drive}/files/{file}/download';

let sim: Simulator;
let host: RunningHost | null = null;
test.afterEach(async () => {
  await host?.stop({ remove: true });
  await sim?.close();
});

async function open(page: Page, options: { dataDir?: string; downloadsDir?: string } = {}): Promise<RunningHost> {
  host = await startHostFor(sim, options);
  await page.goto(host.url);
  return host;
}

/** Every file below the folder on the simulator, as relative paths (the expected local tree). */
async function remoteFiles(folderPath: string): Promise<string[]> {
  const id = sim.idOf(DRIVE, folderPath)!;
  const body = await fetchFromSimulator(
    sim,
    `/3/drive/${DRIVE}/files/${id}/files?depth=unlimited&limit=1000&with=path`,
    DEMO_TOKEN,
  );
  const files = (JSON.parse(body.toString('utf8')) as { data: Array<{ type: string; path: string }> }).data;
  return files
    .filter((f) => f.type === 'file')
    .map((f) => f.path.slice(folderPath.length + 1))
    .sort();
}

function pairRow(page: Page, name: string) {
  return page.getByRole('region', { name: 'Sync' }).getByRole('listitem', { name });
}

async function keepInSync(page: Page, path: string[], layout?: 'One file' | 'One file per item (vdir)') {
  await openPath(page, path.slice(0, -1));
  await treeitem(page, path.at(-1)!).first().click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  const form = details.getByRole('form', { name: 'Keep in sync…' });
  if (layout) await form.getByRole('radio', { name: layout, exact: true }).check();
  await form.getByRole('button', { name: 'Create sync pair' }).click();
  // Create → Preview → Start: nothing runs before Start.
  await details.getByRole('region', { name: 'Keep in sync…' }).getByRole('button', { name: 'Start' }).click();
}

async function waitIdle(page: Page, name: string, lastRunText: RegExp) {
  const row = pairRow(page, name);
  await expect(row.getByText(lastRunText)).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 60_000 });
}

const downloadsOf = (id: number) =>
  sim.log.entries().filter((e) => e.route === DOWNLOAD_ROUTE && e.path.includes(`/files/${id}/download`)).length;

test('a kDrive folder: first sync, remote changes, conflict copy, trash, exact tree, no bytes for a rename', async ({
  page,
}) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const folderId = sim.idOf(DRIVE, FOLDER)!;
  const videoId = sim.mutate(DRIVE, { op: 'add', parentId: folderId, name: 'Video.bin', content: { size: 64 * MiB } });
  const h = await open(page);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await keepInSync(page, PROJECT);
  const name = '2025 Website-Relaunch';
  await waitIdle(page, name, /Last run .*: 13 new/);
  const local = join(
    h.downloadsDir,
    'PowerOn Sources',
    'Lea Brunner',
    'kDrive',
    'Muster AG',
    ...FOLDER.split('/').filter(Boolean),
  );
  expect(listFiles(local)).toEqual(await remoteFiles(FOLDER));
  expect(downloadsOf(videoId)).toBe(1);

  // Remote changes between runs, and one local edit of a file that also changes remotely.
  const sitemap = sim.idOf(DRIVE, `${FOLDER}/Sitemap.md`)!;
  writeFileSync(join(local, 'Sitemap.md'), '# my local sitemap edit\n');
  sim.mutate(DRIVE, { op: 'change', id: sitemap, content: { text: '# Sitemap v2 from the cloud\n' } });
  sim.mutate(DRIVE, {
    op: 'add',
    parentId: sim.idOf(DRIVE, `${FOLDER}/Protokolle`)!,
    name: 'Review Sprint 4.md',
    content: { text: 'Sprint 4' },
  });
  sim.mutate(DRIVE, {
    op: 'change',
    id: sim.idOf(DRIVE, `${FOLDER}/Protokolle/Review Sprint 3.md`)!,
    content: { text: 'Sprint 3, corrected' },
  });
  sim.mutate(DRIVE, { op: 'delete', id: sim.idOf(DRIVE, `${FOLDER}/Konzept.pdf`)! });
  sim.mutate(DRIVE, { op: 'rename', id: videoId, name: 'Video renamed.bin' });
  sim.mutate(DRIVE, { op: 'move', id: sim.idOf(DRIVE, `${FOLDER}/Design/Styleguide.fig`)!, parentId: folderId });

  // The Preview lists the plan with paths, and changes nothing.
  const before = listFiles(local);
  await pairRow(page, name).getByRole('button', { name: 'Preview' }).click();
  const plan = page.getByRole('region', { name: 'Sync' }).getByRole('list', { name: 'Planned changes' });
  const lines = [
    'Download Protokolle/Review Sprint 4.md',
    'Update Protokolle/Review Sprint 3.md',
    'Rename Video.bin → Video renamed.bin',
    'Move Design/Styleguide.fig → Styleguide.fig',
    'To trash Konzept.pdf',
    /^Conflict Sitemap\.md → Sitemap \(kDrive conflict \d{4}-\d{2}-\d{2}\)\.md/,
  ];
  await expect(plan.getByRole('listitem')).toHaveCount(lines.length, { timeout: 20_000 });
  for (const line of lines) await expect(plan.getByRole('listitem').filter({ hasText: line })).toHaveCount(1);
  expect(listFiles(local)).toEqual(before);
  await page.getByRole('region', { name: 'Sync' }).getByRole('button', { name: 'Dismiss' }).click();
  await expect(plan).toBeHidden();

  await pairRow(page, name).getByRole('button', { name: 'Sync now' }).click();
  await waitIdle(page, name, /Last run .*: 1 new, 1 updated, 2 moved, 1 to the trash, and 1 conflict$/);
  const expected = [
    ...(await remoteFiles(FOLDER)),
    'Sitemap (kDrive conflict ' + new Date().toISOString().slice(0, 10) + ').md',
  ].sort();
  expect(listFiles(local).filter((f) => !f.startsWith('.trash/'))).toEqual(expected);
  expect(readFileSync(join(local, 'Sitemap.md'), 'utf8')).toBe('# my local sitemap edit\n');
  expect(
    readFileSync(
      join(
        local,
        expected.find((f) => f.includes('conflict'))!,
      ),
      'utf8',
    ),
  ).toBe('# Sitemap v2 from the cloud\n');
  expect(readFileSync(join(local, 'Protokolle', 'Review Sprint 3.md'), 'utf8')).toBe('Sprint 3, corrected');
  expect(existsSync(join(local, '.trash', 'Konzept.pdf'))).toBe(true);
  expect(downloadsOf(videoId)).toBe(1);
});

test('a host killed with SIGKILL mid-sync: the next run completes, nothing twice, nothing lost', async ({ page }) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const folderId = sim.idOf(DRIVE, FOLDER)!;
  // 30 files: with the 13 of the folder, both hosts stay within the token's 60 requests a minute.
  const bulk = sim.mutate(DRIVE, { op: 'add', parentId: folderId, name: 'Bulk', dir: true });
  const ids: number[] = [];
  for (let i = 0; i < 30; i++) {
    ids.push(sim.mutate(DRIVE, { op: 'add', parentId: bulk, name: `part-${i}.bin`, content: { size: 256 * 1024 } }));
  }
  sim.setLatency({ fixedMs: 0, jitterMs: 0, routes: { [DOWNLOAD_ROUTE]: { fixedMs: 700, jitterMs: 0 } } });
  // File by file: this test kills the host between single downloads. (A first run of many small
  // files would otherwise come as one archive, whose kill is tested in main/transfers.)
  sim.setDownloads({ archives: 'forbidden' });
  const first = await open(page);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await keepInSync(page, PROJECT);
  const local = join(
    first.downloadsDir,
    'PowerOn Sources',
    'Lea Brunner',
    'kDrive',
    'Muster AG',
    ...FOLDER.split('/').filter(Boolean),
  );
  const done = () =>
    existsSync(join(local, 'Bulk')) ? readdirSync(join(local, 'Bulk')).filter((f) => f.endsWith('.bin')) : [];
  await expect.poll(() => done().length, { timeout: 30_000 }).toBeGreaterThan(5);
  await first.kill();
  const before = new Set(done());
  expect(before.size).toBeLessThan(30);
  const logAtKill = sim.log.entries().length;

  sim.setLatency({ fixedMs: 0, jitterMs: 0, routes: {} });
  const second = await open(page, { dataDir: first.dataDir, downloadsDir: first.downloadsDir });
  await pairRow(page, '2025 Website-Relaunch').getByRole('button', { name: 'Sync now' }).click();
  await waitIdle(page, '2025 Website-Relaunch', /Last run/);
  expect(listFiles(local)).toEqual(await remoteFiles(FOLDER));
  const after = sim.log
    .entries()
    .slice(logAtKill)
    .filter((e) => e.route === DOWNLOAD_ROUTE);
  for (const name of before) {
    const id = ids[Number(/part-(\d+)\.bin/.exec(name)![1])]!;
    expect(after.some((e) => e.path.includes(`/files/${id}/download`))).toBe(false);
  }
  for (const id of ids) {
    const fetched = sim.log
      .entries()
      .filter((e) => e.route === DOWNLOAD_ROUTE && e.path.includes(`/files/${id}/download`));
    expect(fetched.length).toBeLessThanOrEqual(2);
  }
  await second.stop({ remove: true });
  host = null;
});

test('a calendar as one .ics and an address book as a vdir: both parse back', async ({ page }) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const h = await open(page);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await keepInSync(page, ['Lea Brunner', 'Calendar', 'Arbeit'], 'One file');
  await waitIdle(page, 'Arbeit', /Last run .*: 1 new/);
  const calendarDir = join(h.downloadsDir, 'PowerOn Sources', 'Lea Brunner', 'Calendar', 'Arbeit');
  const ics = readFileSync(join(calendarDir, 'Arbeit.ics'), 'utf8');
  const vcal = new ICAL.Component(ICAL.parse(ics));
  expect(vcal.getAllSubcomponents('vevent').length).toBeGreaterThan(3);

  await keepInSync(page, ['Lea Brunner', 'Contacts', 'Persönlich'], 'One file per item (vdir)');
  await waitIdle(page, 'Persönlich', /Last run .*new/);
  const bookDir = join(h.downloadsDir, 'PowerOn Sources', 'Lea Brunner', 'Contacts', 'Persönlich');
  const cards = readdirSync(bookDir).filter((f) => f.endsWith('.vcf'));
  expect(cards.length).toBeGreaterThan(3);
  for (const file of cards) {
    const card = new ICAL.Component(ICAL.parse(readFileSync(join(bookDir, file), 'utf8')) as never);
    expect(card.getFirstPropertyValue('fn')).toBeTruthy();
    expect(card.getFirstPropertyValue('uid')).toBeTruthy();
  }
});

test('a listing that reports half the files removed trashes nothing and asks in the pair row; the answer trashes them', async ({
  page,
}) => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const h = await open(page);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await keepInSync(page, PROJECT);
  const name = '2025 Website-Relaunch';
  const files = await remoteFiles(FOLDER);
  await waitIdle(page, name, new RegExp(`Last run .*: ${files.length} new`));
  const local = join(
    h.downloadsDir,
    'PowerOn Sources',
    'Lea Brunner',
    'kDrive',
    'Muster AG',
    ...FOLDER.split('/').filter(Boolean),
  );
  const gone = files.slice(0, Math.ceil(files.length / 2));
  expect(gone.length).toBeGreaterThanOrEqual(5);
  for (const f of gone) sim.mutate(DRIVE, { op: 'delete', id: sim.idOf(DRIVE, `${FOLDER}/${f}`)! });

  await pairRow(page, name).getByRole('button', { name: 'Sync now' }).click();
  const question = pairRow(page, name).getByRole('group', {
    name: `Infomaniak reports ${gone.length} files removed from '${name}'. Move them to the trash here?`,
  });
  await expect(question).toBeVisible({ timeout: 60_000 });
  await expect(pairRow(page, name).getByText('Needs attention', { exact: true })).toBeVisible();
  expect(listFiles(local)).toEqual(files);
  await expectAxeClean(page, 'the held question', '.sync-panel');

  await question.getByRole('button', { name: 'Move them to the trash' }).click();
  await waitIdle(page, name, new RegExp(`${gone.length} to the trash$`));
  await expect(question).toBeHidden();
  expect(listFiles(local).filter((f) => !f.startsWith('.trash/'))).toEqual(await remoteFiles(FOLDER));
});
