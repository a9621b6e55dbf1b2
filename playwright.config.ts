import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

/**
 * End-to-end tests drive the real UI through the browser host (`main/host`) in Debian's Chromium.
 * The Electron binary is never needed. Each test starts its own host with a fresh data folder.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Tests, not files, are handed to the workers: with whole files, the last long file (tree.spec,
  // 9 tests) ran alone on one worker for about 25 s at the end. Specs keep per-test state in
  // their own hooks; shared-page.spec runs in order on purpose (`mode: 'default'`).
  fullyParallel: true,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
