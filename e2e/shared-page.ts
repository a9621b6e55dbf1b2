/**
 * The `test` every spec uses: Playwright's, with one browser page per worker instead of a new
 * context and page for every test. A fresh context and page cost about 1.2 CPU-s per test on the
 * 2-core build machine (a new renderer process loading the app from scratch), about a third of
 * what a test that only opens the demo costs; sharing the page keeps the renderer process.
 *
 * Each test still starts from nothing the previous test left:
 * - its host is new (new data folder, new port); the page comes from about:blank;
 * - after the test, the page's storage (local and session) is cleared on the host's origin, the
 *   other pages of the context are closed, routes, permissions and cookies cleared, the listeners
 *   the test added removed, the color scheme and viewport set back;
 * - a test that failed, closed the page or used `page.clock` (which cannot be uninstalled) gets
 *   its context closed, and the next test a new one.
 * `viewport` (config and `test.use`) is honoured; a spec that needs other context options takes
 * `browser.newContext` itself.
 */
import { expect, test as base } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';

interface Shared {
  context: BrowserContext;
  page: Page;
  /** Set when the test did something that a reset cannot undo. */
  spoiled: boolean;
}

/** The clock's methods: any of them installs fake timers in the context for good. */
const CLOCK_METHODS = ['install', 'fastForward', 'pauseAt', 'resume', 'runFor', 'setFixedTime', 'setSystemTime'];

/** Pages and contexts are event emitters at run time (their typings list only `on` and `off`). */
interface Emitter {
  eventNames(): Array<string | symbol>;
  listeners(name: string | symbol): unknown[];
  off(name: string | symbol, listener: unknown): unknown;
}
const emitter = (target: Page | BrowserContext) => target as unknown as Emitter;

/** The listeners on an emitter, by event, to remove later what a test added. */
function listenersOf(target: Page | BrowserContext): Map<string | symbol, unknown[]> {
  const e = emitter(target);
  return new Map(e.eventNames().map((name) => [name, [...e.listeners(name)]]));
}
function removeAdded(target: Page | BrowserContext, before: Map<string | symbol, unknown[]>): void {
  const e = emitter(target);
  for (const name of e.eventNames()) {
    const kept = before.get(name) ?? [];
    for (const listener of e.listeners(name)) if (!kept.includes(listener)) e.off(name, listener);
  }
}

async function newShared(context: BrowserContext): Promise<Shared> {
  const page = await context.newPage();
  const shared: Shared = { context, page, spoiled: false };
  const clock = page.clock as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of CLOCK_METHODS) {
    const original = clock[method]!.bind(clock);
    clock[method] = (...args) => {
      shared.spoiled = true;
      return original(...args);
    };
  }
  page.on('close', () => (shared.spoiled = true));
  return shared;
}

/** Leaves the shared page as a new one would be, or says it cannot (the caller then drops it). */
async function reset(shared: Shared, colorScheme: 'light' | 'dark' | 'no-preference' | null): Promise<void> {
  const { context, page } = shared;
  for (const other of context.pages()) if (other !== page) await other.close();
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await context.clearPermissions();
  await context.clearCookies();
  if (/^https?:/.test(page.url()))
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
  await page.goto('about:blank');
  await page.emulateMedia({ media: null, colorScheme });
}

export const test = base.extend<object, { sharedPage: { current?: Shared } }>({
  sharedPage: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const holder: { current?: Shared } = {};
      await use(holder);
      await holder.current?.context.close();
    },
    { scope: 'worker' },
  ],
  context: async ({ browser, sharedPage, viewport, colorScheme }, use, testInfo) => {
    sharedPage.current ??= await newShared(await browser.newContext());
    const shared = sharedPage.current;
    const pageListeners = listenersOf(shared.page);
    const contextListeners = listenersOf(shared.context);
    if (viewport) await shared.page.setViewportSize(viewport);
    await use(shared.context);
    // Any end but a pass (a failure, a timeout, an expected failure) may leave the page half-way.
    // (Playwright's own screenshot on failure covers this page too: it shoots every open page.)
    const failed = testInfo.status !== 'passed' && testInfo.status !== 'skipped';
    removeAdded(shared.page, pageListeners);
    removeAdded(shared.context, contextListeners);
    let clean = !failed && !shared.spoiled;
    if (clean)
      clean = await reset(shared, colorScheme).then(
        () => true,
        () => false,
      );
    if (!clean) {
      sharedPage.current = undefined;
      await shared.context.close().catch(() => undefined);
    }
  },
  page: async ({ context, sharedPage }, use) => {
    if (sharedPage.current?.context !== context) throw new Error('the shared page belongs to another context');
    await use(sharedPage.current.page);
  },
});

export { expect };
