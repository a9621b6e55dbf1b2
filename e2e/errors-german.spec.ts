/**
 * Issue 20.6: errors in the user's language, and files read back from disk. A sync pair's
 * last-run.json is damaged while the host is stopped (before: the page stayed blank), and a file
 * takes the place of its folder; the host starts again in German: the pair is listed as not synced
 * yet (the damaged file is ignored and logged), and Sync now says in German that the sync folder is
 * not a folder, naming it, with what to do (it used to show a generic line that sent the user to the
 * download folder).
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import type { RunningHost } from './host';
import { connectWithToken, DEMO_TOKEN, openPath, startHostFor, startSimulator, treeitem } from './helpers';
import type { Simulator } from './helpers';

let sim: Simulator | undefined;
const hosts: RunningHost[] = [];
test.afterEach(async () => {
  // The second host keeps its data in the first one's folder: stopped first, removed last.
  for (const h of hosts.splice(0).reverse()) await h.stop({ remove: true });
  await sim?.close();
});

function pairRow(page: Page, region: string, name: string) {
  return page.getByRole('region', { name: region }).getByRole('listitem', { name });
}

test('a damaged last run and a file in place of the sync folder, in German: listed, and worded with what to do', async ({
  page,
}) => {
  test.setTimeout(120_000);
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  const first = await startHostFor(sim);
  hosts.push(first);
  await page.goto(first.url);
  await connectWithToken(page, DEMO_TOKEN);
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await openPath(page, ['Lea Brunner', 'Calendar']);
  await treeitem(page, 'Arbeit').first().click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Keep in sync…' }).click();
  const form = details.getByRole('form', { name: 'Keep in sync…' });
  await form.getByRole('radio', { name: 'One file', exact: true }).check();
  await form.getByRole('button', { name: 'Create sync pair' }).click();
  // Create → Preview → Start (issue 21.3): the pair runs once started.
  await details.getByRole('region', { name: 'Keep in sync…' }).getByRole('button', { name: 'Start' }).click();
  await expect(pairRow(page, 'Sync', 'Arbeit').getByText(/Last run .*: 1 new/)).toBeVisible({ timeout: 60_000 });
  await first.stop();

  const syncData = join(first.dataDir, 'sync');
  const pairDir = readdirSync(syncData, { withFileTypes: true }).find((d) => d.isDirectory())!.name;
  writeFileSync(join(syncData, pairDir, 'last-run.json'), '{"startedAt": 1, "counts": null}');
  const local = join(first.downloadsDir, 'PowerOn Sources', 'Lea Brunner', 'Calendar', 'Arbeit');
  rmSync(local, { recursive: true, force: true });
  writeFileSync(local, 'a file where the sync folder was');

  const host = await startHostFor(sim, { lang: 'de', dataDir: first.dataDir, downloadsDir: first.downloadsDir });
  hosts.push(host);
  await page.goto(host.url);
  const row = pairRow(page, 'Synchronisation', 'Arbeit');
  await expect(row.getByText('Noch nicht synchronisiert')).toBeVisible({ timeout: 20_000 });
  expect(host.log()).toMatch(/last-run\.json: not in the expected shape .*ignored/);

  await row.getByRole('button', { name: 'Jetzt synchronisieren' }).click();
  const alert = row.getByRole('alert');
  await expect(alert).toHaveText(
    `Der Synchronisationsordner «${local}» ist kein Ordner (an seiner Stelle liegt eine Datei). Verschieben Sie die Datei oder entfernen Sie diese Synchronisation.`,
    { timeout: 20_000 },
  );
  await expect(alert).not.toContainText('Download-Ordner');
  await expect(alert).not.toContainText('sync folder');
});
