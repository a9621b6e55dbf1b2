/**
 * Making a sync pair as the issue asks (21.3), through the browser host against the simulator: the
 * form says one-way and when it runs; Create → Preview → Start (the Preview before any download,
 * shown in the form; after Start it is gone); the folder is marked "Synced" in the tree and its
 * Details say where it is kept; a pair on the folder holding it is refused next to the form, not in
 * the Sync section; the pair row says one-way; Remove asks, says the files stay, and they do. Axe clean.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import { expectAxeClean, listFiles, openPath, PROJECT, treeitem, useDemo } from './helpers';

const demo = useDemo();
const ONE_WAY = 'Cloud → this computer. Changes you make here stay here and are never uploaded.';

test('Create → Preview → Start, the synced folder marked, refusals next to the form, Remove keeps the files', async ({
  page,
}) => {
  await demo.open(page);
  const downloads = () => demo.sim.log.entries().filter((e) => /\/download\b/.test(e.path)).length;
  await openPath(page, PROJECT.slice(0, 5));
  await treeitem(page, 'Marketing').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  const form = details.getByRole('form', { name: 'Keep in sync…' });
  await expect(form.getByText(ONE_WAY)).toBeVisible();
  await expect(form.getByText(/runs on its own every 15 minutes, and within a minute of a change/)).toBeVisible();
  await expectAxeClean(page, 'the Keep in sync form');

  // Create: the pair waits; nothing is downloaded.
  await form.getByRole('button', { name: 'Create sync pair' }).click();
  const made = details.getByRole('region', { name: 'Keep in sync…' });
  await expect(made.getByRole('status')).toHaveText(
    'Sync pair created for “Marketing”. Nothing is downloaded until you start it.',
  );
  const sync = page.getByRole('region', { name: 'Sync', exact: true });
  const pair = sync.getByRole('listitem', { name: 'Marketing' });
  await expect(pair.getByText('Not started', { exact: true })).toBeVisible();
  await expect(pair.getByText(ONE_WAY)).toBeVisible();
  const local = join(demo.host.downloadsDir, 'PowerOn Sources', 'Lea Brunner', 'kDrive', 'Muster AG');
  const folder = join(local, 'Common documents', 'Marketing');
  expect(existsSync(folder) ? listFiles(folder) : []).toEqual([]);

  // Preview, before the first run, in the form: what the first run would download.
  await made.getByRole('button', { name: 'Preview' }).click();
  const plan = made.getByRole('list', { name: 'Planned changes' });
  await expect(plan.getByRole('listitem')).toHaveCount(4, { timeout: 20_000 });
  for (const line of await plan.getByRole('listitem').allTextContents()) expect(line).toMatch(/^Download /);
  await expect(sync.getByRole('list', { name: 'Planned changes' })).toHaveCount(0);
  expect(downloads()).toBe(0);
  await expectAxeClean(page, 'a pair waiting for its Start, with its Preview');

  // Start: the form closes, the run downloads the four files, the Preview is gone.
  await made.getByRole('button', { name: 'Start' }).click();
  await expect(made).toBeHidden();
  await expect(pair.getByText(/^Last run just now: /)).toHaveText('Last run just now: 4 new', { timeout: 30_000 });
  const files = listFiles(folder);
  expect(files).toHaveLength(4);
  await expect(page.getByRole('list', { name: 'Planned changes' })).toHaveCount(0);
  await expect(pair.getByText(ONE_WAY)).toBeVisible();

  // The tree marks the folder.
  await expect(treeitem(page, 'Marketing')).toHaveAccessibleDescription(/^Synced, kept in sync with .*Marketing/);
  await expect(treeitem(page, 'Projekte')).not.toHaveAccessibleDescription(/Synced/);

  // The same folder says where it is kept; the folder holding it is refused next to the form, not
  // in the Sync section.
  await treeitem(page, 'Marketing').click();
  await expect(details.getByText(/^Kept in sync with .*Marketing\.$/)).toBeVisible();
  await expect(details.getByRole('button', { name: 'Keep in sync…' })).toHaveCount(0);
  await treeitem(page, 'Common documents').click();
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  await form.getByRole('button', { name: 'Create sync pair' }).click();
  await expect(form.getByRole('alert')).toContainText('holds “Marketing”, which is already kept in sync');
  await expect(sync.getByRole('alert')).toHaveCount(0);
  await expect(sync.getByRole('listitem')).toHaveCount(1);
  await expectAxeClean(page, 'a refused pair');

  // Remove asks, says the files stay, and they do.
  await pair.getByRole('button', { name: 'Remove' }).click();
  const ask = page.getByRole('dialog', { name: 'Remove the sync pair “Marketing”?' });
  await expect(ask).toContainText('stay on this computer');
  await expectAxeClean(page, 'Remove asks');
  await ask.getByRole('button', { name: 'Remove pair' }).click();
  await expect(ask).toBeHidden();
  await expect(pair).toHaveCount(0);
  expect(listFiles(folder)).toEqual(files);
  await expect(treeitem(page, 'Marketing')).not.toHaveAccessibleDescription(/Synced/);
});
