/**
 * The shared page (shared-page.ts) is one page per worker, and each test still starts from nothing
 * the previous one left. The tests of this file run in order in one worker: each plants something
 * a reset must undo, and the next checks it is gone and whether the page is the same one.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Page } from '@playwright/test';
import { expect, test } from './shared-page';

// In order, in one worker: each test checks what the one before it left.
test.describe.configure({ mode: 'default' });

let server: Server;
let origin = '';
const pages: Page[] = [];

test.beforeAll(async () => {
  server = createServer((_req, res) => res.end('<!doctype html><title>blank</title><p>blank</p>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('1 plants storage, a route, a permission, a second page, a listener, dark, a small viewport', async ({
  page,
  context,
}) => {
  pages.push(page);
  expect(page.url()).toBe('about:blank');
  await page.goto(origin);
  await page.evaluate(() => {
    localStorage.setItem('planted', 'local');
    sessionStorage.setItem('planted', 'session');
  });
  await context.route(`${origin}/routed`, (route) => route.fulfill({ body: 'routed by test 1' }));
  await page.route(`${origin}/page-routed`, (route) => route.fulfill({ body: 'routed by test 1' }));
  await context.grantPermissions(['clipboard-read'], { origin });
  await context.newPage();
  page.on('console', () => {
    throw new Error('a listener of test 1 ran in test 2');
  });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 400, height: 300 });
});

test('2 finds none of it, on the same page', async ({ page, context }) => {
  pages.push(page);
  expect(page).toBe(pages[0]);
  expect(page.url()).toBe('about:blank');
  expect(context.pages()).toEqual([page]);
  expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  await page.goto(origin);
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
  expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(false);
  expect(await page.evaluate(() => fetch('/routed').then((r) => r.text()))).toContain('blank');
  expect(await page.evaluate(() => fetch('/page-routed').then((r) => r.text()))).toContain('blank');
  const state = await page.evaluate(() =>
    navigator.permissions.query({ name: 'clipboard-read' as PermissionName }).then((p) => p.state),
  );
  expect(state).not.toBe('granted');
  await page.evaluate(() => console.log('no listener of test 1 may hear this'));
});

test.describe('a viewport from test.use', () => {
  test.use({ viewport: { width: 640, height: 480 } });
  test('3 is applied to the shared page', async ({ page }) => {
    pages.push(page);
    expect(page).toBe(pages[0]);
    expect(page.viewportSize()).toEqual({ width: 640, height: 480 });
    await page.goto(origin);
    expect(await page.evaluate(() => innerWidth)).toBe(640);
  });
});

test('4 installs a fake clock, which cannot be undone', async ({ page }) => {
  pages.push(page);
  await page.clock.install({ time: new Date('2020-01-01T00:00:00Z') });
  await page.goto(origin);
  expect(await page.evaluate(() => new Date().getFullYear())).toBe(2020);
});

test('5 gets a new page with the real clock', async ({ page }) => {
  pages.push(page);
  expect(page).not.toBe(pages[3]);
  await page.goto(origin);
  expect(await page.evaluate(() => new Date().getFullYear())).toBeGreaterThan(2020);
});

test('6 fails as expected, half-way through something', async ({ page }) => {
  test.fail();
  pages.push(page);
  await page.goto(origin);
  await page.evaluate(() => localStorage.setItem('half', 'way'));
  expect(1).toBe(2);
});

test('7 after a failure gets a new page, and the storage is gone', async ({ page }) => {
  expect(page).not.toBe(pages[5]);
  await page.goto(origin);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});
