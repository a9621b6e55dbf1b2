import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type axe from 'axe-core';
import { expect, test } from './shared-page';
import type { Page } from '@playwright/test';
import { Agent, fetch } from 'undici';
import { startSimulator } from '../simulator/index';
import type { Simulator } from '../simulator/index';
import { startHost } from './host';
import type { HostOptions, RunningHost } from './host';

export { startSimulator };
export type { Simulator };

/** A host whose Infomaniak endpoints point at the simulator (env overrides + its CA). */
export function startHostFor(sim: Simulator, options: HostOptions = {}): Promise<RunningHost> {
  return startHost({ lang: 'en', ...options, env: { ...sim.env(), ...options.env } });
}

export async function connectWithToken(page: Page, token: string): Promise<void> {
  const openers = page.getByRole('button', { name: 'Add connection' });
  await openers.first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect Infomaniak' });
  await dialog.getByLabel('Personal Access Token').fill(token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
}

/** A row of the Sources tree by accessible name, optionally at one depth (aria-level, 1 = connection). */
export function treeitem(page: Page, name: string | RegExp, level?: number) {
  const rows = page.getByRole('tree').getByRole('treeitem', { name, exact: typeof name === 'string' });
  return level === undefined ? rows : rows.and(page.locator(`[aria-level="${level}"]`));
}

/** Focuses a row and opens it with the keyboard (ArrowRight), then waits for its children. */
export async function expand(page: Page, name: string | RegExp, level?: number): Promise<void> {
  const row = treeitem(page, name, level).first();
  await row.click();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  await expect(row).not.toHaveAttribute('aria-busy', 'true', { timeout: 20_000 });
}

/** Opens a path of rows from the connection down, one level at a time. */
export async function openPath(page: Page, names: Array<string | RegExp>): Promise<void> {
  for (const [i, name] of names.entries()) await expand(page, name, i + 1);
}

/** Fetches bytes straight from the simulator with a token, trusting its CA (the reference copy). */
export async function fetchFromSimulator(sim: Simulator, path: string, token: string): Promise<Buffer> {
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  let url = `${sim.urls.api}${path}`;
  for (let hop = 0; hop < 3; hop++) {
    const sameOrigin = url.startsWith(sim.urls.api);
    const res = await fetch(url, {
      dispatcher,
      redirect: 'manual',
      headers: sameOrigin ? { authorization: `Bearer ${token}` } : {},
    });
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }
  throw new Error('too many redirects');
}

/** The value the details pane shows for a fact (e.g. "ID"). */
export async function detail(page: Page, term: string): Promise<string> {
  const pane = page.getByRole('complementary', { name: 'Details' });
  return (
    (await pane
      .locator('dt', { hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]')
      .textContent()) ?? ''
  );
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** All files below a folder, as relative paths. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out.sort();
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Waits until a transfer named `name` reaches `done` in the transfers panel. */
export async function waitForTransferDone(page: Page, name: string | RegExp): Promise<void> {
  const panel = page.getByRole('region', { name: 'Transfers' });
  // Starting a download opens the panel; open it if the user had closed it.
  const hide = panel.getByRole('button', { name: 'Hide transfers' });
  try {
    await hide.waitFor({ timeout: 3000 });
  } catch {
    await panel.getByRole('button', { name: 'Show transfers' }).click();
  }
  const item = panel.getByRole('listitem', { name });
  await expect(item.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
}

/** The demo scenario's token, and the path to its project folder (connection → … → folder). */
export const DEMO_TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
export const PROJECT = [
  'Lea Brunner',
  'kDrive',
  'Muster AG',
  'Muster AG',
  'Common documents',
  'Projekte',
  '2025 Website-Relaunch',
];

export interface DemoSession {
  /** The running simulator and host of the current test (after `open`). */
  readonly sim: Simulator;
  readonly host: RunningHost;
  /** Starts a simulator and a host for it, opens the page and connects with the scenario's token. */
  open(page: Page, options?: { lang?: 'en' | 'de'; scenario?: string; token?: string }): Promise<void>;
}

/** One simulator and host per test, stopped (and its data removed) after each test of the file. */
export function useDemo(): DemoSession {
  let sim: Simulator | undefined;
  let host: RunningHost | undefined;
  test.afterEach(async () => {
    await host?.stop({ remove: true });
    await sim?.close();
    host = undefined;
    sim = undefined;
  });
  return {
    get sim() {
      if (!sim) throw new Error('open() the demo first');
      return sim;
    },
    get host() {
      if (!host) throw new Error('open() the demo first');
      return host;
    },
    async open(page, { lang = 'en', scenario = 'demo', token = DEMO_TOKEN } = {}) {
      sim = await startSimulator({ scenario, quiet: true });
      host = await startHostFor(sim, { lang });
      await page.goto(host.url);
      await connectWithToken(page, token);
      await expect(page.getByRole('dialog')).toBeHidden({ timeout: 20_000 });
    },
  };
}

/**
 * The axe-core these checks have always run: the one `@axe-core/playwright` brings (4.13). The
 * project's own `axe-core` (4.14, for the unit tests in jsdom) also checks Label in Name
 * (`label-content-name-mismatch`, experimental in 4.13), which every tree row fails: a row's
 * accessible name is the node's name, and its size and date are visible text read as its
 * description. Moving the checks to 4.14 needs that decided first.
 */
const axeRequire = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const AXE_SOURCE = readFileSync(axeRequire.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * No serious or critical axe-core violation on the page (or in the part `include` selects).
 *
 * axe-core runs in the page itself (the app has no frames). Its minified build (650 KB) is
 * evaluated once per document, through the DevTools protocol as a page's own scripts are not
 * allowed to (the app's Content-Security-Policy). The package's AxeBuilder, used before, evaluated
 * the unminified one (1.5 MB) twice on every check: with the protocol messages that carried it,
 * about three quarters of a check's CPU. Only violations are gathered in full (`resultTypes`):
 * axe then skips building selectors for every node that passed, the tail of each run.
 */
export async function expectAxeClean(page: Page, what: string, include?: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async ({ include }) => {
      const inPage = (window as unknown as { axe: typeof axe }).axe;
      const results = await inPage.run(include ?? document, { resultTypes: ['violations'] });
      return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target) }));
    },
    { include },
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.targets.map((t) => t.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * The contract calls the page sends to the host (the channel of each `call` frame on its
 * WebSocket), in order. Start it before the page opens. `until(channel)` waits until that channel
 * was called (after `from`, an index into `channels`): a round trip through the host that orders
 * everything the page sent before it.
 */
export function recordCalls(page: Page) {
  const channels: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      try {
        const frame = JSON.parse(payload) as { t?: string; channel?: string };
        if (frame.t === 'call' && typeof frame.channel === 'string') channels.push(frame.channel);
      } catch {
        // not a contract frame
      }
    }),
  );
  return {
    channels,
    async until(channel: string, from = 0): Promise<void> {
      await expect.poll(() => channels.slice(from).includes(channel)).toBe(true);
    },
  };
}

/** The names of the selected rows of the Sources tree, in order. */
export function selectedNames(page: Page): Promise<Array<string | null>> {
  return page
    .getByRole('tree')
    .locator('[role="treeitem"][aria-selected="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
}

/** The filter field's placeholder fits inside the field (measured in its own font). */
export function placeholderFits(page: Page): Promise<boolean> {
  return page.getByRole('searchbox').evaluate((el) => {
    const input = el as HTMLInputElement;
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(input.placeholder).width <= room;
  });
}
