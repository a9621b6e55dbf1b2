import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './shared-page';
import type { RunningHost } from './host';
import { connectWithToken, openPath, readJson, startHostFor, startSimulator, treeitem } from './helpers';
import type { Simulator } from './helpers';

let sim: Simulator;
let hosts: RunningHost[] = [];
test.beforeEach(async () => {
  sim = await startSimulator({ scenario: 'edge', quiet: true });
  hosts = [];
});
test.afterEach(async () => {
  for (const h of hosts.reverse()) await h.stop({ remove: true });
  await sim.close();
});

const storedConnections = (host: RunningHost) => {
  const file = join(host.dataDir, 'connections.json');
  return existsSync(file) ? ((readJson(file) as { connections?: unknown[] }).connections ?? []) : [];
};

test('connect with a token: three steps, custom endpoints badge, and still connected after a restart', async ({
  page,
}) => {
  const host = await startHostFor(sim);
  hosts.push(host);
  await page.goto(host.url);
  await expect(page.getByRole('status').filter({ hasText: 'Custom endpoints' })).toBeVisible();
  await connectWithToken(page, 'edge-full-token');
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
  await expect(treeitem(page, /Edge/)).toBeVisible();
  const stored = JSON.stringify(storedConnections(host));
  expect(stored).toContain('accountIds');
  expect(stored).not.toContain('edge-full-token');

  // Restart the host on the same data folder.
  await host.stop();
  const again = await startHostFor(sim, { dataDir: host.dataDir });
  hosts.push(again);
  await page.goto(again.url);
  const connection = treeitem(page, /Edge/);
  await expect(connection).toBeVisible();
  await openPath(page, ['Edge Org', 'kDrive']);
  // The standalone account owns one drive: the drive shows directly, under its own name.
  await expect(treeitem(page, 'Standalone')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('a token that lacks a scope is refused, naming the scope, and nothing is stored', () => {
  for (const [token, scope] of [
    ['edge-no-drive-token', 'drive'],
    ['edge-drive-only-token', 'accounts'],
  ] as const) {
    test(`${token} → ${scope}`, async ({ page }) => {
      const host = await startHostFor(sim);
      hosts.push(host);
      await page.goto(host.url);
      await connectWithToken(page, token);
      const dialog = page.getByRole('dialog', { name: 'Connect Infomaniak' });
      await expect(dialog.getByRole('alert')).toContainText(`lacks the scope ${scope}`);
      const failedStep = scope === 'accounts' ? 'Accounts (scope accounts)' : 'kDrive (scope drive)';
      await expect(dialog.getByRole('listitem').filter({ hasText: failedStep })).toContainText('Failed');
      expect(storedConnections(host)).toEqual([]);
      const vault = join(host.dataDir, 'connections.json');
      if (existsSync(vault)) expect(JSON.stringify(readJson(vault))).not.toContain('ciphertext');
    });
  }

  test('a revoked token', async ({ page }) => {
    const host = await startHostFor(sim);
    hosts.push(host);
    await page.goto(host.url);
    await connectWithToken(page, 'edge-revoked-token');
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText('refused the token');
    expect(storedConnections(host)).toEqual([]);
  });
});

test('a token revoked later: needs attention, then Replace token brings it back with its settings', async ({
  page,
}) => {
  sim.addToken({
    value: 'edge-rotating-token-1',
    scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact'],
  });
  sim.addToken({
    value: 'edge-rotating-token-2',
    scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact'],
  });
  const host = await startHostFor(sim);
  hosts.push(host);
  await page.goto(host.url);
  await connectWithToken(page, 'edge-rotating-token-1');
  await expect(treeitem(page, /Edge/)).toBeVisible();
  const [before] = storedConnections(host) as Array<{ id: string; createdAt: number }>;

  sim.revokeToken('edge-rotating-token-1');
  await openPath(page, ['Edge Org', 'kDrive']);
  await expect(page.getByRole('button', { name: /Connections/ }).getByLabel('Needs attention')).toBeVisible();
  await page.getByRole('button', { name: /Connections/ }).click();
  const card = page.getByRole('dialog', { name: 'Connections' }).getByRole('listitem').first();
  await expect(card.getByRole('status')).toHaveText('Needs attention');
  await expect(card).toContainText('Replace it');
  await card.getByRole('button', { name: 'Replace token' }).click();
  const dialog = page.getByRole('dialog', { name: /Replace the token/ });
  await dialog.getByLabel('Personal Access Token').fill('edge-rotating-token-2');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });

  const [after] = storedConnections(host) as Array<{ id: string; createdAt: number; status: string }>;
  expect(after).toMatchObject({ id: before!.id, createdAt: before!.createdAt, status: 'active' });
  await page.getByRole('button', { name: 'Connections' }).click();
  await expect(page.getByRole('dialog', { name: 'Connections' }).getByRole('status')).toHaveText('Active');
});

test('the demo connects through the same flow, is marked, and can be removed', async ({ page }) => {
  const host = await startHostFor(sim);
  hosts.push(host);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(treeitem(page, /\(Demo\)/)).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Connections' }).click();
  const card = page.getByRole('dialog', { name: 'Connections' }).getByRole('listitem').first();
  await expect(card.getByText('Demo', { exact: true })).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await card.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('dialog', { name: 'Connections' }).getByText('No connections yet.')).toBeVisible();
  expect(storedConnections(host)).toEqual([]);
});
